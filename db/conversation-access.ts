/**
 * Which widget key started a conversation, and with which message. A browser holding a widget key may
 * only continue or read conversations its key started, and only with the conversation's token.
 */
import type { Queryable } from './types.js';

export interface ConversationAccess {
  keyId: string;
  firstMessageId: string;
}

/** Claims the conversation for the key unless it is claimed already; returns the claim that holds. */
export async function claimConversation(
  db: Queryable,
  c: { agentId: string; conversationId: string; keyId: string; firstMessageId: string },
): Promise<ConversationAccess> {
  await db.query(
    `INSERT INTO conversation_access (agent_id, conversation_id, key_id, first_message_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (agent_id, conversation_id) DO NOTHING`,
    [c.agentId, c.conversationId, c.keyId, c.firstMessageId],
  );
  const found = await getConversationAccess(db, c);
  if (!found) throw new Error(`conversation ${c.conversationId} could not be claimed`);
  return found;
}

export async function getConversationAccess(db: Queryable, c: { agentId: string; conversationId: string }): Promise<ConversationAccess | undefined> {
  const { rows } = await db.query<{ key_id: string; first_message_id: string }>(
    'SELECT key_id, first_message_id FROM conversation_access WHERE agent_id = $1 AND conversation_id = $2',
    [c.agentId, c.conversationId],
  );
  return rows[0] && { keyId: rows[0].key_id, firstMessageId: rows[0].first_message_id };
}

export async function conversationExists(db: Queryable, c: { agentId: string; conversationId: string }): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM conversations WHERE agent_id = $1 AND id = $2', [c.agentId, c.conversationId]);
  return rows.length > 0;
}
