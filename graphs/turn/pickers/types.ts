import type { ActionSummary, InputValue, PendingAction } from '../../../domain/action.js';
import type { Language } from '../../../knowledge/types.js';

/**
 * What a picker may read: the customer's own current message, the agent's actions and the action whose
 * inputs are being gathered. Never knowledge passages, history or an action's response: text planted
 * there must not be able to start a call.
 */
export interface PickInput {
  message: string;
  actions: readonly ActionSummary[];
  pending?: PendingAction | undefined;
  /** The reply language. */
  language: Language;
}

/** Why the model picker handed the message to the offline one. */
export type PickerFallbackReason = 'provider_error' | 'no_tool_call' | 'unknown_tool';

export interface ActionPick {
  actionId: string;
  /** Values this message gives, each one passed `checkInput`; the node adds them to what was given before. */
  inputs: Record<string, InputValue>;
  /** Why this action, in words, for insights: `trigger phrase “order status”`. */
  evidence: string;
  /** The message asks for the action itself, rather than only answering the question about the pending one. */
  requested: boolean;
  /** 1 for a trigger phrase, the description's coverage for a description match; absent for a model's choice. */
  score?: number;
  /** A value given for an input that is not valid: the node asks for that input again, naming the value. */
  invalid?: { name: string; given: string; problem: string };
  /** Set when the model picker fell back to the offline one for this pick. */
  fallback?: PickerFallbackReason;
}

export interface ActionPicker {
  /** Shown in insights, e.g. "offline" or "openai:gpt-4o-mini". Never include secrets. */
  readonly name: string;
  /** The action the message asks for (or the pending one it answers for), with the inputs it gives; undefined: none. */
  pick(input: PickInput): Promise<ActionPick | undefined>;
}
