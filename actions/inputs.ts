/**
 * An action's inputs checked: what the customer gave, against what the action declares. Pure functions,
 * no I/O and no Node builtins: the turn graph checks each value as the customer gives it, the run checks
 * them all again before the call.
 *
 * Each value is trimmed and normalised by its type (number: a number; date: `yyyy-mm-dd`; email: as
 * written), then matched in full against the input's `pattern`, as normalised: the pattern describes
 * what the business's API receives.
 */
import type { ActionInput, InputValue } from '../domain/action.js';
import { isStorableText } from '../domain/text.js';

export type InputCheck = { ok: true; value: InputValue } | { ok: false; problem: string };

/** The longest text one input takes. */
export const MAX_INPUT_LENGTH = 1000;

/** One value for one input. An empty value is a problem here; whether the input may be left out is checkInputs' business. */
export function checkInput(input: ActionInput, raw: unknown): InputCheck {
  if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) return { ok: false, problem: 'give it as text or a number' };
  const text = String(raw).trim();
  if (text === '') return { ok: false, problem: 'it is empty' };
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, problem: `it is longer than ${MAX_INPUT_LENGTH} characters` };
  if (!isStorableText(text)) return { ok: false, problem: 'it contains characters that cannot be used' };
  const typed = byType(input.type, text);
  if (!typed.ok) return typed;
  if (input.pattern !== undefined && !fullMatch(input.pattern, String(typed.value))) return { ok: false, problem: 'it is not in the expected form' };
  return typed;
}

export type InputsCheck =
  | { ok: true; values: Record<string, InputValue> }
  /** Every problem, by input name (an unknown name is one too), and the values that passed. */
  | { ok: false; problems: Record<string, string>; values: Record<string, InputValue> };

/**
 * All the values for an action: each given one checked, each required one present, no unknown names.
 * A value of null, undefined or '' for an optional input counts as not given.
 */
export function checkInputs(inputs: Readonly<Record<string, ActionInput>>, given: Readonly<Record<string, unknown>>): InputsCheck {
  const values: Record<string, InputValue> = {};
  const problems: Record<string, string> = {};
  for (const name of Object.keys(given)) if (!Object.hasOwn(inputs, name)) problems[name] = 'this action has no such input';
  for (const [name, input] of Object.entries(inputs)) {
    const raw = given[name];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      if (input.required) problems[name] = 'it is required';
      continue;
    }
    const checked = checkInput(input, raw);
    if (checked.ok) values[name] = checked.value;
    else problems[name] = checked.problem;
  }
  return Object.keys(problems).length === 0 ? { ok: true, values } : { ok: false, problems, values };
}

/** The required inputs not given yet, in the order the action declares them: what to ask for next. */
export function missingInputs(inputs: Readonly<Record<string, ActionInput>>, given: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(inputs)
    .filter(([name, input]) => input.required && (given[name] === undefined || given[name] === null || String(given[name]).trim() === ''))
    .map(([name]) => name);
}

function byType(type: ActionInput['type'], text: string): InputCheck {
  switch (type) {
    case 'number': return parseNumber(text);
    case 'email': return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/.test(text) && text.length <= 254
      ? { ok: true, value: text }
      : { ok: false, problem: 'it is not an email address' };
    case 'date': return parseDate(text);
    default: return { ok: true, value: text };
  }
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return false;
  }
}

/** `42`, `-3.5`, `3,5` (a decimal comma), `1 000`; `1,234` is ambiguous (a thousands separator or a decimal comma) and refused. */
function parseNumber(text: string): InputCheck {
  const compact = text.replace(/[\s_\u00a0\u202f]/g, '');
  if (/^[+-]?\d{1,3},\d{3}$/.test(compact)) return { ok: false, problem: 'write the number without a thousands separator' };
  if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(compact)) return { ok: false, problem: 'it is not a number' };
  const value = Number(compact.replace(',', '.'));
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, problem: 'it is not a number' };
}

/** Month names of the languages replies come in (en, da, de, nl, fr, es), and English abbreviations. */
const MONTHS: Record<string, number> = Object.fromEntries([
  ['january', 'januar', 'januari', 'janvier', 'enero', 'jan', 'jänner'],
  ['february', 'februar', 'februari', 'février', 'fevrier', 'febrero', 'feb'],
  ['march', 'marts', 'märz', 'maerz', 'maart', 'mars', 'marzo', 'mar'],
  ['april', 'avril', 'abril', 'apr'],
  ['may', 'maj', 'mai', 'mei', 'mayo'],
  ['june', 'juni', 'juin', 'junio', 'jun'],
  ['july', 'juli', 'juillet', 'julio', 'jul'],
  ['august', 'augustus', 'août', 'aout', 'agosto', 'aug'],
  ['september', 'septembre', 'septiembre', 'setiembre', 'sep', 'sept'],
  ['october', 'oktober', 'octobre', 'octubre', 'oct', 'okt'],
  ['november', 'novembre', 'noviembre', 'nov'],
  ['december', 'dezember', 'décembre', 'decembre', 'diciembre', 'dec', 'dez'],
].flatMap((names, i) => names.map((n) => [n, i + 1])));

/**
 * `yyyy-mm-dd` (and `yyyy/mm/dd`), `dd.mm.yyyy` (day first, as written in Europe), `dd/mm/yyyy` or
 * `mm/dd/yyyy` when one of the first two cannot be a month, `3 March 2025`, `March 3, 2025`, `3. marts 2025`,
 * `3 de marzo de 2025`. An ambiguous `03/04/2025` is refused with the form to use.
 */
function parseDate(text: string): InputCheck {
  const t = text.toLowerCase().replace(/\s+/g, ' ');
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) return isoDate(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(t);
  if (m) {
    const [a, b, y] = [+m[1]!, +m[2]!, +m[3]!];
    if (a > 12 && b <= 12) return isoDate(y, b, a);
    if (b > 12 && a <= 12) return isoDate(y, a, b);
    if (a === b) return isoDate(y, a, b);
    return { ok: false, problem: 'it could be two dates (day or month first): write it as yyyy-mm-dd' };
  }
  m = /^(\d{1,2})\.? (?:de )?([\p{L}]+)\.?,? (?:de )?(\d{4})$/u.exec(t);
  if (m && MONTHS[m[2]!]) return isoDate(+m[3]!, MONTHS[m[2]!]!, +m[1]!);
  m = /^([\p{L}]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/u.exec(t);
  if (m && MONTHS[m[1]!]) return isoDate(+m[3]!, MONTHS[m[1]!]!, +m[2]!);
  return { ok: false, problem: 'it is not a date (write it as yyyy-mm-dd)' };
}

function isoDate(year: number, month: number, day: number): InputCheck {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return { ok: false, problem: 'it is not a date that exists' };
  }
  return { ok: true, value: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}
