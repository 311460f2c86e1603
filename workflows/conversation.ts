/**
 * One durable conversation. Reads as a lifecycle: register handlers, open, then wait for messages until
 * the conversation goes idle and closes, continuing-as-new when history grows. Every side effect is an
 * activity; the turn's thinking is the agentTurn activity (LangGraph cannot run in this sandbox).
 */
import {
  ApplicationFailure, CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation, patched,
  proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo, log,
} from '@temporalio/workflow';
import type { ActionActivities, ContactActivities, ConversationActivities, VerificationActivities, HandoffActivities, MessageActivities, OutboundActivities, TurnActivities } from '../activities/index.js';
import type { HandledMessage } from '../activities/message.js';
import { answersAt } from '../domain/availability.js';
import type { Availability } from '../domain/deployment.js';
import type { OutboundRole } from './outbound-delivery.contract.js';
import { DEFAULT_HANDOFF } from '../domain/handoff-defaults.js';
import type { AssignTo, HandoffSettings } from '../domain/handoff.js';
import { mergeCustomer, sameEmail } from '../domain/customer-identity.js';
import {
  verificationCodeDeadText, verificationCodeSentText, verificationConfirmedText, verificationNotSentText, verificationWrongCodeText,
} from './verification-messages.js';
import type { AgentTurnResult } from '../activities/turn.js';
import type { TurnResult } from '../graphs/turn/state.js';
import {
  type ConversationInput, type InboundMessage, approveActionUpdate, rejectActionUpdate, type ActionDecisionResult, type AwaitingApproval, HANDLER_DESCRIPTIONS, SearchAttr, assignUpdate,
  closeUpdate, handBackUpdate, humanReplyUpdate, inboundSignal, messageUpdate, requeueSignal, stateQuery, suggestUpdate, teamRemovedSignal,
  SYNC_CHANNELS, type ConversationStatus, type ConversationView, type MessageResult, type Suggestion,
} from './conversation.contract.js';
import { actionFailedText, agentPausedText, approvalText, awayText, delayedText, saysSolved, stillWaitingText, unavailableText } from './human-messages.js';
import { Alarm } from './alarm.js';
import { ConversationState, RECENT_LIMIT, type Deadline } from './conversation-state.js';
import { fallbackReplyText } from './fallback.js';
import {
  failureType, messageIdConflict, outsideHoursInsights, publishCustomer, publishStatus,
} from './conversation-support.js';
import { checkActionDecision, checkAssign, checkBy, checkHumanReply, checkInput, checkMessage, messageProblems } from './conversation-checks.js';

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

// People take over: while a person or a team queue owns the conversation the agent is silent; handoffs
// are routed, delayed, held to an SLA, and ended by people (assign, reply, hand back, close). Histories
// from before this change replay with the agent answering through a handoff, as it did then.
const HUMAN_SIDE = 'human-side';

// The human side's writes: idempotent, retried like bookkeeping; an unknown user or team is a refusal.
const people = proxyLocalActivities<HandoffActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '1m',
  retry: { initialInterval: '200ms', maximumInterval: '10s', nonRetryableErrorTypes: ['AgentNotFound', 'UserNotFound', 'TeamNotFound', 'DataRefused'] },
});

// Channels: the agent answers only where it is deployed, within the deployment's hours (outside them the
// customer gets the away text, or the team, and the agent answers when the hours start), and every
// message on an asynchronous channel is handed to a delivery workflow. Histories from before this change
// replay as they ran.
const CHANNELS = 'channels';

// A paused agent's conversations go to people: the customer is told once, in their language, and the
// conversation waits in the team's queue like any handoff. Before this change a paused agent answered
// nothing (reply null); those histories replay so (the patch is asked only when the agent is paused).
const PAUSED_AGENT_HANDOFF = 'paused-agent-handoff';

// recordInbound also reads where the agent answers: one local activity a message instead of two.
// Histories from before it replay with the separate availability step.
const INBOUND_WITH_AVAILABILITY = 'inbound-with-availability';

// recordReply also emits the agent reply's message.created, in the same write: one local activity (about
// 5 ms) a message fewer. Histories from before it replay with the separate emitMessageEvent step.
const REPLY_WITH_MESSAGE_EVENT = 'reply-with-message-event';

// A message the agent answers plainly is recorded, thought about and its reply recorded in one local
// activity (activities/message.ts): about 10 ms less per message than three. It is tried once; when it
// fails, the workflow takes the steps one at a time (each retried as always), and they find what was
// done. Histories from before it replay step by step.
const oneStep = proxyLocalActivities<MessageActivities>({ startToCloseTimeout: '2m', retry: { maximumAttempts: 1 } });
const ONE_STEP_MESSAGE = 'one-step-message';

// The conversation's deadlines (idle close, delayed handoff, SLA, hours, approvals) share one timer that
// messages do not cancel (workflows/alarm.ts): no timer events per message. Histories from before it
// replay with a timer per wait.
const LINGERING_ALARM = 'lingering-alarm';

// Where the agent answers and the queueing of deliveries: short, idempotent reads and writes.
const outbound = proxyLocalActivities<OutboundActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '1m',
  retry: { initialInterval: '200ms', maximumInterval: '10s', nonRetryableErrorTypes: ['DataRefused', 'NoDelivery'] },
});

// Actions: calls to the business's systems. A normal activity (its own timeout, on any worker), retried
// with backoff on network errors, timeouts and 5xx; the Idempotency-Key it sends is the same on every
// attempt (workflow id, message id, action id), and a finished run is never called again. Only turns
// that asked for an action schedule it, so histories from before actions replay unchanged.
const actions = proxyActivities<ActionActivities>({
  startToCloseTimeout: '75s',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 4, nonRetryableErrorTypes: ['AgentNotFound', 'ActionRefused'] },
});

// The customer's contact: property writes the customer confirmed and lead answers, and the lead.qualified
// event. Idempotent on (conversation, message, changes); only turns that ask for them schedule them.
const crm = proxyLocalActivities<ContactActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '1m',
  retry: { initialInterval: '200ms', maximumInterval: '10s', nonRetryableErrorTypes: ['AgentNotFound', 'ContactNotFound', 'InvalidInput'] },
});

// Email one-time codes: sending is a normal activity (the mail server may be slow or down for a while);
// checking a reply is a short local one. Only conversations that ask for a verification schedule them.
const codes = proxyActivities<VerificationActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidInput', 'AgentNotFound'] },
});
const codeChecks = proxyLocalActivities<VerificationActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidInput', 'AgentNotFound'] },
});

/** Workflow time in ms: the current task's time, the same on every replay. */
function now(): number {
  return new Date().getTime();
}

export async function conversation(rawInput: ConversationInput): Promise<void> {
  const input = checkInput(rawInput);
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
    validator: checkMessage,
  });

  setHandler(inboundSignal, (msg) => {
    if (messageProblems(msg).length > 0) {
      log.warn('dropped an invalid inbound signal', { messageId: (msg as { messageId?: unknown })?.messageId });
      return;
    }
    if (state.lookup(msg).state === 'new') state.enqueue(msg);
  });

  setHandler(stateQuery, () => ({
    status: state.status, turns: state.recent.length, pending: state.inbox.length,
    ...(state.assigneeId ? { assigneeId: state.assigneeId } : {}), ...(state.teamId ? { teamId: state.teamId } : {}),
  }), { description: HANDLER_DESCRIPTIONS.state });

  const view = (): ConversationView => ({
    id: input.conversationId, status: state.status,
    ...(state.assigneeId ? { assigneeId: state.assigneeId } : {}), ...(state.teamId ? { teamId: state.teamId } : {}),
  });
  const wfId = workflowInfo().workflowId;
  /** Set by handlers that change what the main loop waits for, so it recomputes its timers. */
  let wake = false;
  let closeRequested = false;
  /** Human updates wait for the conversation to be opened (an update may start the workflow). */
  let ready = false;
  let lastActivityAt = now();

  setHandler(assignUpdate, async (to): Promise<ConversationView> => {
    await condition(() => ready);
    const owned = await people.assignConversation({ ...key, ...to, eventId: `${wfId}:assign:${now()}` });
    state.setOwner(owned);
    // A person owns it from here; the SLA runs until the first human reply.
    if (owned.status === 'assigned' || state.slaDueAt === undefined) state.slaDueAt = now() + handoff().slaSeconds * 1000;
    state.handoffDueAt = undefined;
    publishOwner();
    touch();
    return view();
  }, { validator: checkAssign, description: HANDLER_DESCRIPTIONS.assign });

  setHandler(humanReplyUpdate, async (reply) => {
    await condition(() => ready);
    const earlier = state.humanReplies.find((r) => r.replyId === reply.replyId);
    if (earlier) return { messageId: earlier.messageId, conversation: view() };
    const messageId = `human:${reply.replyId}`;
    await people.recordHumanReply({ ...key, messageId, userId: reply.userId, text: reply.text });
    state.rememberHumanReply(reply.replyId, messageId, reply.text);
    await deliver(messageId, 'human');
    state.slaDueAt = undefined;
    if (state.status !== 'assigned' || state.assigneeId !== reply.userId) {
      // The person who answers owns the conversation (also one the agent had: a person stepping in).
      state.setOwner({ status: 'assigned', assigneeId: reply.userId, teamId: state.teamId });
      await people.setOwner({ ...key, ...view(), event: { id: `${wfId}:${messageId}:assigned`, type: 'conversation.assigned', data: { assigneeId: reply.userId } } });
      publishOwner();
    }
    touch();
    return { messageId, conversation: view() };
  }, { validator: checkHumanReply, description: HANDLER_DESCRIPTIONS.humanReply });

  setHandler(handBackUpdate, async (): Promise<ConversationView> => {
    await condition(() => ready);
    state.release('open');
    state.missStreak = 0;
    state.clarifyStreak = 0;
    await people.setOwner({ ...key, status: 'open' });
    publishOwner();
    touch();
    return view();
  }, { validator: checkBy, description: HANDLER_DESCRIPTIONS.handBack });

  setHandler(closeUpdate, async (): Promise<ConversationView> => {
    await condition(() => ready);
    if (state.status !== 'closed') {
      state.release('closed');
      await people.setOwner({ ...key, status: 'closed', event: { id: `${wfId}:closed`, type: 'conversation.closed', data: { by: 'person' } } });
      publishOwner();
    }
    closeRequested = true;
    touch();
    return view();
  }, { validator: checkBy, description: HANDLER_DESCRIPTIONS.close });

  setHandler(suggestUpdate, async (): Promise<Suggestion> => {
    await condition(() => ready);
    const last = [...state.recent].reverse().find((t) => t.role === 'customer');
    if (!last) throw ApplicationFailure.nonRetryable('the customer has not written anything to answer yet', 'NothingToSuggest');
    const history = state.recent.slice(0, state.recent.lastIndexOf(last));
    const draft = await localTurn.agentTurn({
      ...key, message: { id: `suggestion:${now()}`, text: last.text }, history, missStreak: 0, clarifyStreak: 0,
      ...(customer ? { customer } : {}), ignoreStatus: true,
    });
    if ('silent' in draft) throw ApplicationFailure.nonRetryable('the agent is switched off', 'AgentOff');
    return draft.reply;
  }, { description: HANDLER_DESCRIPTIONS.suggest });

  setHandler(approveActionUpdate, async ({ runId, by }): Promise<ActionDecisionResult> => {
    await condition(() => ready);
    const draft = takeApproval(runId);
    const outcome = await runAction(draft.messageId, { actionId: draft.actionId, name: draft.name, inputs: draft.inputs }, true);
    const ok = outcome.ok && !!outcome.text;
    const text = ok ? outcome.text! : actionFailedText(draft.language).text;
    await tell(`action:${runId}`, text, draft.language);
    if (!ok && !state.ownedByPeople) await requestHandoff('action_failed', `action:${runId}`);
    log.info('action approved', { runId, by: by ?? 'unknown', ok });
    return { runId, status: ok ? 'succeeded' : 'failed', text };
  }, { validator: checkActionDecision, description: HANDLER_DESCRIPTIONS.approveAction });

  setHandler(rejectActionUpdate, async ({ runId, by }): Promise<ActionDecisionResult> => {
    await condition(() => ready);
    const draft = takeApproval(runId);
    await actions.closeDraftedAction({ messageId: draft.messageId, actionId: draft.actionId, status: 'rejected', ...(by ? { by } : {}) });
    const { text } = approvalText('rejected', draft.language);
    await tell(`action:${runId}`, text, draft.language);
    return { runId, status: 'rejected', text };
  }, { validator: checkActionDecision, description: HANDLER_DESCRIPTIONS.rejectAction });

  /** The draft a person decides on; a run that is not waiting here (decided, expired, unknown) is refused. */
  function takeApproval(runId: string): AwaitingApproval {
    const draft = state.approvals.find((a) => a.runId === runId);
    if (!draft) throw ApplicationFailure.nonRetryable(`no action run ${runId} waits for approval in this conversation`, 'ApprovalNotFound');
    state.approvals = state.approvals.filter((a) => a !== draft);
    wake = true;
    return draft;
  }

  /** The agent says something after the fact (an approved action's result, a decision): kept and delivered. */
  async function tell(messageId: string, text: string, language: string): Promise<void> {
    await bookkeep('recordAgentNotice', () => actions.recordAgentNotice({ ...key, messageId, text, language }));
    await deliver(messageId, 'agent');
    state.remember([{ role: 'agent', text }]);
    touch();
  }

  /** Drafts whose approval time ran out: never run, and the customer is told. */
  async function expireApprovals(): Promise<void> {
    for (const draft of state.approvals.filter((a) => a.dueAt <= now())) {
      state.approvals = state.approvals.filter((a) => a !== draft);
      await bookkeep('closeDraftedAction', () => actions.closeDraftedAction({ messageId: draft.messageId, actionId: draft.actionId, status: 'expired' }));
      const { text } = approvalText('expired', draft.language);
      await tell(`action:${draft.runId}`, text, draft.language);
    }
  }

  setHandler(requeueSignal, (removed) => {
    if (typeof removed?.userId !== 'string' || state.assigneeId !== removed.userId) return;
    state.setOwner({ status: 'handoff_requested', teamId: state.teamId });
    if (ready) {
      state.slaDueAt = now() + handoff().slaSeconds * 1000;
      publishOwner();
    }
    touch();
  }, { description: HANDLER_DESCRIPTIONS.requeue });

  // Only state changes, and only when received: histories without this signal replay unchanged.
  setHandler(teamRemovedSignal, (removed) => {
    if (typeof removed?.teamId !== 'string' || state.teamId !== removed.teamId) return;
    state.teamId = undefined;
    if (ready) publishOwner();
  }, { description: HANDLER_DESCRIPTIONS.teamRemoved });

  function touch(): void {
    lastActivityAt = now();
    wake = true;
  }

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
  const humanSide = input.carried?.humanSide ?? patched(HUMAN_SIDE);
  const channels = humanSide && (input.carried?.channels ?? patched(CHANNELS));
  const asyncChannel = !(SYNC_CHANNELS as readonly string[]).includes(input.channel);

  /** Hands a recorded message to the conversation's channel (asynchronous channels only): once per message. */
  async function deliver(messageId: string, role: OutboundRole, message?: { id: string; databaseDown?: boolean }): Promise<void> {
    if (!channels || !asyncChannel) return;
    await bookkeep('queueDelivery', () => outbound.queueDelivery({ ...key, messageId, role }), message);
  }
  function handoff(): HandoffSettings {
    return opened.handoff ?? DEFAULT_HANDOFF;
  }
  ready = true;

  function publishOwner(): void {
    publishStatus(state.status);
    upsertSearchAttributes([{ key: SearchAttr.assignee, value: state.assigneeId ?? '' }]);
    describe();
  }

  /** What the Temporal UI shows for this conversation now: status, owner, customer and the last message. */
  function describe(): void {
    const owner = state.assigneeId ? `assigned to ${state.assigneeId}` : state.teamId ? `in the queue of ${state.teamId}` : state.ownedByPeople ? 'in the queue' : 'with the agent';
    const last = state.recent.at(-1);
    setCurrentDetails([
      `**${state.status}** · ${owner} · ${input.channel}${customer?.email ? ` · ${customer.email}` : customer?.name ? ` · ${customer.name}` : ''}`,
      ...(last ? [`last (${last.role}): ${last.text.slice(0, 160)}`] : []),
    ].join('\n\n'));
  }

  /** Hands the conversation to people as the agent's settings say, and starts the SLA clock. */
  async function requestHandoff(reason: string, messageId: string, message?: { id: string; databaseDown?: boolean }, assignTo?: AssignTo, summary?: string): Promise<void> {
    state.handoffDueAt = undefined;
    // The workflow owns the status: when the routing cannot be written, the conversation still waits in the queue.
    const routed = await bookkeep('routeHandoff', () => people.routeHandoff({ ...key, assignTo: assignTo ?? handoff().assignTo, reason, eventId: `${wfId}:${messageId}`, ...(summary ? { summary } : {}) }), message);
    state.setOwner(routed?.value ?? { status: 'handoff_requested' });
    state.slaDueAt = now() + handoff().slaSeconds * 1000;
    publishOwner();
  }

  /** Nobody replied in time: the customer is told, and the conversation goes back to the team queue. */
  async function breachSla(): Promise<void> {
    state.slaDueAt = undefined;
    const { text, language } = stillWaitingText(handoff(), state.language ?? customer?.locale?.slice(0, 2) ?? 'en');
    const messageId = `sla:${now()}`;
    await people.recordSystemMessage({ ...key, messageId, text, language });
    await deliver(messageId, 'system');
    const from = state.assigneeId;
    state.setOwner({ status: 'handoff_requested', teamId: state.teamId });
    await people.setOwner({ ...key, ...view(), event: { id: `${wfId}:${messageId}:sla_breached`, type: 'conversation.sla_breached', data: { slaSeconds: handoff().slaSeconds, ...(from ? { previousAssigneeId: from } : {}) } } });
    publishOwner();
  }

  /** The workflow owns the status: it changes even when the database cannot be told. */
  async function setStatus(status: ConversationStatus, message?: { id: string; databaseDown?: boolean }): Promise<void> {
    if (status === state.status) return;
    await bookkeep('setStatus', () => book.setStatus({ ...key, status }), message);
    state.status = status;
    publishStatus(status);
  }

  async function handle(msg: InboundMessage): Promise<void> {
    customer = mergeCustomer(customer, msg.customer);
    publishCustomer(msg.customer);
    const handling = { id: msg.messageId, databaseDown: false };
    const where = channels ? { channel: msg.channel, ...(msg.deploymentId ? { deploymentId: msg.deploymentId } : {}), ...(msg.address ? { address: msg.address } : {}) } : {};
    // The row shows who the customer is now (verified or not) as soon as a message names them.
    const named = msg.customer && customer ? { customer } : {};
    const inbound = { ...key, messageId: msg.messageId, text: msg.text, ...where, ...named };
    // Only where the agent would answer now: people do not own it, no code is awaited, nothing waits for the hours.
    const quick = channels && !state.ownedByPeople && !state.verifying && state.waiting.length === 0 && patched(ONE_STEP_MESSAGE)
      ? await inOneStep(msg, inbound) : undefined;
    const withAvailability = channels && patched(INBOUND_WITH_AVAILABILITY);
    const recorded = quick
      ? { value: quick.recorded }
      : await bookkeep('recordInbound', () => book.recordInbound({ ...inbound, ...(withAvailability ? { withAvailability } : {}) }), handling);
    const prior = recorded?.value;
    if (humanSide && state.ownedByPeople && !prior?.previousReply) {
      // A person (or the team's queue) has the conversation: the message is kept and they are told; the agent is silent.
      await bookkeep('emitMessageEvent', () => people.emitMessageEvent({ ...key, messageId: msg.messageId, role: 'customer', text: msg.text, ...(state.assigneeId ? { assigneeId: state.assigneeId } : {}) }), handling);
      state.complete(msg, { reply: null, conversation: { id: input.conversationId, status: state.status } }, state.missStreak);
      return;
    }
    if (humanSide && state.handoffDueAt !== undefined && saysSolved(msg.text)) state.handoffDueAt = undefined;
    if (prior?.previousReply) {
      // Answered in an earlier run (the conversation closed and reopened): same reply, nothing new.
      if (prior.previousText !== msg.text) {
        conflicts.add(msg.messageId);
        return;
      }
      // On an asynchronous channel it may not have gone out yet (a worker died after recording it): queued
      // again, it is sent once (a delivery already made or given up on is not repeated).
      await deliver(msg.messageId, 'agent', handling);
      state.complete(msg, { reply: prior.previousReply, conversation: { id: input.conversationId, status: state.status } }, state.missStreak);
      return;
    }
    if (channels && recorded && !quick?.thought && await heldOutsideHours(msg, handling, prior?.availability)) return;
    const result = await answer(msg, handling, recorded !== undefined, quick);
    // An archived agent: the message is kept, nobody is billed, and the reply is null.
    state.complete(msg, { reply: result?.reply ?? null, conversation: { id: input.conversationId, status: state.status } }, result?.missStreak ?? state.missStreak);
  }

  /**
   * Where the agent is not deployed on the message's channel it stays silent; outside the deployment's
   * hours the customer gets the away text (the message waits for the hours) or goes straight to the team.
   * True when the message was handled here.
   */
  async function heldOutsideHours(msg: InboundMessage, handling: { id: string; databaseDown?: boolean }, known?: Availability): Promise<boolean> {
    const read = known ? { value: known } : await bookkeep('availability', () => outbound.availability({ ...key, channel: msg.channel, ...(msg.deploymentId ? { deploymentId: msg.deploymentId } : {}) }), handling);
    if (!read) return false;
    const where = read.value;
    const done = (reply: MessageResult['reply']) => state.complete(msg, { reply, conversation: { id: input.conversationId, status: state.status } }, state.missStreak);
    if (!where.deployed) {
      done(null);
      return true;
    }
    const at = answersAt(where, new Date(now()));
    if (at.now) {
      // Within the hours (they changed, or started before the timer): what waited is answered first.
      if (state.waiting.length > 0) await answerWaiting();
      return false;
    }
    const language = state.language ?? customer?.locale?.slice(0, 2) ?? 'en';
    if (where.whenUnavailable.action === 'handoff') {
      const { text, language: l } = awayText(undefined, language, true);
      const reply = { text, kind: 'handoff' as const, sources: [], language: l, confidence: 1 };
      await bookkeep('recordReply', () => book.recordReply({ ...key, messageId: msg.messageId, reply, insights: outsideHoursInsights('handoff') }), handling);
      await deliver(msg.messageId, 'agent', handling);
      await requestHandoff('outside_hours', msg.messageId, handling);
      done(reply);
      return true;
    }
    // The first message outside the hours gets the away text; the ones after it wait quietly with it.
    const first = state.waiting.length === 0;
    state.wait(msg, at.opensAt?.getTime());
    if (!first) {
      done(null);
      return true;
    }
    const { text, language: l } = awayText(where.whenUnavailable.message, language, false);
    const awayId = `away:${msg.messageId}`;
    await bookkeep('recordSystemMessage', () => people.recordSystemMessage({ ...key, messageId: awayId, text, language: l }), handling);
    await deliver(awayId, 'system', handling);
    done({ text, kind: 'answer', sources: [], language: l, confidence: 1 });
    wake = true;
    return true;
  }

  /** The agent's hours have started: the messages that waited are answered, in order (unless a person took over). */
  async function answerWaiting(): Promise<void> {
    const check = state.waiting[0];
    if (!check) return;
    const read = await bookkeep('availability', () => outbound.availability({ ...key, channel: check.channel, ...(check.deploymentId ? { deploymentId: check.deploymentId } : {}) }));
    const at = read ? answersAt(read.value, new Date(now())) : { now: true as const };
    if (!at.now) {
      // The hours changed meanwhile: wait for the new opening.
      state.hoursOpenAt = at.opensAt?.getTime();
      return;
    }
    for (const msg of state.takeWaiting()) {
      if (state.ownedByPeople) break;
      const result = await answer(msg, { id: msg.messageId, databaseDown: false }, true);
      if (result) {
        state.remember([{ role: 'agent', text: result.reply.text }]);
        state.missStreak = result.missStreak;
      }
    }
  }

  /**
   * Thinks, records and (on asynchronous channels) sends the agent's reply. A paused agent hands the
   * conversation to people instead; undefined when the agent is archived.
   */
  async function answer(msg: InboundMessage, handling: { id: string; databaseDown?: boolean }, recorded: boolean, quick?: HandledMessage): Promise<TurnResult | undefined> {
    // A message that cannot be recorded is not answered from knowledge: the team gets it through the handoff.
    const verified = recorded && state.verifying ? await checkCode(msg) : undefined;
    const thought = quick?.thought ?? verified ?? (recorded ? await thinkOrFallBack(msg) : fallback('bookkeeping_failed', 'the message could not be recorded'));
    if ('silent' in thought) {
      if (humanSide && thought.silent.reason === 'agent_paused' && patched(PAUSED_AGENT_HANDOFF)) return await pausedHandoff(msg, thought.silent.language, handling);
      return undefined;
    }
    let result = humanSide ? shapeHandoff(await carryOut(thought, msg)) : thought;
    const messageEvent = humanSide && patched(REPLY_WITH_MESSAGE_EVENT);
    // Reads `result` when called: after a failed write it records the fallback.
    const record = () => book.recordReply({ ...key, messageId: msg.messageId, reply: result.reply, insights: result.insights, ...(messageEvent ? { messageEvent } : {}) });
    const saved = quick?.replied ? { value: undefined } : await bookkeep('recordReply', record, handling);
    if (!saved && result.insights.responder !== 'fallback') {
      // A reply that cannot be recorded is not sent either: the customer gets the fallback handoff instead.
      result = fallback('bookkeeping_failed', 'the reply could not be recorded');
      await bookkeep('recordReply', record, handling);
    }
    if (humanSide) {
      state.language = result.reply.language;
      state.clarifyStreak = result.reply.kind === 'clarify' ? state.clarifyStreak + 1 : 0;
      if (result.intent.handoff) await requestHandoff(result.intent.handoff.reason, msg.messageId, handling, result.intent.handoff.assignTo, result.intent.handoff.summary);
      if (!messageEvent) await bookkeep('emitMessageEvent', () => people.emitMessageEvent({ ...key, messageId: msg.messageId, role: 'agent', text: result.reply.text }), handling);
      if (saved || result.insights.responder === 'fallback') await deliver(msg.messageId, 'agent', handling);
    } else if (result.intent.handoff) {
      await setStatus('handoff_requested', handling);
    }
    return result;
  }

  /**
   * The agent is paused: the conversation goes to people as its handoff settings route it (whatever their
   * mode or delay: a paused agent cannot keep it), and the customer is told a person will answer. The
   * notice is the workflow's (role system), not an agent reply: it bills nothing.
   */
  async function pausedHandoff(msg: InboundMessage, language: string | undefined, handling: { id: string; databaseDown?: boolean }): Promise<TurnResult> {
    const { text, language: l } = agentPausedText(handoff(), language ?? state.language ?? customer?.locale?.slice(0, 2) ?? 'en');
    const noticeId = `paused:${msg.messageId}`;
    await bookkeep('recordSystemMessage', () => people.recordSystemMessage({ ...key, messageId: noticeId, text, language: l }), handling);
    await deliver(noticeId, 'system', handling);
    await requestHandoff('agent_paused', msg.messageId, handling);
    state.language = l;
    return {
      reply: { text, kind: 'handoff', sources: [], language: l, confidence: 1 },
      insights: { path: ['agent_paused'], reason: 'agent_paused: the agent is paused, so the conversation went to the team.', triggers: ['agent_paused'], scores: {}, candidates: [], responder: 'fixed_message' },
      missStreak: state.missStreak,
      intent: {},
    };
  }

  /**
   * The turn's action intents: inputs still being gathered are kept for the next turn; an action with all
   * its inputs runs now, and its result is the reply. A call that fails for good gets an honest reply
   * and the handoff.
   */
  async function carryOut(result: TurnResult, msg: InboundMessage): Promise<TurnResult> {
    if (result.intent.collect !== undefined) state.pendingAction = result.intent.collect ?? undefined;
    if (result.intent.pendingCrm !== undefined) state.pendingCrm = result.intent.pendingCrm ?? undefined;
    if (result.intent.leadProgress !== undefined) state.leadProgress = result.intent.leadProgress ?? undefined;
    const write = result.intent.crm;
    if (write) {
      await bookkeep('updateContactProperties', () => crm.updateContactProperties({ ...key, messageId: msg.messageId, contactId: write.contactId, changes: write.changes, source: 'agent' }));
    }
    const verifyFor = result.intent.verifyFor;
    if (verifyFor && result.intent.handoff?.reason === 'identity_required' && input.channel === 'email' && customer?.email) {
      return await sendCode(result, msg, { ...verifyFor, email: customer.email });
    }
    const lead = result.intent.leadQualified;
    if (lead) await bookkeep('leadQualified', () => crm.leadQualified({ ...key, messageId: msg.messageId, contactId: lead.contactId, answers: Object.fromEntries(Object.entries(lead.answers).map(([k, v]) => [k, String(v)])) }));
    const call = result.intent.action;
    if (!call) return result;
    const { action: _ran, ...rest } = result.intent;
    const insights = { ...result.insights, path: [...result.insights.path, 'run_action'] };
    if (call.approval) {
      const drafted = await draft(msg.messageId, call, call.approval.timeoutSeconds, result.reply.language);
      if (drafted) {
        const { text } = approvalText('requested', result.reply.language);
        return {
          ...result, intent: rest,
          reply: { ...result.reply, text, kind: 'answer', sources: [] },
          insights: { ...insights, triggers: [...insights.triggers, `action_approval_requested:${call.name}`], reason: `${result.insights.reason} It needs a person's approval: drafted and the team told.` },
        };
      }
    }
    const outcome = call.approval ? { ok: false, error: 'the draft could not be recorded' } : await runAction(msg.messageId, call, false);
    if (outcome.ok && outcome.text) {
      return {
        ...result, intent: rest,
        reply: { ...result.reply, text: outcome.text, kind: 'answer', sources: [] },
        insights: { ...insights, triggers: [...insights.triggers, `action_ran:${call.name}`], reason: `${result.insights.reason} It ran and answered.` },
      };
    }
    const { text, language } = actionFailedText(result.reply.language);
    return {
      ...result, intent: { ...rest, handoff: { reason: 'action_failed' } },
      reply: { text, kind: 'handoff', sources: [], language, confidence: 1 },
      insights: { ...insights, triggers: [...insights.triggers, `action_failed:${call.name}`], reason: `${result.insights.reason} It failed: ${outcome.error ?? 'no answer'}; a person takes over.` },
    };
  }

  /**
   * The action needs a verified customer and this is email: a one-time code goes to the customer's address
   * instead of the handoff; the action runs once they write it back. A code that cannot be sent: the handoff.
   */
  async function sendCode(result: TurnResult, msg: InboundMessage, verifying: NonNullable<typeof state.verifying>): Promise<TurnResult> {
    const language = result.reply.language;
    let sent: { sent: boolean };
    try {
      sent = await codes.sendVerificationCode({ ...key, email: verifying.email, language, requestKey: `${wfId}:${msg.messageId}:verify` });
    } catch (err) {
      log.warn('the verification code could not be sent', { messageId: msg.messageId, error: String(err) });
      sent = { sent: false };
    }
    if (!sent.sent) {
      const { text } = verificationNotSentText(language);
      return { ...result, reply: { ...result.reply, text }, insights: { ...result.insights, triggers: [...result.insights.triggers, 'verification_not_sent'] } };
    }
    state.verifying = verifying;
    const { handoff: _handoff, verifyFor: _verifyFor, ...rest } = result.intent;
    const { text } = verificationCodeSentText(verifying.email, language);
    return {
      ...result, intent: rest,
      reply: { text, kind: 'clarify', sources: [], language, confidence: 1 },
      insights: { ...result.insights, triggers: [...result.insights.triggers, 'verification_code_sent'], reason: `${result.insights.reason} A one-time code went to the customer's address instead.` },
    };
  }

  /**
   * A code was emailed: this message may carry it. Right: the customer is verified for that address and
   * the action goes on. Wrong: asked again. Dead (expired, too many tries): the customer is told. No code
   * in the message: an ordinary turn (undefined).
   */
  async function checkCode(msg: InboundMessage): Promise<TurnResult | undefined> {
    const verifying = state.verifying!;
    const checked = await bookkeep('checkVerificationCode', () => codeChecks.checkVerificationCode({ ...key, messageId: msg.messageId, text: msg.text }));
    if (!checked) return undefined;
    const result = checked.value;
    const language = state.language ?? customer?.locale?.slice(0, 2) ?? 'en';
    const said = (text: string, trigger: string, kind: 'answer' | 'clarify' = 'answer'): TurnResult => ({
      reply: { text, kind, sources: [], language, confidence: 1 },
      insights: { path: ['verify'], reason: `${trigger}: the customer answered the emailed code.`, triggers: [trigger], scores: {}, candidates: [], responder: 'fixed_message' },
      missStreak: state.missStreak, intent: {},
    });
    if (result.verified) {
      state.verifying = undefined;
      if (!sameEmail(result.email, verifying.email)) return said(verificationWrongCodeText(language).text, 'verification_other_address', 'clarify');
      customer = { ...customer, email: verifying.email, verified: true, verifiedBy: 'email_code' };
      publishCustomer(customer);
      const confirmed = verificationConfirmedText(language).text;
      if (!verifying.complete) return said(confirmed, 'verification_confirmed');
      const ran = await carryOut({ ...said(confirmed, 'verification_confirmed'), intent: { action: verifying.action } }, msg);
      return { ...ran, reply: { ...ran.reply, text: `${confirmed} ${ran.reply.text}` } };
    }
    if (result.reason === 'wrong') return said(verificationWrongCodeText(language).text, 'verification_wrong_code', 'clarify');
    if (result.reason === 'expired' || result.reason === 'too_many_attempts') {
      state.verifying = undefined;
      return said(verificationCodeDeadText(result.reason, language).text, `verification_${result.reason}`);
    }
    if (result.reason === 'no_code') state.verifying = undefined;
    return undefined;
  }

  /** Runs an action (retried by Temporal with the same key); after the last retry the run is recorded as failed. */
  async function runAction(
    messageId: string, call: { actionId: string; name: string; inputs: Record<string, string | number> }, approved: boolean,
  ): Promise<{ ok: boolean; text?: string | undefined; error?: string | undefined }> {
    try {
      return await actions.runConversationAction({
        ...key, messageId, actionId: call.actionId, inputs: call.inputs, ...(customer ? { customer } : {}), ...(approved ? { approved } : {}),
      });
    } catch (err) {
      log.warn('action failed after retries', { messageId, action: call.name, error: String(err) });
      const error = 'the call kept failing after retries';
      await bookkeep('abandonAction', () => actions.abandonConversationAction({ messageId, actionId: call.actionId, error }));
      return { ok: false, error };
    }
  }

  /** Drafts an action for a person's approval; false when the draft could not be recorded. */
  async function draft(messageId: string, call: { actionId: string; name: string; inputs: Record<string, string | number> }, timeoutSeconds: number, language: string): Promise<boolean> {
    const dueAt = now() + timeoutSeconds * 1000;
    const drafted = await bookkeep('draftAction', () => actions.draftConversationAction({
      ...key, messageId, actionId: call.actionId, inputs: call.inputs, expiresAt: new Date(dueAt).toISOString(), ...(customer ? { customer } : {}),
    }));
    if (!drafted) return false;
    state.approvals = [...state.approvals, { runId: drafted.value.runId, messageId, actionId: call.actionId, name: call.name, inputs: call.inputs, dueAt, language }];
    wake = true;
    return true;
  }

  /**
   * What the agent's handoff settings make of a handoff the turn asks for: `stay` keeps the conversation
   * and says so; a delay tells the customer when a person takes over, and the agent keeps answering.
   */
  function shapeHandoff(result: TurnResult): TurnResult {
    const reason = result.intent.handoff?.reason;
    if (!reason) return result;
    const settings = handoff();
    const language = result.reply.language;
    if (settings.mode === 'stay') {
      const { text } = unavailableText(settings, language);
      return {
        ...result, intent: {}, reply: { ...result.reply, text, kind: 'answer' },
        insights: { ...result.insights, triggers: [...result.insights.triggers, 'handoff_unavailable'], reason: `${result.insights.reason} The agent's handoff mode is stay: no person takes over.` },
      };
    }
    if (settings.delaySeconds > 0) {
      if (state.handoffDueAt === undefined) state.handoffDueAt = now() + settings.delaySeconds * 1000;
      const { text } = delayedText(settings, language, Math.max(1, Math.round((state.handoffDueAt - now()) / 1000)));
      return {
        ...result, intent: {}, reply: { ...result.reply, text },
        insights: { ...result.insights, triggers: [...result.insights.triggers, 'handoff_delayed'] },
      };
    }
    return result;
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

  /** What the turn is given: the message and what the conversation knows. */
  function turnInput(msg: InboundMessage) {
    return {
      ...key,
      message: { id: msg.messageId, text: msg.text },
      history: state.recent,
      missStreak: state.missStreak,
      ...(humanSide ? { clarifyStreak: state.clarifyStreak } : {}),
      ...(state.pendingAction ? { pendingAction: state.pendingAction } : {}),
      ...(humanSide ? { channel: msg.channel, ...(msg.address ? { address: msg.address } : {}) } : {}),
      ...(state.pendingCrm ? { pendingCrm: state.pendingCrm } : {}),
      ...(state.leadProgress ? { leadProgress: state.leadProgress } : {}),
      ...(customer ? { customer } : {}),
    };
  }

  /** The message in one local activity; undefined when it failed, and the workflow takes the steps itself. */
  async function inOneStep(msg: InboundMessage, inbound: Parameters<ConversationActivities['recordInbound']>[0]): Promise<HandledMessage | undefined> {
    try {
      return await oneStep.handleMessage({ inbound, turn: turnInput(msg) });
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.warn('the one-step message failed; taking its steps one at a time', { messageId: msg.messageId, error: String(err) });
      return undefined;
    }
  }

  async function thinkOrFallBack(msg: InboundMessage): Promise<AgentTurnResult> {
    try {
      const run = patched(TURN_AS_LOCAL_ACTIVITY) ? localTurn : turn;
      return await run.agentTurn(turnInput(msg));
    } catch (err) {
      log.error('turn failed after retries; handing off with a fallback reply', { messageId: msg.messageId, error: String(err) });
      return fallback('turn_failed', 'the turn failed after retries');
    }
  }

  if (humanSide) {
    try {
      await humanLoop();
    } catch (err) {
      // Cancelled from the Temporal UI or CLI: the database says closed too, then the cancellation stands.
      if (isCancellation(err)) {
        await CancellationScope.nonCancellable(() => people.setOwner({ ...key, status: 'closed', event: { id: `${wfId}:closed`, type: 'conversation.closed', data: { by: 'cancellation' } } }));
      }
      throw err;
    }
    await condition(allHandlersFinished);
    return;
  }

  /** The lifecycle with people: messages, timers (idle close, delayed handoff, SLA) and human updates. */
  async function humanLoop(): Promise<void> {
    const alarm = patched(LINGERING_ALARM) ? new Alarm(now) : undefined;
    for (;;) {
      const next = state.nextDeadline(lastActivityAt + opened.idleTimeoutMs);
      wake = false;
      const woke = await wakeOrDeadline(next, alarm);
      if (closeRequested && state.inbox.length === 0) return;
      if (closeRequested) {
        // A customer wrote as the conversation was being closed: it reopens with its history.
        closeRequested = false;
        await people.setOwner({ ...key, status: 'open' });
        state.release('open');
        publishOwner();
      }
      if (!woke) {
        if (next.what === 'handoff' && state.handoffDueAt !== undefined && now() >= state.handoffDueAt) {
          await requestHandoff('delayed_handoff', `delayed:${state.handoffDueAt}`);
        } else if (next.what === 'sla' && state.slaDueAt !== undefined && now() >= state.slaDueAt) {
          await breachSla();
        } else if (next.what === 'approval' && now() >= next.at) {
          await expireApprovals();
        } else if (next.what === 'hours' && now() >= next.at) {
          await answerWaiting();
        } else if (next.what === 'idle' && now() >= next.at && state.approvals.length > 0) {
          // Not closed while an action waits for a person's decision: its expiry tells the customer first.
          lastActivityAt = now();
        } else if (next.what === 'idle' && now() >= lastActivityAt + opened.idleTimeoutMs) {
          state.release('closed');
          await people.setOwner({ ...key, status: 'closed', event: { id: `${wfId}:closed`, type: 'conversation.closed', data: { by: 'idle' } } });
          publishOwner();
          if (state.inbox.length === 0) return;
          state.release('open');
          await people.setOwner({ ...key, status: 'open' });
          publishOwner();
        }
        continue;
      }
      while (state.inbox.length > 0) {
        await handle(state.inbox.shift() as InboundMessage);
        lastActivityAt = now();
      }
      describe();
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        if (state.inbox.length === 0 && !closeRequested) {
          await continueAsNew<typeof conversation>({ ...input, ...(customer ? { customer } : {}), carried: state.carry(true, channels) });
        }
      }
    }
  }

  /** True when something woke the loop; false when the deadline came (or, with the alarm, may have). */
  async function wakeOrDeadline(next: Deadline, alarm: Alarm | undefined): Promise<boolean> {
    const woken = () => state.inbox.length > 0 || wake || closeRequested;
    if (!alarm) return condition(woken, Math.max(1, next.at - now()), { summary: next.summary });
    alarm.setFor(next);
    await condition(() => woken() || alarm.rang);
    return woken();
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
