/**
 * Actions: when the customer's own message asks for one of the agent's actions (or answers the input the
 * agent asked for), gathers its inputs across turns and returns the `action` intent the workflow runs.
 * Asks for a missing or invalid input with a clarifying question in the customer's language. Which action
 * and which values is the picker's call (offline matching, or a model's tool call); it is given only
 * `input.message` and the workflow's pending action, never knowledge, history or action responses.
 */
import type { ActionSummary, InputValue, PendingAction } from '../../../domain/action.js';
import { movesOn, nextMissing } from '../action-match.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { messagesFor } from '../messages.js';
import { ACTION, Trigger } from '../names.js';
import { crmStep } from './crm.js';
import type { ActionPicker } from '../pickers/types.js';

/** Clarifying questions for one action's inputs before a person takes over. */
export const MAX_INPUT_QUESTIONS = 3;

export function createActionNode({ picker }: { picker: ActionPicker }) {
  return async function actionNode({ input, language }: TurnStateType): Promise<TurnUpdate> {
    // The customer's contact first: a confirmation or a lead answer awaited, a property asked about or given.
    const crm = crmStep({ input, language });
    if (crm?.reply) return crm;
    const text = input.message.text;
    const available = { actionsAvailable: input.actions.length };
    const pending = input.pendingAction;
    const pick = input.actions.length > 0 ? await picker.pick({ message: text, actions: input.actions, pending, language }) : undefined;
    // A picker may only name one of the agent's actions.
    const action = pick && input.actions.find((a) => a.id === pick.actionId);
    if (!pick || !action) {
      // Nothing asked for (or the pending action was deleted): on to the knowledge.
      return { path: [ACTION], scores: available, intent: { ...crm?.intent, ...(pending ? { collect: null } : {}) } };
    }
    // A request for another action replaces the one being gathered; the same one keeps what was given.
    const continuing = pending?.actionId === action.id ? pending : undefined;
    const have: Record<string, InputValue> = { ...continuing?.inputs, ...pick.inputs };
    const gotSomething = Object.keys(pick.inputs).length > 0;
    const fallback = pick.fallback ? [`${Trigger.actionPickerFallback}:${pick.fallback}`] : [];
    if (continuing && !pick.requested && !gotSomething && movesOn(text)) {
      // The customer asks something else instead of answering: the action is dropped, the question answered.
      return { path: [ACTION], scores: available, intent: { collect: null }, ...(fallback.length ? { triggers: fallback } : {}) };
    }
    const m = messagesFor(language);
    const base = {
      path: [ACTION],
      scores: { ...available, ...(pick.score !== undefined ? { actionMatch: pick.score } : {}) },
      responder: 'fixed_message',
    };
    const triggers = [`${Trigger.action}:${action.name}`, ...fallback];
    const why = pick.requested ? `the message asks for the action “${action.name}” (${pick.evidence})` : `the customer is giving the inputs of the action “${action.name}”`;

    if (action.requiresVerifiedIdentity && !input.customer?.verified) {
      const planned = { actionId: action.id, name: action.name, inputs: have, ...(action.requiresApproval ? { approval: { timeoutSeconds: action.approvalTimeoutSeconds } } : {}) };
      const complete = nextMissing(action.inputs, have) === undefined;
      return {
        ...base,
        decision: { kind: 'handoff', reason: 'identity_required', confidence: 1 },
        reply: { text: m.verifyFirst(), kind: 'handoff', sources: [], language, confidence: 1 },
        // Kept: where the workflow can verify the customer (an email code), the action goes on afterwards.
        intent: {
          handoff: { reason: 'identity_required' }, verifyFor: { action: planned, complete },
          collect: complete ? null : { actionId: action.id, inputs: have, asked: continuing?.asked ?? 0 },
        },
        triggers: [...triggers, Trigger.identityRequired],
        reason: `identity_required: ${why}, which needs a verified customer, and this customer is not verified.`,
        missStreak: 0,
      };
    }
    const asked = continuing?.asked ?? 0;
    const invalid = pick.invalid && have[pick.invalid.name] === undefined ? pick.invalid : undefined;
    const missing = invalid?.name ?? nextMissing(action.inputs, have);
    if (missing) return askFor(action, have, missing, asked, invalid, { base, triggers, why, language });
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
