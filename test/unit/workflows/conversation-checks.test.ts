import { describe, expect, it } from 'vitest';
import { checkActionDecision, checkAssign, checkBy, checkHumanReply, checkMessage } from '../../../workflows/conversation-checks.js';
import { MAX_MESSAGE_BYTES } from '../../../workflows/conversation.contract.js';
import { ActionDecisionInput, AssignInput, ByInput, HumanReplyInput, InboundMessage } from '../../../workflows/conversation.schemas.js';

const message = { messageId: 'm-1', text: 'Where is my order?', channel: 'chat' };

// The workflow's hand-written checks refuse what another client (the Temporal CLI) sends malformed; what
// the zod schemas accept, they accept, so nothing our API parsed is refused by the workflow.
describe('the conversation workflow refuses malformed update payloads', () => {
  it.each([
    ['no message id', { ...message, messageId: undefined }, /messageId: required/],
    ['an unsafe message id', { ...message, messageId: 'a b' }, /messageId/],
    ['an empty text', { ...message, text: '   ' }, /text: text is empty/],
    ['a text over the size limit', { ...message, text: 'x'.repeat(MAX_MESSAGE_BYTES + 1) }, /longer than/],
    ['an unknown channel', { ...message, channel: 'fax' }, /channel/],
    ['not an object', 'hello', /not an object/],
  ])('a message with %s', (_, value, why) => {
    expect(() => checkMessage(value as never)).toThrow(why);
    expect(InboundMessage.safeParse(value).success).toBe(false);
  });

  it('a message the schema accepts passes', () => {
    const full = { ...message, customer: { email: 'a@example.com' }, deploymentId: 'd-1', address: { to: 'x' } };
    expect(InboundMessage.safeParse(full).success).toBe(true);
    expect(() => checkMessage(full as never)).not.toThrow();
  });

  it('human updates: missing ids, unknown keys and overlong names are refused', () => {
    for (const [check, schema, bad, good] of [
      [checkAssign, AssignInput, { userId: '' }, { teamId: 't-1', by: 'ops' }],
      [checkHumanReply, HumanReplyInput, { userId: 'u-1', text: 'hi' }, { userId: 'u-1', text: 'hi', replyId: 'r-1' }],
      [checkBy, ByInput, { by: 'x'.repeat(201) }, {}],
      [checkActionDecision, ActionDecisionInput, { runId: 'r-1', extra: true }, { runId: 'r-1' }],
    ] as const) {
      expect(() => (check as (v: unknown) => void)(bad)).toThrow(/invalid input/);
      expect(schema.safeParse(bad).success).toBe(false);
      expect(() => (check as (v: unknown) => void)(good)).not.toThrow();
      expect(schema.safeParse(good).success).toBe(true);
    }
  });
});
