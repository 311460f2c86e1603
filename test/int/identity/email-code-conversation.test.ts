/**
 * An email customer asks for an action that needs a verified customer: instead of a handoff, a one-time
 * code goes to their address; written back in the conversation, it verifies them and the action runs.
 * Real SMTP on loopback, the business's API on loopback, the real worker and Temporal.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawEmail } from '../../fixtures/emails.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startMailbox, type Mailbox } from '../../support/mailbox.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { startBusinessApi, type BusinessApi } from '../actions/business-api.js';
import { LOOPBACK_RECEIVERS } from '../webhooks/receiver.js';

let mailbox: Mailbox;
let sys: TestSystem;
let api: BusinessApi;
let agentId: string;
const SUPPORT = `support-${uniqueId('code').toLowerCase()}@shop.test`;

beforeAll(async () => {
  mailbox = await startMailbox();
  api = await startBusinessApi();
  api.route('POST', /^\/password-resets$/, () => ({ status: 202, body: { sent: true } }));
  sys = await startTestSystem('email-code', {
    SMTP_URL: mailbox.url, FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS,
  });
  agentId = await sys.createAgent({ name: 'Code Shop', articles: [SHIPPING] });
  expect((await sys.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'email', account: SUPPORT })).status).toBe(201);
  const action = await sys.request('POST', `/v1/agents/${agentId}/actions`, {
    name: 'Password reset', description: 'Send a password reset link', triggerPhrases: ['reset my password'],
    method: 'POST', url: `${api.origin}/password-resets`, requiresVerifiedIdentity: true, responseTemplate: 'A reset link is on its way.',
  });
  expect(action.status, JSON.stringify(action.body)).toBe(201);
});
afterAll(async () => {
  await sys?.stop();
  await api?.close();
  await mailbox?.close();
});

async function mailsTo(to: string, count: number): Promise<ParsedMail[]> {
  const start = Date.now();
  for (;;) {
    const hits = mailbox.to(to).map((m) => m.mail);
    if (hits.length >= count) return hits;
    if (Date.now() - start > 60_000) throw new Error(`no ${count} mails to ${to}; got ${hits.map((h) => h.subject).join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const inbound = (raw: string) => sys.request('POST', '/v1/channels/email/inbound', raw, { 'content-type': 'message/rfc822' });

describe('verifying an email customer with a one-time code', () => {
  it('emails a code instead of handing off; the code written back verifies them and the action runs', async () => {
    const customer = `kim-${uniqueId('x').toLowerCase()}@example.test`;
    const first = `${uniqueId('m')}@mail.example.test`;
    expect((await inbound(rawEmail({ from: customer, to: SUPPORT, subject: 'Password', messageId: first, text: 'Hi, please reset my password.' }))).status).toBe(202);

    const [a, b] = await mailsTo(customer, 2);
    const codeMail = [a!, b!].find((m) => /\b\d{6}\b/.test(m.text ?? ''))!;
    const reply = [a!, b!].find((m) => m !== codeMail)!;
    expect(reply.text).toMatch(/code/i);
    expect(reply.text).not.toMatch(/\b\d{6}\b/);
    const code = /\b(\d{6})\b/.exec(codeMail.text!)![1]!;
    expect(api.requests).toHaveLength(0);

    const second = `${uniqueId('m')}@mail.example.test`;
    await inbound(rawEmail({ from: customer, to: SUPPORT, subject: 'Re: Password', messageId: second, inReplyTo: reply.messageId!.replace(/^<|>$/g, ''), text: `Here it is: ${code}` }));
    const third = (await mailsTo(customer, 3))[2]!;
    expect(third.text).toMatch(/A reset link is on its way\./);
    expect(api.requests).toHaveLength(1);

    // The code is nowhere in the transcript the team reads, except in the customer's own message.
    const conversations = (await sys.request('GET', `/v1/conversations?agentId=${agentId}`)).body.conversations as any[];
    const t = (await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversations[0].id}`)).body.transcript as any[];
    expect(t.filter((e) => e.role !== 'customer').some((e) => e.text.includes(code))).toBe(false);
  });
});
