import type { Context } from 'hono';
import { claimConversation, conversationExists, getConversationAccess } from '../../db/conversation-access.js';
import { getConversation } from '../../db/conversations.js';
import { tokenSecret } from '../../db/workspaces.js';
import type { Principal } from '../../domain/access.js';
import { MessageIdConflictError } from '../conversation-client.js';
import { checkCustomer } from '../customer-identity.js';
import { CONVERSATION_TOKEN_HEADER, conversationToken, tokenMatches } from '../conversation-token.js';
import type { ApiDeps } from '../deps.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { conversationTokenParameter, conversationUnavailable, errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { Conversation, ConversationParams, PostMessage, PostMessageResult, TranscriptQuery, transcriptCursor } from '../schemas.js';
import { jsonBody, params, query } from '../validate.js';

const send = v1Route({
  method: 'post', path: '/{agentId}/conversations/{conversationId}/messages', operationId: 'postMessage', tags: ['conversations'],
  summary: "Send a customer message and get the reply; the same messageId returns the same reply. A widget key's first message starts the conversation and its reply carries the conversation's token",
  middleware: [allow('admin', 'channel', 'widget')],
  parameters: [conversationTokenParameter],
  request: { params: ConversationParams, body: jsonRequest(PostMessage) },
  responses: {
    200: json(PostMessageResult, 'The reply: null when nobody answers now (people own the conversation, the agent is archived or not deployed on the channel; the message is recorded all the same); a paused agent hands the conversation to people and the reply says a person will answer'),
    ...errors(400, 409, 413, 415, 422),
    ...conversationUnavailable('No reply within the reply timeout (REPLY_TIMEOUT_MS): no worker is serving conversations, or Temporal cannot be reached. '
      + 'The message is kept: send it again with the same messageId after Retry-After seconds, and its one reply comes back'),
  },
});
const read = v1Route({
  method: 'get', path: '/{agentId}/conversations/{conversationId}', operationId: 'getConversation', tags: ['conversations'],
  summary: 'Status and transcript with sources and insights, oldest first, in pages of `limit` entries (default 100, at most 500); nextCursor, when present, is the `cursor` of the next page',
  middleware: [allow('admin', 'channel', 'widget', 'user')],
  parameters: [conversationTokenParameter],
  request: { params: ConversationParams, query: TranscriptQuery },
  responses: { 200: json(Conversation, 'The conversation'), ...errors(422) },
});

export function conversationRoutes(deps: ApiDeps) {
  const { db, conversations } = deps;

  /**
   * A widget key reaches only conversations it started, and past the first message only with the
   * conversation's token. Returns the token to hand back. Another key's conversation is a 404.
   */
  async function widgetAccess(c: Context<AppEnv>, p: Principal, agentId: string, conversationId: string, firstMessageId?: string): Promise<string> {
    let access = await getConversationAccess(db, { agentId, conversationId });
    if (!access && firstMessageId) {
      if (await conversationExists(db, { agentId, conversationId })) throw notFound(conversationId);
      access = await claimConversation(db, { agentId, conversationId, keyId: p.keyId, firstMessageId });
    }
    if (!access || access.keyId !== p.keyId) throw notFound(conversationId);
    const token = conversationToken(await tokenSecret(db, p.workspaceId), agentId, conversationId);
    const given = c.req.header(CONVERSATION_TOKEN_HEADER);
    // The first message (and its retries) may come without the token: that is how the browser gets it.
    if (given === undefined && firstMessageId !== undefined && access.firstMessageId === firstMessageId) return token;
    if (!tokenMatches(token, given)) {
      throw new ApiError('forbidden', `send this conversation's token (conversation.token of its first reply) in ${CONVERSATION_TOKEN_HEADER}`, CONVERSATION_TOKEN_HEADER);
    }
    return token;
  }

  return openApiRouter()
    .openapi(send, async (c) => {
      const { agentId, conversationId } = params(c, ConversationParams);
      const message = await jsonBody(c, PostMessage);
      const p = c.get('principal');
      let token: string | undefined;
      if (p.role === 'widget') {
        if (message.channel !== 'chat') throw new ApiError('forbidden', 'a widget key sends chat messages only', 'channel');
        token = await widgetAccess(c, p, agentId, conversationId, message.messageId);
      }
      // The token stops here: the conversation gets the customer as checked, never what was sent.
      const { customer: given, ...rest } = message;
      const { customer, verification } = await checkCustomer(deps, p.workspaceId, given);
      try {
        const result = await conversations.send({ agentId, conversationId }, { ...rest, ...(customer ? { customer } : {}) });
        return c.json(PostMessageResult.parse({
          ...result, conversation: { ...result.conversation, ...(token ? { token } : {}) }, ...(verification ? { customer: verification } : {}),
        }), 200);
      } catch (err) {
        if (err instanceof MessageIdConflictError) throw new ApiError('message_id_conflict', err.message, 'messageId');
        throw err;
      }
    })
    .openapi(read, async (c) => {
      const { agentId, conversationId } = params(c, ConversationParams);
      const page = query(c, TranscriptQuery);
      const p = c.get('principal');
      if (p.role === 'widget') await widgetAccess(c, p, agentId, conversationId);
      const conv = await getConversation(db, { agentId, conversationId }, { limit: page.limit, ...(page.cursor !== undefined ? { afterSeq: page.cursor } : {}) });
      if (!conv) throw notFound(conversationId);
      const { conversationId: id, nextAfterSeq, assigneeId, teamId, ...rest } = conv;
      // The customer's browser has no use for the team's internal ids; the team's tools do.
      const owner = p.role === 'widget' ? {} : { ...(assigneeId ? { assigneeId } : {}), ...(teamId ? { teamId } : {}) };
      return c.json(Conversation.parse({ id, ...rest, ...owner, ...(nextAfterSeq !== undefined ? { nextCursor: transcriptCursor(nextAfterSeq) } : {}) }), 200);
    });
}

function notFound(conversationId: string): ApiError {
  return new ApiError('conversation_not_found', `conversation ${conversationId} does not exist`, 'conversationId');
}
