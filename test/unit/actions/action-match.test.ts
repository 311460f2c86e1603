import { describe, expect, it } from 'vitest';
import type { ActionSummary } from '../../../domain/action.js';
import { matchAction, movesOn, nextMissing, readInput, readInputs } from '../../../graphs/turn/action-match.js';

const order: ActionSummary = {
  id: 'a1', name: 'Order status', description: 'Look up the delivery status of an order by its order number',
  triggerPhrases: ['where is my order'], requiresVerifiedIdentity: false, requiresApproval: false, approvalTimeoutSeconds: 60,
  inputs: { orderNumber: { description: 'your order number', type: 'string', pattern: '[0-9]{5,}', required: true } },
};
const booking: ActionSummary = {
  id: 'a2', name: 'Book a table', description: 'Book a table at the restaurant for a date and a number of guests',
  triggerPhrases: [], requiresVerifiedIdentity: false, requiresApproval: false, approvalTimeoutSeconds: 60,
  inputs: {
    date: { description: 'the date', type: 'date', required: true },
    guests: { description: 'how many guests', type: 'number', required: true },
    email: { description: 'your email address', type: 'email', required: false },
  },
};

describe('picking an action from the customer’s message', () => {
  it('a trigger phrase picks its action whatever the case and accents', () => {
    expect(matchAction('WHERE is my ORDER??', [booking, order])).toMatchObject({ action: { id: 'a1' }, score: 1 });
  });

  it('a message that says what the description says picks it; a passing mention does not', () => {
    expect(matchAction('I want to book a table for 4 guests', [order, booking])?.action.id).toBe('a2');
    expect(matchAction('Do you have vegetarian dishes on the menu at the restaurant tonight?', [order, booking])).toBeUndefined();
    expect(matchAction('hello', [order, booking])).toBeUndefined();
  });
});

describe('reading inputs from a message', () => {
  it('finds values of each type in a sentence, each value used once', () => {
    const read = readInputs('Book for 4 guests on 24/12/2026, mail me at ann@example.com', booking.inputs, {});
    expect(read.values).toEqual({ guests: 4, date: '2026-12-24', email: 'ann@example.com' });
  });

  it('a patterned value is found among the words; the words themselves are never taken for it', () => {
    expect(readInput('my order is 1234567 thanks', order.inputs.orderNumber!, false)).toEqual({ kind: 'value', value: '1234567' });
    expect(readInput('where is my order', order.inputs.orderNumber!, false)).toEqual({ kind: 'none' });
  });

  it('a short reply to the question asked that does not fit is reported as invalid', () => {
    expect(readInput('12', order.inputs.orderNumber!, true)).toMatchObject({ kind: 'invalid', given: '12' });
    expect(readInput('2026-02-30', booking.inputs.date!, true)).toMatchObject({ kind: 'invalid' });
  });

  it('a free-text input asked for takes the words after “is”, or the whole short reply', () => {
    const name = { description: 'your name', type: 'string' as const, required: true };
    expect(readInput('My name is Ann Berg', name, true)).toEqual({ kind: 'value', value: 'Ann Berg' });
    expect(readInput('Ann Berg.', name, true)).toEqual({ kind: 'value', value: 'Ann Berg' });
    expect(readInput('Ann Berg', name, false)).toEqual({ kind: 'none' });
  });

  it('the next input to ask for is the first required one missing; optional ones are never asked', () => {
    expect(nextMissing(booking.inputs, {})).toBe('date');
    expect(nextMissing(booking.inputs, { date: '2026-12-24', guests: 2 })).toBeUndefined();
  });

  it('a question of its own moves on from the input being asked for', () => {
    expect(movesOn('What are your opening hours?')).toBe(true);
    expect(movesOn('123456')).toBe(false);
  });
});
