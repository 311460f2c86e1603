/**
 * Actions: when the customer's own message asks for one of the agent's actions (or answers the input the
 * agent asked for), gathers its inputs across turns and returns the `action` intent the workflow runs.
 * Asks for a missing or invalid input with a clarifying question in the customer's language. Knowledge
 * and action responses never reach this node: only `input.message` and the workflow's pending action do.
 */
import type { ActionSummary, InputValue, PendingAction } from '../../../domain/action.js';
import { matchAction, movesOn, nextMissing, readInputs } from '../action-match.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { messagesFor } from '../messages.js';
import { ACTION, Trigger } from '../names.js';

/** Clarifying questions for one action's inputs before a person takes over. */
export const MAX_INPUT_QUESTIONS = 3;

export function actionNode({ input, language }: TurnStateType): TurnUpdate {
  const text = input.message.text;
  const available = { actionsAvailable: input.actions.length };
  const pending = input.pendingAction;
  const pendingAction = pending && input.actions.find((a) => a.id === pending.actionId);
  const matched = matchAction(text, input.actions);
  // A new request for another action replaces the one being gathered.
  const switching = matched && pendingAction && matched.action.id !== pendingAction.id;
  const action = switching ? matched.action : pendingAction ?? matched?.action;
  if (!action) {
    // Nothing asked for (or the pending action was deleted): on to the knowledge.
    return { path: [ACTION], scores: available, ...(pending ? { intent: { collect: null } } : {}) };
  }
  const have: Record<string, InputValue> = switching || !pendingAction ? {} : { ...pending!.inputs };
  const asking = switching || !pendingAction ? undefined : pending!.asking;
  const read = readInputs(text, action.inputs, have, asking);
  Object.assign(have, read.values);
  const gotSomething = Object.keys(read.values).length > 0;
  const m = messagesFor(language);
  const base = {
    path: [ACTION],
    scores: { ...available, ...(matched && matched.action.id === action.id ? { actionMatch: matched.score } : {}) },
    responder: 'fixed_message',
  };
  if (pendingAction && !switching && !gotSomething && movesOn(text)) {
    // The customer asks something else instead of answering: the action is dropped, the question answered.
    return { path: [ACTION], scores: available, intent: { collect: null } };
  }
  const triggers = [`${Trigger.action}:${action.name}`];
  const why = matched?.action.id === action.id ? `the message asks for the action “${action.name}” (${matched.evidence})` : `the customer is giving the inputs of the action “${action.name}”`;

  if (action.requiresVerifiedIdentity && !input.customer?.verified) {
    return {
      ...base,
      decision: { kind: 'handoff', reason: 'identity_required', confidence: 1 },
      reply: { text: m.verifyFirst(), kind: 'handoff', sources: [], language, confidence: 1 },
      intent: { handoff: { reason: 'identity_required' }, collect: null },
      triggers: [...triggers, Trigger.identityRequired],
      reason: `identity_required: ${why}, which needs a verified customer, and this customer is not verified.`,
      missStreak: 0,
    };
  }
  const asked = switching || !pendingAction ? 0 : pending!.asked;
  const missing = read.invalid?.name ?? nextMissing(action.inputs, have);
  if (missing) return askFor(action, have, missing, asked, read.invalid, { base, triggers, why, language });
  return {
    ...base,
    decision: { kind: 'answer', passages: [], confidence: 1 },
    reply: { text: m.checking(), kind: 'answer', sources: [], language, confidence: 1 },
    intent: {
      action: { actionId: action.id, name: action.name, inputs: have, ...(action.requiresApproval ? { approval: { timeoutSeconds: action.approvalTimeoutSeconds } } : {}) },
      collect: null,
    },
    triggers,
    reason: `action: ${why}; every input is given, so the workflow runs it.`,
    missStreak: 0,
  };
}

function askFor(
  action: ActionSummary, have: Record<string, InputValue>, name: string, asked: number,
  invalid: { name: string; given: string } | undefined,
  ctx: { base: TurnUpdate; triggers: string[]; why: string; language: TurnStateType['language'] },
): TurnUpdate {
  const m = messagesFor(ctx.language);
  const description = action.inputs[name]!.description;
  if (asked >= MAX_INPUT_QUESTIONS) {
    return {
      ...ctx.base,
      decision: { kind: 'handoff', reason: 'action_inputs', confidence: 1 },
      reply: { text: m.inputsGaveUp(), kind: 'handoff', sources: [], language: ctx.language, confidence: 1 },
      intent: { handoff: { reason: 'action_inputs' }, collect: null },
      triggers: ctx.triggers,
      reason: `action_inputs: ${ctx.why}, but ${name} is still missing after ${asked} questions, so a person takes over.`,
      missStreak: 0,
    };
  }
  const collect: PendingAction = { actionId: action.id, inputs: have, asking: name, asked: asked + 1 };
  return {
    ...ctx.base,
    decision: { kind: 'clarify', confidence: 1 },
    reply: {
      text: invalid ? m.invalidInput({ description, given: m.quote(invalid.given) }) : m.askInput({ description }),
      kind: 'clarify', sources: [], language: ctx.language, confidence: 1,
    },
    intent: { collect },
    triggers: [...ctx.triggers, invalid ? `${Trigger.actionInputInvalid}:${name}` : `${Trigger.actionInput}:${name}`],
    reason: `action_input: ${ctx.why}; asked for ${name}${invalid ? ` again (${m.quote(invalid.given)} is not valid)` : ''}.`,
  };
}
