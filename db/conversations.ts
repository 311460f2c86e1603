/**
 * Conversations and their transcript. Every write is idempotent on a business key, so an activity that
 * retries after a crash never adds a second row: (agent, conversation) for conversations and
 * (agent, conversation, message id, role) for messages.
 */
import type { Customer, ConversationStatus, Insights, MessageResult, Reply, SourceRef, Turn } from '../workflows/conversation.contract.js';
import { findUnsafeText, stripUnsafeText } from '../domain/text.js';
import type { MessageRole } from '../domain/conversation.js';
import type { Queryable } from './types.js';

export interface ConversationKey {
  agentId: string;
  conversationId: string;
}

export interface TranscriptEntry {
  messageId: string;
  role: MessageRole;
  /** The person who wrote a `human` entry, and their name (what the customer sees). */
  userId?: string;
  userName?: string;
  text: string;
  kind?: Reply['kind'];
  language?: string;
  confidence?: number;
  sources?: SourceRef[];
  insights?: Insights;
  channel?: string;
  delivery?: { status: 'pending' | 'sent' | 'failed' | 'not_sent'; reason?: string; attempts?: number; at?: string };
  createdAt: string;
}

export interface ConversationRecord extends ConversationKey {
  channel: string;
  status: ConversationStatus;
  customer?: Customer;
  /** Who owns it: the person (assigned) and the team whose queue it is in; absent while the agent has it. */
  assigneeId?: string;
  teamId?: string;
  workflowId: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

/**
 * Creates the conversation or reopens it; returns whether it existed before (reopened or continued).
 * Danger: the customer is stored as jsonb, and an escaped NUL in jsonb crashes PGlite's whole database
 * (not just the query); the API refuses such text, and what slips past (a channel that did not strip it)
 * is stripped here. The customer's other fields merge into what is stored; whether they are verified is
 * only ever what this run says (domain/identity.ts), never left over from an earlier one.
 */
export async function openConversation(
  db: Queryable,
  c: ConversationKey & { channel: string; customer?: Customer; workflowId: string },
): Promise<{ existed: boolean }> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `INSERT INTO conversations (agent_id, id, channel, status, customer, workflow_id)
     VALUES ($1, $2, $3, 'open', $4, $5)
     ON CONFLICT (agent_id, id) DO UPDATE
       SET status = CASE WHEN conversations.status = 'closed' THEN 'open' ELSE conversations.status END,
           customer = ${mergedCustomerSql('conversations.customer', "COALESCE(EXCLUDED.customer, '{}'::jsonb)")},
           closed_at = NULL, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [c.agentId, c.conversationId, c.channel, c.customer ? JSON.stringify(storableCustomer(c.customer)) : null, c.workflowId],
  );
  return { existed: !rows[0]?.inserted };
}

export function storableCustomer(customer: Customer): Customer {
  if (!findUnsafeText(customer)) return customer;
  return Object.fromEntries(Object.entries(customer).map(([k, v]) => [k, typeof v === 'string' ? stripUnsafeText(v) : v])) as Customer;
}

export async function setConversationStatus(db: Queryable, c: ConversationKey & { status: ConversationStatus }): Promise<void> {
  await db.query(
    `UPDATE conversations SET status = $3, updated_at = now(),
       closed_at = CASE WHEN $3 = 'closed' THEN now() ELSE NULL END
     WHERE agent_id = $1 AND id = $2`,
    [c.agentId, c.conversationId, c.status],
  );
}

/** Inserts one transcript row once; a retry with the same key is a no-op. */
/** What the inbox shows for the conversation, kept on its row so the list needs no scan of messages. */
export function lastMessageJson(role: string, text: string): string {
  return JSON.stringify({ role, text: text.slice(0, 280), at: new Date().toISOString() });
}

/**
 * A conversation's stored customer merged with `next` (SQL expressions): whether they are verified is
 * only ever the newest word, never kept from an earlier one.
 */
export function mergedCustomerSql(current: string, next: string): string {
  return `(COALESCE(${current}, '{}'::jsonb) - 'verified' - 'verifiedBy') || ${next}`;
}

export async function recordMessage(
  db: Queryable,
  m: ConversationKey & Omit<TranscriptEntry, 'createdAt'>,
): Promise<{ inserted: boolean }> {
  const { rowCount } = await db.query(
    `INSERT INTO messages (agent_id, conversation_id, message_id, role, text, kind, language, confidence, sources, insights, user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (agent_id, conversation_id, message_id, role) DO NOTHING`,
    [
      m.agentId, m.conversationId, m.messageId, m.role, m.text, m.kind ?? null, m.language ?? null,
      m.confidence ?? null, m.sources ? JSON.stringify(m.sources) : null, m.insights ? JSON.stringify(m.insights) : null,
      m.userId ?? null,
    ],
  );
  if (rowCount) {
    await db.query(
      `UPDATE conversations SET last_message = $3, updated_at = now() WHERE agent_id = $1 AND id = $2`,
      [m.agentId, m.conversationId, lastMessageJson(m.role, m.text)],
    );
  }
  return { inserted: (rowCount ?? 0) > 0 };
}

export interface MessageRow extends Record<string, unknown> {
  message_id: string;
  role: MessageRole;
  user_id?: string | null;
  /** The person's name, where the query joins it (a removed person has none). */
  user_name?: string | null;
  text: string;
  kind: Reply['kind'] | null;
  language: string | null;
  confidence: number | null;
  sources: SourceRef[] | null;
  insights: Insights | null;
  channel?: string | null;
  delivery_status?: 'pending' | 'sent' | 'failed' | 'not_sent' | null;
  delivery_error?: string | null;
  delivery_attempts?: number | null;
  delivered_at?: Date | string | null;
  created_at: Date | string;
}

function toEntry(r: MessageRow, conversationChannel?: string): TranscriptEntry {
  const channel = r.channel ?? conversationChannel;
  return {
    messageId: r.message_id,
    role: r.role,
    ...(r.user_id ? { userId: r.user_id } : {}),
    ...(r.user_name ? { userName: r.user_name } : {}),
    text: r.text,
    ...(r.kind ? { kind: r.kind } : {}),
    ...(r.language ? { language: r.language } : {}),
    ...(r.confidence !== null ? { confidence: Number(r.confidence) } : {}),
    ...(r.sources ? { sources: r.sources } : {}),
    ...(r.insights ? { insights: r.insights } : {}),
    ...(channel ? { channel } : {}),
    ...(r.delivery_status ? {
      delivery: {
        status: r.delivery_status,
        ...(r.delivery_error && r.delivery_status !== 'sent' ? { reason: r.delivery_error } : {}),
        ...(r.delivery_attempts ? { attempts: r.delivery_attempts } : {}),
        ...(r.delivered_at ? { at: new Date(r.delivered_at).toISOString() } : {}),
      },
    } : {}),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const MESSAGE_COLUMNS = 'message_id, role, user_id, text, kind, language, confidence, sources, insights, channel, delivery_status, delivery_error, delivery_attempts, delivered_at, created_at';

/** An agent row of `messages` as the reply the workflow returns (db/bookkeeping.ts recordInbound). */
export function replyOf(row: MessageRow): Reply {
  const e = toEntry(row);
  return { text: e.text, kind: e.kind ?? 'answer', sources: e.sources ?? [], language: e.language ?? 'en', confidence: e.confidence ?? 0 };
}

/** Where a page of the transcript starts (after the message with this seq; 0 = the start) and its size. */
export interface TranscriptPageQuery {
  afterSeq?: number;
  limit: number;
}

/**
 * The conversation and one page of its transcript, oldest first. Keyset on seq: a page never repeats or
 * skips a message, also while new ones are added; `nextAfterSeq` is set when more messages follow.
 */
export async function getConversation(
  db: Queryable, c: ConversationKey, page: TranscriptPageQuery,
): Promise<(ConversationRecord & { transcript: TranscriptEntry[]; nextAfterSeq?: number }) | undefined> {
  const { rows } = await db.query<{
    agent_id: string; id: string; channel: string; status: ConversationStatus; customer: Customer | null;
    assignee_id: string | null; team_id: string | null; workflow_id: string; created_at: Date; updated_at: Date; closed_at: Date | null;
  }>(`SELECT agent_id, id, channel, status, customer, assignee_id, team_id, workflow_id, created_at, updated_at, closed_at
        FROM conversations WHERE agent_id = $1 AND id = $2`, [c.agentId, c.conversationId]);
  const conv = rows[0];
  if (!conv) return undefined;
  // One row more than asked for says whether another page follows.
  const messages = await db.query<MessageRow & { seq: string | number }>(
    `SELECT seq, ${MESSAGE_COLUMNS}, (SELECT u.name FROM users u WHERE u.id = messages.user_id) AS user_name
       FROM messages WHERE agent_id = $1 AND conversation_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
    [c.agentId, c.conversationId, page.afterSeq ?? 0, page.limit + 1],
  );
  const entries = messages.rows.slice(0, page.limit);
  const more = messages.rows.length > page.limit;
  return {
    agentId: conv.agent_id,
    conversationId: conv.id,
    channel: conv.channel,
    status: conv.status,
    ...(conv.customer ? { customer: conv.customer } : {}),
    ...(conv.assignee_id ? { assigneeId: conv.assignee_id } : {}),
    ...(conv.team_id ? { teamId: conv.team_id } : {}),
    workflowId: conv.workflow_id,
    createdAt: new Date(conv.created_at).toISOString(),
    updatedAt: new Date(conv.updated_at).toISOString(),
    ...(conv.closed_at ? { closedAt: new Date(conv.closed_at).toISOString() } : {}),
    transcript: entries.map((e) => toEntry(e, conv.channel)),
    ...(more ? { nextAfterSeq: Number(entries.at(-1)!.seq) } : {}),
  };
}

/** The last `limit` turns, oldest first: what a reopened conversation remembers. */
export async function recentTurns(db: Queryable, c: ConversationKey & { limit: number }): Promise<Turn[]> {
  const { rows } = await db.query<{ role: MessageRole; text: string }>(
    `SELECT role, text FROM (
       SELECT seq, role, text FROM messages WHERE agent_id = $1 AND conversation_id = $2 AND role <> 'system' ORDER BY seq DESC LIMIT $3
     ) t ORDER BY seq`,
    [c.agentId, c.conversationId, c.limit],
  );
  // A person's reply is the business speaking: the agent sees it as its own side of the conversation.
  return rows.map((r) => ({ role: r.role === 'customer' ? 'customer' : 'agent', text: r.text }));
}

export type { MessageResult };
