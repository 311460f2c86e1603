/**
 * One durable conversation. Reads as a lifecycle: register handlers, open, then wait for messages until
 * the conversation goes idle and closes, continuing-as-new when history grows. Every side effect is an
 * activity; the turn's thinking is the agentTurn activity (LangGraph cannot run in this sandbox).
 */
import {
  ActivityFailure, ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities,
  setHandler, upsertSearchAttributes, workflowInfo, log,
} from '@temporalio/workflow';
import type { ConversationActivities, TurnActivities } from '../activities/index.js';
import type { AgentTurnResult } from '../activities/turn.js';
import type { TurnResult } from '../graphs/turn/state.js';
import {
  ConversationInput, InboundMessage, SearchAttr, inboundSignal, messageUpdate, stateQuery,
  type ConversationStatus, type MessageResult,
} from './conversation.contract.js';
import { ConversationState, RECENT_LIMIT } from './conversation-state.js';
import { fallbackReplyText } from './fallback.js';

// Bookkeeping writes are short and idempotent: local activities keep them off the task queue round-trip.
// A write that fails for good (refused data, or still failing when the schedule-to-close bound ends) does
// not fail the conversation: see BOOKKEEPING_FALLBACK.
const book = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '1m',
  retry: { initialInterval: '200ms', maximumInterval: '10s', nonRetryableErrorTypes: ['AgentNotFound'] },
});

/** How long a conversation whose opening could not be recorded waits for its next message (the chat default). */
const FALLBACK_IDLE_MS = 24 * 3600 * 1000;

const TURN_RETRY = { initialInterval: '500ms', maximumAttempts: 3, nonRetryableErrorTypes: ['AgentNotFound'] };

// The turn runs as a local activity, in the same workflow task as the bookkeeping around it: a reply
// costs one workflow task instead of two plus an activity task. A long model call keeps the task alive
// (the SDK heartbeats it); a dead worker's task times out and the next worker runs the turn again.
const localTurn = proxyLocalActivities<TurnActivities>({ startToCloseTimeout: '2m', retry: TURN_RETRY });

// Histories from before that change ran the turn as a normal activity; they replay as they ran.
const turn = proxyActivities<TurnActivities>({ startToCloseTimeout: '2m', heartbeatTimeout: '5s', retry: TURN_RETRY });
const TURN_AS_LOCAL_ACTIVITY = 'turn-as-local-activity';

// A bookkeeping step that fails for good ends in the fallback reply, and the conversation goes on serving
// later messages. Before this change such a failure failed the run; histories of those replay as they ran
// (the patch is asked only when a step has failed, so the happy path's commands are unchanged).
const BOOKKEEPING_FALLBACK = 'bookkeeping-fallback';

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

  /**
   * Runs one bookkeeping write; undefined when it failed for good. An unknown agent still fails the run,
   * as it always has (no conversation can exist without one). Within one message, a write that failed
   * for another reason than refused data (the database gone for the whole retry window) skips the
   * writes after it, so the customer waits for one window, not one per write.
   */
  async function bookkeep<T>(
    step: string, write: () => Promise<T>, message?: { id: string; databaseDown?: boolean },
  ): Promise<{ value: T } | undefined> {
    if (message?.databaseDown) return undefined;
    try {
      return { value: await write() };
    } catch (err) {
      const type = failureType(err);
      if (type === 'AgentNotFound' || !patched(BOOKKEEPING_FALLBACK)) throw err;
      log.error('bookkeeping failed for good; the conversation goes on without it', { step, messageId: message?.id, error: String(err) });
      if (message && type !== 'DataRefused') message.databaseDown = true;
      return undefined;
    }
  }

  const opened = (await bookkeep('openConversation', () => book.openConversation({
    ...key, channel: input.channel, workflowId: workflowInfo().workflowId, historyLimit: RECENT_LIMIT,
    ...(customer ? { customer } : {}),
  })))?.value ?? { idleTimeoutMs: FALLBACK_IDLE_MS, reopened: false, recent: [] };
  if (!input.carried) state.remember(opened.recent);
  publishStatus(state.status);

  /** The workflow owns the status: it changes even when the database cannot be told. */
  async function setStatus(status: ConversationStatus, message?: { id: string; databaseDown?: boolean }): Promise<void> {
    if (status === state.status) return;
    await bookkeep('setStatus', () => book.setStatus({ ...key, status }), message);
    state.status = status;
    publishStatus(status);
  }

  async function handle(msg: InboundMessage): Promise<void> {
    if (msg.customer) customer = { ...customer, ...msg.customer };
    publishCustomer(msg.customer);
    const handling = { id: msg.messageId, databaseDown: false };
    const recorded = await bookkeep('recordInbound', () => book.recordInbound({ ...key, messageId: msg.messageId, text: msg.text }), handling);
    const prior = recorded?.value;
    if (prior?.previousReply) {
      // Answered in an earlier run (the conversation closed and reopened): same reply, nothing new.
      if (prior.previousText !== msg.text) {
        conflicts.add(msg.messageId);
        return;
      }
      state.complete(msg, { reply: prior.previousReply, conversation: { id: input.conversationId, status: state.status } }, state.missStreak);
      return;
    }
    // A message that cannot be recorded is not answered from knowledge: the team gets it through the handoff.
    const thought = recorded ? await thinkOrFallBack(msg) : fallback('bookkeeping_failed', 'the message could not be recorded');
    if ('silent' in thought) {
      // A paused or archived agent: the message is kept, nobody is billed, and the reply is null.
      state.complete(msg, { reply: null, conversation: { id: input.conversationId, status: state.status } }, state.missStreak);
      return;
    }
    let result = thought;
    const saved = await bookkeep('recordReply', () => book.recordReply({ ...key, messageId: msg.messageId, reply: result.reply, insights: result.insights }), handling);
    if (!saved && result.insights.responder !== 'fallback') {
      // A reply that cannot be recorded is not sent either: the customer gets the fallback handoff instead.
      result = fallback('bookkeeping_failed', 'the reply could not be recorded');
      await bookkeep('recordReply', () => book.recordReply({ ...key, messageId: msg.messageId, reply: result.reply, insights: result.insights }), handling);
    }
    if (result.intent.handoff) await setStatus('handoff_requested', handling);
    state.complete(msg, { reply: result.reply, conversation: { id: input.conversationId, status: state.status } }, result.missStreak);
  }

  /** The reply of last resort (workflows/fallback.ts): a polite handoff in the customer's language. */
  function fallback(trigger: 'turn_failed' | 'bookkeeping_failed', reason: string): TurnResult {
    const { text, language } = fallbackReplyText(customer?.locale);
    return {
      reply: { text, kind: 'handoff', sources: [], language, confidence: 0 },
      insights: { path: ['fallback'], reason, triggers: [trigger], scores: {}, candidates: [], responder: 'fallback' },
      missStreak: state.missStreak,
      intent: { handoff: { reason: trigger } },
    };
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
      return fallback('turn_failed', 'the turn failed after retries');
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

/** The type of the application failure behind an activity failure, if there is one. */
function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined;
}

function messageIdConflict(messageId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`message id ${messageId} was already used for a different text`, 'MessageIdConflict');
}
