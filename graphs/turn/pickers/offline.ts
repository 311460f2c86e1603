/**
 * The offline action picker: a trigger phrase, else the action's name and description, picks a new
 * action; otherwise a pending action keeps gathering its inputs. Inputs are read from the message by
 * their types and patterns (action-match.ts). Deterministic, no I/O.
 */
import { matchAction, readInputs } from '../action-match.js';
import type { ActionPicker, ActionPick, PickInput } from './types.js';

export function createOfflinePicker(): ActionPicker {
  return { name: 'offline', pick: async (input) => pickOffline(input) };
}

export function pickOffline({ message, actions, pending }: PickInput): ActionPick | undefined {
  const matched = matchAction(message, actions);
  const pendingAction = pending && actions.find((a) => a.id === pending.actionId);
  if (matched && matched.action.id !== pendingAction?.id) {
    // A new request (for another action than the one being gathered, which it replaces): nothing was asked yet.
    const read = readInputs(message, matched.action.inputs, {});
    return { actionId: matched.action.id, inputs: read.values, evidence: matched.evidence, requested: true, score: matched.score };
  }
  // A pending action that was deleted since is forgotten.
  if (!pending || !pendingAction) return undefined;
  const read = readInputs(message, pendingAction.inputs, pending.inputs, pending.asking);
  return {
    actionId: pendingAction.id,
    inputs: read.values,
    ...(matched
      ? { evidence: matched.evidence, requested: true, score: matched.score }
      : { evidence: 'the customer is giving its inputs', requested: false }),
    ...(read.invalid ? { invalid: read.invalid } : {}),
  };
}
