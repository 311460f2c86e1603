import { describe, expect, it } from 'vitest';
import type { ActionSummary } from '../../../domain/action.js';
import { ACTION, INTAKE } from '../../../graphs/turn/names.js';
import type { ActionPick, ActionPicker, PickInput } from '../../../graphs/turn/pickers/types.js';
import { buildWorld } from './support/world.js';

const orderStatus: ActionSummary = {
  id: 'act_order', name: 'Order status', description: 'Look up the delivery status of an order by its order number',
  triggerPhrases: ['where is my order', 'order status', 'hvor er min ordre'],
  inputs: { orderNumber: { description: 'your order number (5 digits or more)', type: 'string', pattern: '[0-9]{5,}', required: true } },
  requiresVerifiedIdentity: false, requiresApproval: false, approvalTimeoutSeconds: 60,
};
const passwordReset: ActionSummary = {
  id: 'act_reset', name: 'Password reset', description: 'Send a password reset link to the account email',
  triggerPhrases: ['reset my password'],
  inputs: { email: { description: 'the email address of your account', type: 'email', required: true } },
  requiresVerifiedIdentity: true, requiresApproval: false, approvalTimeoutSeconds: 60,
};
const actions = [orderStatus, passwordReset];

describe('actions in a turn', () => {
  it('runs an action at once when the message gives every input', async () => {
    const { ask } = buildWorld();
    const result = await ask('Where is my order 123456?', { actions });
    expect(result.intent.action).toEqual({ actionId: 'act_order', name: 'Order status', inputs: { orderNumber: '123456' } });
    expect(result.insights.path).toEqual([INTAKE, ACTION]);
    expect(result.insights.triggers).toContain('action:Order status');
  });

  it('asks for a missing input in the customer’s language and keeps what was given', async () => {
    const { ask } = buildWorld();
    const first = await ask('Hvor er min ordre?', { actions });
    expect(first.reply.kind).toBe('clarify');
    expect(first.reply.language).toBe('da');
    expect(first.reply.text).toContain('your order number');
    expect(first.reply.text).toMatch(/^For at gøre det/);
    expect(first.intent.collect).toEqual({ actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 1 });
    expect(first.intent.action).toBeUndefined();

    const second = await ask('Det er 998877', { actions, pendingAction: first.intent.collect! });
    expect(second.intent.action).toMatchObject({ actionId: 'act_order', inputs: { orderNumber: '998877' } });
    expect(second.intent.collect).toBeNull();
  });

  it('asks again, naming what is wrong, when the value given is not valid', async () => {
    const { ask } = buildWorld();
    const result = await ask('abc', { actions, pendingAction: { actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 1 } });
    expect(result.reply.kind).toBe('clarify');
    expect(result.reply.text).toContain('“abc”');
    expect(result.intent.collect).toMatchObject({ asking: 'orderNumber', asked: 2 });
    expect(result.insights.triggers).toContain('action_input_invalid:orderNumber');
  });

  it('hands off instead of asking a fourth time', async () => {
    const { ask } = buildWorld();
    const result = await ask('no idea', { actions, pendingAction: { actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 3 } });
    expect(result.reply.kind).toBe('handoff');
    expect(result.intent.handoff).toEqual({ reason: 'action_inputs' });
    expect(result.intent.collect).toBeNull();
  });

  it('drops the pending action and answers from knowledge when the customer asks something else', async () => {
    const { ask } = buildWorld();
    const result = await ask('How long does standard delivery take?', { actions, pendingAction: { actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 1 } });
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.text).toMatch(/2 to 4 working days/);
    expect(result.intent.collect).toBeNull();
    expect(result.intent.action).toBeUndefined();
  });

  it('never runs an action that needs a verified customer for an unverified one: a person takes over', async () => {
    const { ask } = buildWorld();
    const unverified = await ask('Please reset my password, ann@example.com', { actions, customer: { email: 'ann@example.com' } });
    expect(unverified.intent.action).toBeUndefined();
    expect(unverified.intent.handoff).toEqual({ reason: 'identity_required' });
    expect(unverified.insights.triggers).toContain('identity_required');
    const verified = await ask('Please reset my password, ann@example.com', { actions, customer: { email: 'ann@example.com', verified: true } });
    expect(verified.intent.action).toMatchObject({ actionId: 'act_reset', inputs: { email: 'ann@example.com' } });
  });

  it('a question unrelated to any action is answered from knowledge, with no action considered for it', async () => {
    const { ask } = buildWorld();
    const result = await ask('How long does standard delivery take?', { actions });
    expect(result.intent).toEqual({});
    expect(result.reply.kind).toBe('answer');
  });

  it('repeating the request for the action being gathered asks for its input again instead of dropping it', async () => {
    const { ask } = buildWorld();
    const result = await ask('Where is my order?', { actions, pendingAction: { actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 1 } });
    expect(result.reply.kind).toBe('clarify');
    expect(result.intent.collect).toEqual({ actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 2 });
  });

  it('the history is never read for an action: only the customer’s own message', async () => {
    const { ask } = buildWorld();
    const result = await ask('Thanks!', {
      actions,
      history: [{ role: 'agent', text: 'Where is my order 123456? Reset my password ann@example.com' }],
    });
    expect(result.intent.action).toBeUndefined();
  });
});

/** A picker that answers `pick` and remembers what it was given. */
function fakePicker(pick: ActionPick | undefined): ActionPicker & { given: PickInput[] } {
  const given: PickInput[] = [];
  return { name: 'fake', given, pick: async (input) => { given.push(input); return pick; } };
}

describe('the action node over a picker', () => {
  it('gives the picker only the customer’s message, the actions, the pending action and the language', async () => {
    const picker = fakePicker(undefined);
    const { ask } = buildWorld({ picker });
    const pendingAction = { actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 1 };
    await ask('Hvad koster levering?', { actions, pendingAction, history: [{ role: 'agent', text: 'Reset my password ann@example.com' }] });
    expect(picker.given).toEqual([{ message: 'Hvad koster levering?', actions, pending: pendingAction, language: 'da' }]);
  });

  it('asks the picker nothing when the agent has no actions', async () => {
    const picker = fakePicker({ actionId: 'act_order', inputs: { orderNumber: '123456' }, evidence: 'x', requested: true });
    const { ask } = buildWorld({ picker });
    const result = await ask('Where is my order 123456?');
    expect(picker.given).toHaveLength(0);
    expect(result.intent.action).toBeUndefined();
  });

  it('an action the agent does not have starts nothing, and a pending one is forgotten', async () => {
    const { ask } = buildWorld({ picker: fakePicker({ actionId: 'act_gone', inputs: {}, evidence: 'x', requested: true }) });
    const result = await ask('How long does standard delivery take?', { actions, pendingAction: { actionId: 'act_order', inputs: {}, asked: 1 } });
    expect(result.intent).toEqual({ collect: null });
    expect(result.reply.kind).toBe('answer');
  });

  it('adds the values picked to what the pending action had, and runs it once every input is given', async () => {
    const book: ActionSummary = {
      id: 'act_book', name: 'Book a table', description: 'Book a table', triggerPhrases: [],
      inputs: { date: { description: 'the date', type: 'date', required: true }, guests: { description: 'how many guests', type: 'number', required: true } },
      requiresVerifiedIdentity: false, requiresApproval: true, approvalTimeoutSeconds: 600,
    };
    const { ask } = buildWorld({ picker: fakePicker({ actionId: 'act_book', inputs: { date: '2026-12-24' }, evidence: 'x', requested: false }) });
    const result = await ask('the 24th', { actions: [book], pendingAction: { actionId: 'act_book', inputs: { guests: 4 }, asking: 'date', asked: 1 } });
    expect(result.intent.action).toEqual({ actionId: 'act_book', name: 'Book a table', inputs: { guests: 4, date: '2026-12-24' }, approval: { timeoutSeconds: 600 } });
  });

  it('asks again for a value the picker found not valid, naming it, and names the picker’s fallback in insights', async () => {
    const { ask } = buildWorld({ picker: fakePicker({
      actionId: 'act_order', inputs: {}, evidence: 'trigger phrase', requested: true, score: 1,
      invalid: { name: 'orderNumber', given: '12', problem: 'it is not in the expected form' }, fallback: 'no_tool_call',
    }) });
    const result = await ask('my order 12', { actions });
    expect(result.reply.kind).toBe('clarify');
    expect(result.reply.text).toContain('“12”');
    expect(result.intent.collect).toEqual({ actionId: 'act_order', inputs: {}, asking: 'orderNumber', asked: 1 });
    expect(result.insights.triggers).toEqual(expect.arrayContaining(['action:Order status', 'action_picker_fallback:no_tool_call', 'action_input_invalid:orderNumber']));
    expect(result.insights.scores.actionMatch).toBe(1);
  });
});
