import { Hono } from 'hono';
import { getConversation } from '../../db/conversations.js';
import { ConversationUnavailableError, MessageIdConflictError } from '../conversation-client.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { Conversation, ConversationParams, MessageResult, PostMessage, TranscriptQuery, transcriptCursor } from '../schemas.js';
import { jsonBody, params, query } from '../validate.js';
import { requireAgent } from './agents.js';

export function conversationRoutes(deps: ApiDeps) {
  const { db, conversations } = deps;
  return new Hono()
    .post('/:agentId/conversations/:conversationId/messages', async (c) => {
      const { agentId, conversationId } = params(c, ConversationParams);
      const message = await jsonBody(c, PostMessage);
      await requireAgent(db, agentId);
      try {
        const result = await conversations.send({ agentId, conversationId }, message);
        return c.json(MessageResult.parse(result));
      } catch (err) {
        if (err instanceof MessageIdConflictError) throw new ApiError('message_id_conflict', err.message, 'messageId');
        if (err instanceof ConversationUnavailableError) {
          throw new ApiError('unavailable', err.message, undefined, { 'Retry-After': String(err.retryAfterSeconds) });
        }
        throw err;
      }
    })
    .get('/:agentId/conversations/:conversationId', async (c) => {
      const { agentId, conversationId } = params(c, ConversationParams);
      const page = query(c, TranscriptQuery);
      await requireAgent(db, agentId);
      const conv = await getConversation(db, { agentId, conversationId }, { limit: page.limit, ...(page.cursor !== undefined ? { afterSeq: page.cursor } : {}) });
      if (!conv) throw new ApiError('conversation_not_found', `conversation ${conversationId} does not exist`, 'conversationId');
      const { conversationId: id, nextAfterSeq, ...rest } = conv;
      return c.json(Conversation.parse({ id, ...rest, ...(nextAfterSeq !== undefined ? { nextCursor: transcriptCursor(nextAfterSeq) } : {}) }));
    });
}
