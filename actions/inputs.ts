/** Checks one action input value against its declaration. Pure: the turn graph uses it too. */
import type { ActionInput, InputValue } from '../domain/action.js';

export type InputCheck = { ok: true; value: InputValue } | { ok: false; problem: string };

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[A-Za-z]{2,}$/;

export function checkInput(input: Pick<ActionInput, 'type' | 'pattern'>, raw: string | number): InputCheck {
  const text = String(raw).trim();
  if (!text) return { ok: false, problem: 'it is empty' };
  let value: InputValue = text;
  switch (input.type) {
    case 'number': {
      const n = Number(text.replace(',', '.'));
      if (!Number.isFinite(n)) return { ok: false, problem: 'it is not a number' };
      value = n;
      break;
    }
    case 'email':
      if (!EMAIL.test(text)) return { ok: false, problem: 'it is not an email address' };
      break;
    case 'date': {
      const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      const date = d ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))) : undefined;
      if (!date || date.toISOString().slice(0, 10) !== text) return { ok: false, problem: 'it is not a date (yyyy-mm-dd)' };
      break;
    }
    default:
  }
  if (input.pattern && !new RegExp(`^(?:${input.pattern})$`, 'u').test(text)) return { ok: false, problem: 'it does not have the expected format' };
  return { ok: true, value };
}
