/**
 * What outbound delivery reads and writes: a message leaving on the conversation's channel, where its
 * customer is reached, and the delivery state kept on the transcript entry (pending → sent | failed |
 * not_sent, with the reason, the attempts and the channel's id for what it sent).
 */
import type { SourceRef } from '../workflows/conversation.contract.js';
import type { DeliveryState, OutboundRole } from '../workflows/outbound-delivery.contract.js';
import type { Queryable } from './types.js';

export interface MessageKey {
  agentId: string;
  conversationId: string;
  messageId: string;
  role: OutboundRole;
}

export interface Outgoing {
  text: string;
  sources: SourceRef[];
  language?: string;
  /** The person who wrote a human reply, or the agent's name. */
  author?: string;
  delivery?: DeliveryState;
  /** The last attempt's error, while retrying or after. */
  deliveryError?: string;
  channel: string;
  deploymentId?: string;
  address?: Record<string, unknown>;
  lastInboundAt?: number;
}

export async function outgoingMessage(db: Queryable, k: MessageKey): Promise<Outgoing | undefined> {
  const { rows } = await db.query<{
    text: string; sources: SourceRef[] | null; language: string | null; delivery_status: DeliveryState | null; delivery_error: string | null; user_name: string | null;
    agent_name: string | null; channel: string; deployment_id: string | null; address: Record<string, unknown> | null; last_inbound_at: Date | null;
  }>(
    `SELECT m.text, m.sources, m.language, m.delivery_status, m.delivery_error, u.name AS user_name, a.name AS agent_name,
            c.channel, c.deployment_id, c.address, c.last_inbound_at
       FROM messages m
       JOIN conversations c ON c.agent_id = m.agent_id AND c.id = m.conversation_id
       LEFT JOIN agents a ON a.id = m.agent_id
       LEFT JOIN users u ON u.id = m.user_id
      WHERE m.agent_id = $1 AND m.conversation_id = $2 AND m.message_id = $3 AND m.role = $4`,
    [k.agentId, k.conversationId, k.messageId, k.role],
  );
  const r = rows[0];
  if (!r) return undefined;
  const author = k.role === 'human' ? r.user_name : r.agent_name;
  return {
    text: r.text, sources: r.sources ?? [], ...(r.language ? { language: r.language } : {}), ...(author ? { author } : {}),
    ...(r.delivery_status ? { delivery: r.delivery_status } : {}), ...(r.delivery_error ? { deliveryError: r.delivery_error } : {}), channel: r.channel,
    ...(r.deployment_id ? { deploymentId: r.deployment_id } : {}), ...(r.address ? { address: r.address } : {}),
    ...(r.last_inbound_at ? { lastInboundAt: new Date(r.last_inbound_at).getTime() } : {}),
  };
}

/**
 * Marks a message as handed to its delivery; false when it already has an outcome (sent, failed, not
 * sent): it is not handed over again. A message still pending is (its delivery workflow may not have started).
 */
export async function markQueued(db: Queryable, k: MessageKey): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE messages SET delivery_status = 'pending'
      WHERE agent_id = $1 AND conversation_id = $2 AND message_id = $3 AND role = $4 AND (delivery_status IS NULL OR delivery_status = 'pending')`,
    [k.agentId, k.conversationId, k.messageId, k.role],
  );
  return (rowCount ?? 0) > 0;
}

/** Records an attempt's outcome; a message already sent stays sent (a late failure report cannot undo it). */
export async function markDelivery(
  db: Queryable, k: MessageKey, d: { status: DeliveryState; error?: string; externalId?: string; attempts?: number },
): Promise<void> {
  await db.query(
    `UPDATE messages SET delivery_status = $5, delivery_error = $6, delivery_external_id = COALESCE($7, delivery_external_id),
            delivery_attempts = COALESCE($8, delivery_attempts), delivered_at = CASE WHEN $5 = 'sent' THEN now() ELSE delivered_at END
      WHERE agent_id = $1 AND conversation_id = $2 AND message_id = $3 AND role = $4 AND delivery_status IS DISTINCT FROM 'sent'`,
    [k.agentId, k.conversationId, k.messageId, k.role, d.status, d.error?.slice(0, 1000) ?? null, d.externalId ?? null, d.attempts ?? null],
  );
}

