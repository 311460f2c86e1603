/**
 * A message's bookkeeping, each write one SQL statement (data-modifying CTEs) instead of a transaction of
 * five to seven. Measured on PostgreSQL (scratch/acts.ts): every statement is a round trip of 0.5–1 ms, and
 * the conversation workflow waits for these writes on every message; one statement is also one implicit
 * transaction, so the parts still commit together. The parts are the ones db/conversations.ts,
 * db/outbound.ts, db/usage.ts and db/events.ts write one by one, with the same keys: a retry adds nothing.
 *
 * Danger: every part of one statement sees the tables as they were before it, not each other's writes
 * (a row inserted by one CTE is invisible to the others and to the final SELECT); where a part depends on
 * another it reads that CTE's RETURNING, never the table.
 */
import type { Customer, Insights, Reply } from '../workflows/conversation.contract.js';
import type { WorkspaceEvent } from '../domain/events.js';
import { lastMessageJson, mergedCustomerSql, replyOf, storableCustomer, type ConversationKey, type MessageRow } from './conversations.js';
import type { Queryable } from './types.js';
import { preparedStatement } from './prepared.js';
import { billConversationSql } from './usage.js';
import { listensSql } from './webhooks.js';

/**
 * Records the customer's message (once per message id) with, when given, the customer it names and where
 * they are reached; returns the agent's reply to it if one was recorded in an earlier run.
 */
export async function recordInbound(
  db: Queryable,
  m: ConversationKey & {
    messageId: string; text: string; customer?: Customer;
    channel?: string; deploymentId?: string; address?: Record<string, unknown>;
  },
): Promise<{ reply: Reply; customerText: string } | undefined> {
  const params: unknown[] = [m.agentId, m.conversationId, m.messageId, m.text, m.channel ?? null, lastMessageJson('customer', m.text)];
  const param = (value: unknown) => `$${params.push(value)}`;
  // The conversation row takes only what this message brings; the last message only when it is new.
  const sets = [
    `last_message = CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN $6::jsonb ELSE last_message END`,
    `updated_at = CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN now() ELSE updated_at END`,
  ];
  if (m.customer) sets.push(`customer = ${mergedCustomerSql('customer', `${param(JSON.stringify(storableCustomer(m.customer)))}::jsonb`)}`);
  if (m.channel) {
    sets.push(
      `deployment_id = COALESCE(${param(m.deploymentId ?? null)}::text, deployment_id)`,
      `address = COALESCE(${param(m.address ? JSON.stringify(m.address) : null)}::jsonb, address)`,
      'last_inbound_at = now()',
    );
  }
  // Prepared (db/prepared.ts): one statement per combination of what the message brings, four at most.
  const { rows } = await db.query<MessageRow & { customer_text: string }>(preparedStatement('record_inbound',
    `WITH inserted AS (
       INSERT INTO messages (agent_id, conversation_id, message_id, role, text, channel)
       VALUES ($1, $2, $3, 'customer', $4, $5::text)
       ON CONFLICT (agent_id, conversation_id, message_id, role) DO NOTHING
       RETURNING 1
     ),
     -- A message first recorded without its channel (an earlier attempt, an older version) gets it once.
     channel_set AS (
       UPDATE messages SET channel = $5::text
        WHERE agent_id = $1 AND conversation_id = $2 AND message_id = $3 AND role = 'customer'
          AND channel IS NULL AND $5::text IS NOT NULL
     ),
     conversation AS (
       UPDATE conversations SET ${sets.join(', ')} WHERE agent_id = $1 AND id = $2
     )
     -- The customer's text is the stored one, or this one when this statement stored it.
     SELECT a.message_id, a.role, a.text, a.kind, a.language, a.confidence, a.sources, a.insights, a.created_at,
            COALESCE(c.text, $4) AS customer_text
       FROM messages a LEFT JOIN messages c
         ON c.agent_id = a.agent_id AND c.conversation_id = a.conversation_id AND c.message_id = a.message_id AND c.role = 'customer'
      WHERE a.agent_id = $1 AND a.conversation_id = $2 AND a.message_id = $3 AND a.role = 'agent'`),
    params,
  );
  const row = rows[0];
  return row && { reply: replyOf(row), customerText: row.customer_text };
}

interface EventRow extends Record<string, unknown> {
  id: string; workspace_id: string; type: WorkspaceEvent['type']; data: Record<string, unknown> | null; created_at: Date;
}

/** Written on every reply (db/prepared.ts says why prepared). */
const RECORD_REPLY = preparedStatement('record_reply',
  `WITH inserted AS (
       INSERT INTO messages (agent_id, conversation_id, message_id, role, text, kind, language, confidence, sources, insights)
       VALUES ($1, $2, $3, 'agent', $4, $5, $6, $7, $8, $9)
       ON CONFLICT (agent_id, conversation_id, message_id, role) DO NOTHING
       RETURNING 1
     ),
     conversation AS (
       UPDATE conversations SET last_message = $10::jsonb, updated_at = now()
        WHERE agent_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM inserted)
     ),
     usage AS (${billConversationSql('$1', '$2')}),
     listening AS (
       SELECT a.workspace_id FROM agents a
        WHERE $11::text IS NOT NULL AND a.id = $1
          AND EXISTS (SELECT 1 FROM webhooks WHERE ${listensSql('a.workspace_id', `'message.created'`)})
     ),
     event AS (
       INSERT INTO events (id, workspace_id, type, data)
       SELECT $11::text, workspace_id, 'message.created', $12::jsonb FROM listening
       ON CONFLICT (id) DO NOTHING
       RETURNING id, workspace_id, type, data, created_at
     )
     SELECT * FROM event
     UNION ALL
     SELECT e.id, e.workspace_id, e.type, e.data, e.created_at FROM events e JOIN listening l ON l.workspace_id = e.workspace_id
      WHERE e.id = $11::text AND NOT EXISTS (SELECT 1 FROM event)`);

/**
 * Records the agent's reply (once per message id); the conversation's first reply makes it billable, once
 * (db/usage.ts says how); with `eventId`, also the reply's message.created event, only when the agent's
 * workspace has a webhook listening for it (the events table is no second transcript). Returns the event,
 * also when an earlier attempt stored it, so the caller notifies on every attempt (deliveries dedupe on
 * its id); never before this statement has committed.
 */
export async function recordAgentReply(
  db: Queryable,
  r: ConversationKey & { messageId: string; reply: Reply; insights: Insights; eventId?: string },
): Promise<{ event?: WorkspaceEvent }> {
  const { reply } = r;
  const data = { agentId: r.agentId, conversationId: r.conversationId, messageId: r.messageId, role: 'agent', text: reply.text };
  const { rows } = await db.query<EventRow>(
    RECORD_REPLY,
    [
      r.agentId, r.conversationId, r.messageId, reply.text, reply.kind, reply.language, reply.confidence,
      JSON.stringify(reply.sources), JSON.stringify(r.insights), lastMessageJson('agent', reply.text),
      r.eventId ?? null, JSON.stringify(data),
    ],
  );
  const row = rows[0];
  return row ? { event: { id: row.id, workspaceId: row.workspace_id, type: row.type, data: row.data ?? {}, createdAt: new Date(row.created_at) } } : {};
}
