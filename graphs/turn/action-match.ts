/**
 * Offline action choice and input reading: which declared action the customer's own message asks for,
 * and which input values it gives. Only the customer's message is read here, never knowledge or an
 * action's response, so text planted in a source cannot start a call. Pure functions, unit-tested.
 */
import type { ActionInput, ActionSummary, InputValue } from '../../domain/action.js';
import { checkInput } from '../../actions/inputs.js';
import { contentTerms, foldedWords, sameStem } from './words.js';

export interface ActionMatch {
  action: ActionSummary;
  /** 1 for a trigger phrase; else the share of the message's terms the action's name and description cover. */
  score: number;
  evidence: string;
}

/** Description matches need this share of the message's content terms, and at least two of them. */
const DESCRIPTION_SHARE = 0.5;
const DESCRIPTION_MIN_TERMS = 2;

/** The action the message asks for: a trigger phrase first, else the best-covered name and description. */
export function matchAction(text: string, actions: readonly ActionSummary[]): ActionMatch | undefined {
  return matchTriggerPhrase(text, actions) ?? matchDescription(text, actions);
}

/** The first action one of whose trigger phrases the message contains (whatever the case and accents). */
export function matchTriggerPhrase(text: string, actions: readonly ActionSummary[]): ActionMatch | undefined {
  const folded = ` ${foldedWords(text).join(' ')} `;
  for (const action of actions) {
    for (const phrase of action.triggerPhrases) {
      const p = foldedWords(phrase).join(' ');
      if (p && folded.includes(` ${p} `)) return { action, score: 1, evidence: `trigger phrase “${phrase}”` };
    }
  }
  return undefined;
}

function matchDescription(text: string, actions: readonly ActionSummary[]): ActionMatch | undefined {
  const terms = contentTerms(text).filter((t) => !/^\d+$/.test(t));
  if (terms.length === 0) return undefined;
  let best: ActionMatch | undefined;
  for (const action of actions) {
    const described = contentTerms(`${action.name} ${action.description}`);
    const shared = terms.filter((t) => described.some((d) => sameStem(t, d)));
    const score = shared.length / terms.length;
    if (shared.length >= DESCRIPTION_MIN_TERMS && score >= DESCRIPTION_SHARE && score > (best?.score ?? 0)) {
      best = { action, score, evidence: `its description covers “${shared.join(', ')}”` };
    }
  }
  return best;
}

export type InputReading =
  | { kind: 'value'; value: InputValue }
  /** Something was given for the input that was asked for, but it is not valid. */
  | { kind: 'invalid'; given: string; problem: string }
  | { kind: 'none' };

const EMAIL = /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[A-Za-z]{2,}/g;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;
const DMY_DATE = /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g;
const NUMBER = /(?<![\p{L}\d])-?\d+(?:[.,]\d+)?(?![\p{L}\d])/gu;
const TOKEN = /[\p{L}\p{N}#_\-./]+/gu;
/** Words that introduce a value: "my order number is 123", "ordrenummeret er 123", "c'est 123". */
const INTRODUCERS = new Set(['is', 'er', 'ist', 'es', 'est', 'c', 'zijn', 'lautet', 'son']);
const MAX_FREE_TEXT = 200;

/** Candidate values of an input's type in free text, in order of appearance. */
function candidates(text: string, input: ActionInput): string[] {
  switch (input.type) {
    case 'email': return text.match(EMAIL) ?? [];
    case 'number': return (text.match(NUMBER) ?? []).map((n) => n.replace(',', '.'));
    case 'date': return [
      ...(text.match(ISO_DATE) ?? []),
      ...[...text.matchAll(DMY_DATE)].map((m) => `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`),
    ];
    default: return input.pattern ? (text.match(TOKEN) ?? []).map((t) => t.replace(/[.,]+$/, '')) : [];
  }
}

/** The free-text answer to "what is your …?": the words after "is", or the whole short message. */
function freeText(text: string): string | undefined {
  const trimmed = text.trim().replace(/[.!?]+$/, '').trim();
  if (!trimmed || trimmed.length > MAX_FREE_TEXT) return undefined;
  const words = trimmed.split(/\s+/);
  const at = words.findLastIndex((w, i) => i < words.length - 1 && INTRODUCERS.has(foldedWords(w)[0] ?? ''));
  const value = at >= 0 ? words.slice(at + 1).join(' ') : trimmed;
  return value.replace(/^[:“”"']+|[“”"']+$/g, '').trim() || undefined;
}

/**
 * Reads one input from the message. `asked`: the agent's last reply asked for this input, so a short
 * message is taken as its value (and a value that fails the input's rules is reported as invalid).
 */
export function readInput(text: string, input: ActionInput, asked: boolean, taken: ReadonlySet<string> = new Set()): InputReading {
  let firstInvalid: { given: string; problem: string } | undefined;
  for (const raw of candidates(text, input)) {
    if (taken.has(raw)) continue;
    const checked = checkInput(input, raw);
    if (checked.ok) return { kind: 'value', value: checked.value };
    firstInvalid ??= { given: raw, problem: checked.problem };
  }
  if (!asked) return { kind: 'none' };
  if (input.type === 'string' && !input.pattern) {
    const value = freeText(text);
    return value ? { kind: 'value', value } : { kind: 'none' };
  }
  // Any word of a sentence fails a pattern; only a typed value (a number, a date) that fails is "invalid".
  if (firstInvalid && !(input.type === 'string' && input.pattern)) return { kind: 'invalid', ...firstInvalid };
  const given = freeText(text);
  // A short reply to "what is your order number?" that is not one: say what is wrong with it.
  if (given && given.split(/\s+/).length <= 3) {
    const checked = checkInput(input, given);
    return checked.ok ? { kind: 'value', value: checked.value } : { kind: 'invalid', given, problem: checked.problem };
  }
  return { kind: 'none' };
}

/**
 * Reads every missing input the message gives. The input the agent asked for is read first (a short
 * reply is its value); a value is used for one input only.
 */
export function readInputs(
  text: string, inputs: Record<string, ActionInput>, have: Record<string, InputValue>, asking?: string,
): { values: Record<string, InputValue>; invalid?: { name: string; given: string; problem: string } } {
  const values: Record<string, InputValue> = {};
  const taken = new Set<string>();
  const order = Object.keys(inputs).filter((n) => have[n] === undefined).sort((a, b) => Number(b === asking) - Number(a === asking));
  let invalid: { name: string; given: string; problem: string } | undefined;
  for (const name of order) {
    const reading = readInput(text, inputs[name]!, name === asking, taken);
    if (reading.kind === 'value') {
      values[name] = reading.value;
      taken.add(String(reading.value));
    } else if (reading.kind === 'invalid' && name === asking) {
      invalid = { name, given: reading.given, problem: reading.problem };
    }
  }
  return { values, ...(invalid ? { invalid } : {}) };
}

/** The first required input still missing, in declaration order. */
export function nextMissing(inputs: Record<string, ActionInput>, have: Record<string, InputValue>): string | undefined {
  return Object.entries(inputs).find(([name, i]) => i.required && have[name] === undefined)?.[0];
}

/** Whether a message moves on from the inputs being asked for: a question of its own. */
export function movesOn(text: string): boolean {
  const words = text.trim().split(/\s+/).length;
  return /\?\s*$/.test(text.trim()) || words > 12;
}
