/**
 * The team's side of one conversation: assign, reply, hand back, close, a suggested reply, and the
 * decision on actions drafted for approval. Each is a
 * Temporal update on the conversation's workflow (see conversation.contract.ts), so ops can do the same
 * from the Temporal UI; these routes only check, call it and shape the answer. Admin keys and user keys
 * (a person of the workspace: any conversation, as a team member sees the queue) call them; a user key
 * replies only as its own person.
 */
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { listActionRuns } from '../../db/actions.js';
import { conversationForUpdate } from '../../db/inbox.js';
import { actorOf } from '../../domain/access.js';
import type { Channel } from '../../domain/channel.js';
import {
  approveActionUpdate, assignUpdate, closeUpdate, handBackUpdate, humanReplyUpdate, rejectActionUpdate, suggestUpdate,
} from '../../workflows/conversation.contract.js';
import { audit } from '../audit.js';
import { HumanUpdateRefusedError } from '../conversation-client.js';
import type { ApiDeps } from '../deps.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { conversationUnavailable, errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { z } from '@hono/zod-openapi';
import { ActionDecisionResult } from '../../workflows/conversation.schemas.js';
import { AssignBody, ConversationOwner, ConversationParams, CreatedReply, ReplyBody, SuggestionView } from '../schemas.js';
import { jsonBody, params } from '../validate.js';

/** The routes below that act on a conversation are updates on its workflow: Temporal down is their 503. */
const TEMPORAL_UNAVAILABLE = conversationUnavailable('Temporal cannot be reached right now: try again after Retry-After seconds');

const common = { tags: ['conversations' as const], middleware: [allow('admin', 'user')] };

const assign = v1Route({
  method: 'post', path: '/{agentId}/conversations/{conversationId}/assign', operationId: 'assignConversation', ...common,
  summary: 'Give the conversation to a person ({userId}: assigned) or a team queue ({teamId}: handoff_requested); the agent stops answering',
  request: { params: ConversationParams, body: jsonRequest(AssignBody) },
  responses: { 200: json(ConversationOwner, 'Who owns the conversation now'), ...errors(400, 413, 415, 422), ...TEMPORAL_UNAVAILABLE },
});
const reply = v1Route({
  method: 'post', path: '/{agentId}/conversations/{conversationId}/replies', operationId: 'replyToConversation', ...common,
  summary: "A person's reply: kept in the transcript as role human with the user and delivered through the conversation's channel; stops the SLA timer. userId: required with an admin key, a user key's own person by default (another person is a 403). Send Idempotency-Key to make a retry the same reply",
  request: { params: ConversationParams, body: jsonRequest(ReplyBody) },
  responses: { 201: json(CreatedReply, 'The reply, recorded'), ...errors(400, 413, 415, 422), ...TEMPORAL_UNAVAILABLE },
});
const handBack = v1Route({
  method: 'post', path: '/{agentId}/conversations/{conversationId}/hand-back', operationId: 'handBackConversation', ...common,
  summary: 'Give the conversation back to the agent (status open); it answers again, with the whole history',
  request: { params: ConversationParams },
  responses: { 200: json(ConversationOwner, 'The conversation, open'), ...errors(422), ...TEMPORAL_UNAVAILABLE },
});
const close = v1Route({
  method: 'post', path: '/{agentId}/conversations/{conversationId}/close', operationId: 'closeConversation', ...common,
  summary: 'Close the conversation now; a later customer message reopens it with its history',
  request: { params: ConversationParams },
  responses: { 200: json(ConversationOwner, 'The conversation, closed'), ...errors(422), ...TEMPORAL_UNAVAILABLE },
});
const suggestion = v1Route({
  method: 'get', path: '/{agentId}/conversations/{conversationId}/suggestion', operationId: 'suggestReply', ...common,
  summary: "A draft reply to the customer's last message for the person who owns the conversation, with its sources; never sent",
  request: { params: ConversationParams },
  responses: { 200: json(SuggestionView, 'The draft'), ...errors(409, 422), ...TEMPORAL_UNAVAILABLE },
});

const RunParams = ConversationParams.extend({ runId: z.string().min(1).max(128) });
const ActionRunView = z.object({
  id: z.string(),
  actionId: z.string(),
  /** The action's name (kept when the action was deleted since); absent for an action that never existed. */
  actionName: z.string().optional(),
  messageId: z.string().optional(),
  status: z.enum(['running', 'succeeded', 'failed', 'pending_approval', 'rejected', 'expired']),
  inputs: z.record(z.string(), z.union([z.string(), z.number()])),
  /** What the customer was told (the filled response template). */
  text: z.string().optional(),
  error: z.string().optional(),
  responseStatus: z.number().int().optional(),
  attempts: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
}).openapi('ActionRun');
const ActionRunList = z.object({ runs: z.array(ActionRunView) });
const Decision = z.object({ runId: z.string(), status: z.enum(['succeeded', 'failed', 'rejected']), text: z.string() }).openapi('ActionDecision');

const runs = v1Route({
  method: 'get', path: '/{agentId}/conversations/{conversationId}/actions', operationId: 'listConversationActions', ...common,
  summary: "The conversation's action runs, oldest first, each with its action's name: what was called with which inputs, what the customer was told, and drafts waiting for approval (status pending_approval). Never a secret",
  request: { params: ConversationParams },
  responses: { 200: json(ActionRunList, 'The runs'), ...errors(422) },
});
const approve = v1Route({
  method: 'post', path: '/{agentId}/conversations/{conversationId}/actions/{runId}/approve', operationId: 'approveAction', ...common,
  summary: 'Approve an action drafted for approval: it runs now, and the customer gets its result in the conversation',
  request: { params: RunParams },
  responses: { 200: json(Decision, 'The run, done (succeeded or failed) and what the customer was told'), ...errors(422), ...TEMPORAL_UNAVAILABLE },
});
const reject = v1Route({
  method: 'post', path: '/{agentId}/conversations/{conversationId}/actions/{runId}/reject', operationId: 'rejectAction', ...common,
  summary: 'Reject an action drafted for approval: it never runs, and the customer is told',
  request: { params: RunParams },
  responses: { 200: json(Decision, 'The run, rejected, and what the customer was told'), ...errors(422), ...TEMPORAL_UNAVAILABLE },
});

const REFUSALS: Record<string, (message: string) => ApiError> = {
  ApprovalNotFound: (m) => new ApiError('action_run_not_found', `${m} (decided already, expired, or not a draft)`, 'runId'),
  UserNotFound: (m) => new ApiError('invalid_request', `userId: ${m}`, 'userId'),
  TeamNotFound: (m) => new ApiError('invalid_request', `teamId: ${m}`, 'teamId'),
  NothingToSuggest: (m) => new ApiError('conflict', m),
  AgentOff: (m) => new ApiError('conflict', m),
};

export function handoffRoutes({ db, conversations }: ApiDeps) {
  /** The conversation's workflow target, or 404 when the conversation never existed. */
  async function target(c: Context<AppEnv>) {
    const { agentId, conversationId } = params(c, ConversationParams);
    const row = await conversationForUpdate(db, { agentId, conversationId });
    if (!row) throw new ApiError('conversation_not_found', `conversation ${conversationId} does not exist`, 'conversationId');
    return { agentId, conversationId, channel: row.channel as Channel, ...(row.customer ? { customer: row.customer } : {}) };
  }

  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof HumanUpdateRefusedError) throw (REFUSALS[err.type] ?? ((m: string) => new ApiError('invalid_request', m)))(err.message);
      throw err;
    }
  }

  const by = (c: Context<AppEnv>) => ({ by: actorOf(c.get('principal')).name.slice(0, 200) });

  /** Who replies: the body's person for an admin key; a user key's own person, and only that one. */
  function replier(c: Context<AppEnv>, userId: string | undefined): string {
    const { user } = c.get('principal');
    if (!user) {
      if (!userId) throw new ApiError('invalid_request', 'userId: the person who replies is required with this key', 'userId');
      return userId;
    }
    if (userId !== undefined && userId !== user.id) {
      throw new ApiError('forbidden', `userId: this key belongs to ${user.id} and replies only as them, not as ${userId}`, 'userId');
    }
    return user.id;
  }

  /** Ownership changes go to the audit log, with the person behind a user key as the actor. */
  const record = (c: Context<AppEnv>, action: string, t: { agentId: string; conversationId: string }, details: Record<string, unknown> = {}) =>
    audit(c, db, action, { type: 'conversation', id: t.conversationId }, { agentId: t.agentId, ...details });

  return openApiRouter()
    .openapi(assign, async (c) => {
      const t = await target(c);
      const body = await jsonBody(c, AssignBody);
      const owner = await call(() => conversations.human(t, assignUpdate, [{ ...body, ...by(c) }]));
      await record(c, 'conversation.assigned', t, body);
      return c.json(ConversationOwner.parse(owner), 200);
    })
    .openapi(reply, async (c) => {
      const t = await target(c);
      const body = await jsonBody(c, ReplyBody);
      const userId = replier(c, body.userId);
      const key = c.req.header('idempotency-key');
      const replyId = key && /^[A-Za-z0-9._:@-]{1,100}$/.test(key) ? key : randomUUID();
      const result = await call(() => conversations.human(t, humanReplyUpdate, [{ userId, text: body.text, replyId }], `reply:${replyId}`));
      return c.json(CreatedReply.parse(result), 201);
    })
    .openapi(handBack, async (c) => {
      const t = await target(c);
      const owner = await call(() => conversations.human(t, handBackUpdate, [by(c)]));
      await record(c, 'conversation.handed_back', t);
      return c.json(ConversationOwner.parse(owner), 200);
    })
    .openapi(close, async (c) => {
      const t = await target(c);
      const owner = await call(() => conversations.human(t, closeUpdate, [by(c)]));
      await record(c, 'conversation.closed', t);
      return c.json(ConversationOwner.parse(owner), 200);
    })
    .openapi(suggestion, async (c) => {
      const t = await target(c);
      return c.json(SuggestionView.parse(await call(() => conversations.human(t, suggestUpdate, [{}]))), 200);
    })
    .openapi(runs, async (c) => {
      const t = await target(c);
      const list = await listActionRuns(db, t);
      return c.json(ActionRunList.parse({
        runs: list.map((r) => ({
          id: r.id, actionId: r.actionId, ...(r.actionName !== undefined ? { actionName: r.actionName } : {}), ...(r.messageId ? { messageId: r.messageId } : {}), status: r.status, inputs: r.inputs,
          ...(r.text ? { text: r.text } : {}), ...(r.error ? { error: r.error } : {}), ...(r.responseStatus !== undefined ? { responseStatus: r.responseStatus } : {}),
          attempts: r.attempts, createdAt: r.createdAt, ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
        })),
      }), 200);
    })
    .openapi(approve, async (c) => {
      const t = await target(c);
      const { runId } = params(c, RunParams);
      const result = ActionDecisionResult.parse(await call(() => conversations.human(t, approveActionUpdate, [{ runId, ...by(c) }], `approve:${runId}`)));
      await record(c, 'action.approved', t, { runId, status: result.status });
      return c.json(Decision.parse(result), 200);
    })
    .openapi(reject, async (c) => {
      const t = await target(c);
      const { runId } = params(c, RunParams);
      const result = ActionDecisionResult.parse(await call(() => conversations.human(t, rejectActionUpdate, [{ runId, ...by(c) }], `reject:${runId}`)));
      await record(c, 'action.rejected', t, { runId });
      return c.json(Decision.parse(result), 200);
    });
}
