import { describe, expect, it } from 'vitest';
import { checkInput, checkInputs, missingInputs } from '../../../actions/inputs.js';
import { ActionInput } from '../../../domain/action.js';

const input = (i: Partial<ActionInput> = {}) => ActionInput.parse({ description: 'a value', ...i });

describe('checking one input', () => {
  it('trims text and matches the pattern in full', () => {
    const order = input({ pattern: '[A-Z]{2}-\\d{4}' });
    expect(checkInput(order, '  AB-1234 ')).toEqual({ ok: true, value: 'AB-1234' });
    expect(checkInput(order, 'xAB-1234')).toEqual({ ok: false, problem: 'it is not in the expected form' });
    expect(checkInput(order, 'AB-12345')).toMatchObject({ ok: false });
    expect(checkInput(input(), '   ')).toEqual({ ok: false, problem: 'it is empty' });
    expect(checkInput(input(), { a: 1 })).toMatchObject({ ok: false });
    expect(checkInput(input(), 'a\u0000b')).toMatchObject({ ok: false });
  });

  it('reads numbers with a decimal point or comma and spaces, and refuses an ambiguous thousands separator', () => {
    const n = input({ type: 'number' });
    expect(checkInput(n, '42')).toEqual({ ok: true, value: 42 });
    expect(checkInput(n, 7)).toEqual({ ok: true, value: 7 });
    expect(checkInput(n, '-3.5')).toEqual({ ok: true, value: -3.5 });
    expect(checkInput(n, '3,25')).toEqual({ ok: true, value: 3.25 });
    expect(checkInput(n, '1 000')).toEqual({ ok: true, value: 1000 });
    expect(checkInput(n, '1,234')).toEqual({ ok: false, problem: 'write the number without a thousands separator' });
    expect(checkInput(n, 'twelve')).toEqual({ ok: false, problem: 'it is not a number' });
    expect(checkInput(input({ type: 'number', pattern: '\\d{1,2}' }), '120')).toMatchObject({ ok: false });
  });

  it('takes an email address as written and refuses what is not one', () => {
    const e = input({ type: 'email' });
    expect(checkInput(e, ' Ann.Berg+shop@Example.dk ')).toEqual({ ok: true, value: 'Ann.Berg+shop@Example.dk' });
    for (const bad of ['ann', 'ann@', 'ann@example', 'ann @example.dk', 'a@b.c', '<a@b.dk>']) expect(checkInput(e, bad), bad).toMatchObject({ ok: false });
  });

  it('reads dates in ISO and common written forms as yyyy-mm-dd, and refuses impossible or ambiguous ones', () => {
    const d = input({ type: 'date' });
    const cases: Record<string, string> = {
      '2025-03-07': '2025-03-07', '2025/3/7': '2025-03-07', '07.03.2025': '2025-03-07', '25/12/2025': '2025-12-25', '12/25/2025': '2025-12-25',
      '3 March 2025': '2025-03-03', 'March 3, 2025': '2025-03-03', 'Mar 3rd 2025': '2025-03-03', '3. marts 2025': '2025-03-03',
      '3 de marzo de 2025': '2025-03-03', '14. Dezember 2025': '2025-12-14', '5/5/2025': '2025-05-05',
    };
    for (const [text, iso] of Object.entries(cases)) expect(checkInput(d, text), text).toEqual({ ok: true, value: iso });
    expect(checkInput(d, '2025-02-30')).toEqual({ ok: false, problem: 'it is not a date that exists' });
    expect(checkInput(d, '03/04/2025')).toEqual({ ok: false, problem: 'it could be two dates (day or month first): write it as yyyy-mm-dd' });
    expect(checkInput(d, 'next Tuesday')).toMatchObject({ ok: false });
  });
});

describe('checking all the inputs of an action', () => {
  const inputs = { orderNumber: input({ pattern: '\\d{5}' }), email: input({ type: 'email' }), note: input({ required: false }) };

  it('passes the normalised values of a complete set, leaving out optional ones not given', () => {
    expect(checkInputs(inputs, { orderNumber: ' 12345', email: 'a@b.dk', note: '' })).toEqual({ ok: true, values: { orderNumber: '12345', email: 'a@b.dk' } });
  });

  it('names every problem: a bad value, a required one missing, an unknown name', () => {
    expect(checkInputs(inputs, { orderNumber: '12', extra: 'x' })).toEqual({
      ok: false,
      problems: { orderNumber: 'it is not in the expected form', email: 'it is required', extra: 'this action has no such input' },
      values: {},
    });
  });

  it('says which required inputs to ask for next, in declared order', () => {
    expect(missingInputs(inputs, {})).toEqual(['orderNumber', 'email']);
    expect(missingInputs(inputs, { orderNumber: '12345', email: ' ' })).toEqual(['email']);
  });
});
