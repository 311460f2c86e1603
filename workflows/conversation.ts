/**
 * One durable conversation. Reads as a lifecycle: register handlers, open, then wait for messages until
 * the conversation goes idle and closes, continuing-as-new when history grows. Every side effect is an
 * activity; the turn's thinking is the agentTurn activity (LangGraph cannot run in this sandbox).
 */
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities,
  setHandler, upsertSearchAttributes, workflowInfo, log,
} from '@temporalio/workflow';
import type { ConversationActivities, TurnActivities } from '../activities/index.js';
import type { AgentTurnResult } from '../activities/turn.js';
import {
  ConversationInput, InboundMessage, SearchAttr, inboundSignal, messageUpdate, stateQuery,
  type ConversationStatus, type MessageResult,
} from './conversation.contract.js';
import { ConversationState, RECENT_LIMIT } from './conversation-state.js';
import { fallbackReplyText } from './fallback.js';

// Bookkeeping writes are short and idempotent: local activities keep them off the task queue round-trip.
const book = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '5m',
  retry: { initialInterval: '200ms', maximumInterval: '10s', nonRetryableErrorTypes: ['AgentNotFound'] },
});

const TURN_RETRY = { initialInterval: '500ms', maximumAttempts: 3, nonRetryableErrorTypes: ['AgentNotFound'] };

// The turn runs as a local activity, in the same workflow task as the bookkeeping around it: a reply
// costs one workflow task instead of two plus an activity task. A long model call keeps the task alive
// (the SDK heartbeats it); a dead worker's task times out and the next worker runs the turn again.
const localTurn = proxyLocalActivities<TurnActivities>({ startToCloseTimeout: '2m', retry: TURN_RETRY });

// Histories from before that change ran the turn as a normal activity; they replay as they ran.
const turn = proxyActivities<TurnActivities>({ startToCloseTimeout: '2m', heartbeatTimeout: '5s', retry: TURN_RETRY });
const TURN_AS_LOCAL_ACTIVITY = 'turn-as-local-activity';

export async function conversation(rawInput: ConversationInput): Promise<void> {
  const input = ConversationInput.parse(rawInput);
  const key = { agentId: input.agentId, conversationId: input.conversationId };
  const state = new ConversationState(input.carried);
  const conflicts = new Set<string>();
  let customer = input.customer;

  setHandler(messageUpdate, async (msg): Promise<MessageResult> => {
    const seen = state.lookup(msg);
    if (seen.state === 'done') return seen.result;
    if (seen.state === 'conflict') throw messageIdConflict(msg.messageId);
    if (seen.state === 'new') state.enqueue(msg);
    await condition(() => state.resultFor(msg.messageId) !== undefined || conflicts.has(msg.messageId));
    const result = state.resultFor(msg.messageId);
    if (!result) throw messageIdConflict(msg.messageId);
    return result;
  }, {
    validator: (msg) => {
      const parsed = InboundMessage.safeParse(msg);
      if (!parsed.success) throw new Error(`invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    },
  });

  setHandler(inboundSignal, (msg) => {
    if (!InboundMessage.safeParse(msg).success) {
      log.warn('dropped an invalid inbound signal', { messageId: (msg as { messageId?: unknown })?.messageId });
      return;
    }
    if (state.lookup(msg).state === 'new') state.enqueue(msg);
  });

  setHandler(stateQuery, () => ({ status: state.status, turns: state.recent.length, pending: state.inbox.length }));

  const opened = await book.openConversation({
    ...key, channel: input.channel, workflowId: workflowInfo().workflowId, historyLimit: RECENT_LIMIT,
    ...(customer ? { customer } : {}),
  });
  if (!input.carried) state.remember(opened.recent);
  publishStatus(state.status);

  async function setStatus(status: ConversationStatus): Promise<void> {
    if (status === state.status) return;
    await book.setStatus({ ...key, status });
    state.status = status;
    publishStatus(status);
  }

  async function handle(msg: InboundMessage): Promise<void> {
    if (msg.customer) customer = { ...customer, ...msg.customer };
    publishCustomer(msg.customer);
    const prior = await book.recordInbound({ ...key, messageId: msg.messageId, text: msg.text });
    if (prior.previousReply) {
      // Answered in an earlier run (the conversation closed and reopened): same reply, nothing new.
      if (prior.previousText !== msg.text) {
        conflicts.add(msg.messageId);
        return;
      }
      state.complete(msg, { reply: prior.previousReply, conversation: { id: input.conversationId, status: state.status } }, state.missStreak);
      return;
    }
    const result = await thinkOrFallBack(msg);
    if ('silent' in result) {
      // A paused or archived agent: the message is kept, nobody is billed, and the reply is null.
      state.complete(msg, { reply: null, conversation: { id: input.conversationId, status: state.status } }, state.missStreak);
      return;
    }
    await book.recordReply({ ...key, messageId: msg.messageId, reply: result.reply, insights: result.insights });
    if (result.intent.handoff) await setStatus('handoff_requested');
    state.complete(msg, { reply: result.reply, conversation: { id: input.conversationId, status: state.status } }, result.missStreak);
  }

  async function thinkOrFallBack(msg: InboundMessage): Promise<AgentTurnResult> {
    try {
      const run = patched(TURN_AS_LOCAL_ACTIVITY) ? localTurn : turn;
      return await run.agentTurn({
        ...key,
        message: { id: msg.messageId, text: msg.text },
        history: state.recent,
        missStreak: state.missStreak,
        ...(customer ? { customer } : {}),
      });
    } catch (err) {
      log.error('turn failed after retries; handing off with a fallback reply', { messageId: msg.messageId, error: String(err) });
      const { text, language } = fallbackReplyText(customer?.locale);
      return {
        reply: { text, kind: 'handoff', sources: [], language, confidence: 0 },
        insights: { path: ['fallback'], reason: 'the turn failed after retries', triggers: ['turn_failed'], scores: {}, candidates: [], responder: 'fallback' },
        missStreak: state.missStreak,
        intent: { handoff: { reason: 'turn_failed' } },
      };
    }
  }

  for (;;) {
    const active = await condition(() => state.inbox.length > 0, opened.idleTimeoutMs);
    if (!active) {
      await setStatus('closed');
      if (state.inbox.length === 0) break;
      // A message arrived while closing: the conversation reopens with its history.
      await setStatus('open');
      continue;
    }
    while (state.inbox.length > 0) await handle(state.inbox.shift() as InboundMessage);
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (state.inbox.length === 0) {
        await continueAsNew<typeof conversation>({ ...input, ...(customer ? { customer } : {}), carried: state.carry() });
      }
    }
  }
  await condition(allHandlersFinished);
}

function publishStatus(status: ConversationStatus): void {
  upsertSearchAttributes([{ key: SearchAttr.status, value: status }]);
}

function publishCustomer(customer: InboundMessage['customer']): void {
  const pairs = [];
  if (customer?.email) pairs.push({ key: SearchAttr.customerEmail, value: customer.email });
  if (customer?.id) pairs.push({ key: SearchAttr.customerId, value: customer.id });
  if (pairs.length > 0) upsertSearchAttributes(pairs);
}

function messageIdConflict(messageId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`message id ${messageId} was already used for a different text`, 'MessageIdConflict');
}
