/**
 * The email channel end to end: raw emails in (the inbound route and the SMTP listener), replies out over
 * SMTP to a real SMTP server running in this test process, which keeps what it is sent.
 */
import type { ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNCE, NEWSLETTER, VACATION_REPLY, rawEmail } from '../../fixtures/emails.js';
import { RETURNS, SHIPPING } from '../../fixtures/shop-articles.js';
import { startMailbox, type Mailbox, type Received } from '../../support/mailbox.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { fallbackReplyText } from '../../../workflows/fallback.js';

let sys: TestSystem;
let mailbox: Mailbox;
let agentId: string;
let channelKey: string;
const SUPPORT = `support-${uniqueId('shop').toLowerCase()}@shop.test`;
const SIGNATURE = 'The Email Shop team\nhttps://shop.test';

beforeAll(async () => {
  mailbox = await startMailbox();
  sys = await startTestSystem('email', { SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`, SMTP_LISTEN_PORT: '0' });
  agentId = await sys.createAgent({ name: 'Email Shop', articles: [SHIPPING, RETURNS] });
  const deployed = await sys.request('POST', `/v1/agents/${agentId}/deployments`, {
    channel: 'email', account: SUPPORT, settings: { signature: SIGNATURE, ignore: ['@marketplace.example'] },
  });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  const key = await sys.request('POST', '/v1/api-keys', { name: 'mail provider', role: 'channel', agentIds: [agentId] });
  expect(key.status).toBe(201);
  channelKey = key.body.key;
});
afterAll(async () => {
  await sys?.stop();
  await mailbox?.close();
});

function post(raw: string, key = channelKey, type = 'message/rfc822') {
  return sys.request('POST', '/v1/channels/email/inbound', raw, { authorization: `Bearer ${key}`, 'content-type': type });
}

/** Waits for the mails sent to `to`, at least `count` of them. */
async function mailTo(to: string, count = 1, timeoutMs = 30_000): Promise<Received[]> {
  const start = Date.now();
  for (;;) {
    const hits = mailbox.received.filter((r) => r.envelope.to.includes(to));
    if (hits.length >= count) return hits;
    if (Date.now() - start > timeoutMs) throw new Error(`no ${count} mail(s) to ${to} within ${timeoutMs} ms; got ${hits.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Entry {
  role: string;
  text: string;
  delivery?: { status: string; reason?: string };
}

async function transcript(conversationId: string): Promise<Entry[]> {
  const res = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversationId}`);
  return res.status === 200 ? res.body.transcript : [];
}

const idOf = (mail: ParsedMail) => mail.messageId!.replace(/^<|>$/g, '');

describe('a customer writes to the support address', () => {
  it('is answered by email: from the support address, threaded, signed, with sources in the text and as links in the HTML', async () => {
    const customer = `${uniqueId('kim')}@example.test`.toLowerCase();
    const first = `${uniqueId('first')}@mail.example.test`;
    const res = await post(rawEmail({
      from: `Kim Jensen <${customer}>`, to: `Shop Support <${SUPPORT}>`, subject: 'Delivery time', messageId: first,
      text: 'Hi,\n\nHow long does standard delivery take?\n\nKim\n\n-- \nKim Jensen\nExample ApS',
    }));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', agentId, messageId: first });
    expect(res.body.conversationId).toMatch(/^email-[0-9a-f]{24}$/);

    const { envelope, mail } = (await mailTo(customer))[0]!;
    expect(envelope.from).toBe(SUPPORT);
    expect(mail.from?.value[0]).toEqual({ address: SUPPORT, name: 'Email Shop' });
    expect(mail.to).toMatchObject({ value: [{ address: customer }] });
    expect(mail.subject).toBe('Re: Delivery time');
    expect(mail.inReplyTo).toBe(`<${first}>`);
    expect(mail.references).toBe(`<${first}>`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.text).toMatch(/2 to 4 working days/);
    // Each cited source listed once, after the text.
    expect(mail.text!.match(/^\[1\] Shipping times and costs\b.*https:\/\/help\.example\.test\/shipping$/gm)).toHaveLength(1);
    expect(mail.text).toContain(`-- \n${SIGNATURE}`);
    expect(mail.html).toContain('<a href="https://help.example.test/shipping">[1]</a>');
    expect(String(mail.html).match(/\[1\]<\/a> Shipping times and costs/g)).toHaveLength(1);
    expect(mail.html).toContain('The Email Shop team');

    // The agent read the question, not the signature; its reply shows as sent.
    const turns = await transcript(res.body.conversationId);
    expect(turns[0]).toMatchObject({ role: 'customer', text: 'Hi,\n\nHow long does standard delivery take?\n\nKim' });
    expect(turns[1]).toMatchObject({ role: 'agent', delivery: { status: 'sent' } });
  });

  it("the customer's reply to our reply lands in the same conversation, and is answered in the same thread", async () => {
    const customer = `${uniqueId('lars')}@example.test`.toLowerCase();
    const first = `${uniqueId('q1')}@mail.example.test`;
    const opened = await post(rawEmail({ from: customer, to: SUPPORT, subject: 'Shipping cost', messageId: first, text: 'What does standard shipping cost?' }));
    expect(opened.status).toBe(202);
    const [ours] = await mailTo(customer);

    // Only In-Reply-To, as some clients do: our reply's Message-ID was remembered for the conversation.
    const second = `${uniqueId('q2')}@mail.example.test`;
    const replied = await post(rawEmail({
      from: customer, to: SUPPORT, subject: 'Re: Shipping cost', messageId: second, inReplyTo: idOf(ours!.mail),
      text: `And how do I return an unused item?\n\nOn Mon, 3 Jun 2024 at 10:05, Shop <${SUPPORT}> wrote:\n> Standard shipping costs 4.95 EUR.`,
    }));
    expect(replied.status).toBe(202);
    expect(replied.body.conversationId).toBe(opened.body.conversationId);

    const mails = await mailTo(customer, 2);
    const answer = mails[1]!.mail;
    expect(answer.subject).toBe('Re: Shipping cost');
    expect(answer.inReplyTo).toBe(`<${second}>`);
    expect(answer.references).toEqual([`<${idOf(ours!.mail)}>`, `<${second}>`]);
    expect(answer.text).toMatch(/30 days/);
    const turns = await transcript(opened.body.conversationId);
    expect(turns.map((t) => t.role)).toEqual(['customer', 'agent', 'customer', 'agent']);
    expect(turns[2]!.text).toBe('And how do I return an unused item?');
  });

  it('an email with NULs in its body, subject and sender name is answered as usual, with the NULs stripped, not with the fallback handoff', async () => {
    const customer = `${uniqueId('nul')}@example.test`.toLowerCase();
    // Quoted-printable =00 and an encoded word with =00: what a mail client sends for a NUL character.
    const raw = [
      `From: =?UTF-8?Q?Kim=00_Jensen?= <${customer}>`, `To: ${SUPPORT}`, 'Subject: =?UTF-8?Q?Delivery=00_time?=',
      `Message-ID: <${uniqueId('nul')}@mail.example.test>`, 'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: quoted-printable', '',
      'How long does standard=00 delivery take?', '',
    ].join('\r\n');
    const res = await post(raw);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.status).toBe('accepted');

    const { mail } = (await mailTo(customer))[0]!;
    expect(mail.subject).toBe('Re: Delivery time');
    expect(mail.text).toMatch(/2 to 4 working days/);
    expect(mail.text).not.toContain(fallbackReplyText('en').text);
    const turns = await transcript(res.body.conversationId);
    expect(turns[0]).toMatchObject({ role: 'customer', text: 'How long does standard delivery take?' });
    expect(turns[1]).toMatchObject({ role: 'agent', delivery: { status: 'sent' } });
  });

  it('a retried POST of the same email is answered once', async () => {
    const customer = `${uniqueId('retry')}@example.test`.toLowerCase();
    const raw = rawEmail({ from: customer, to: SUPPORT, subject: 'Express', messageId: `${uniqueId('r')}@mail.example.test`, text: 'How fast is express delivery?' });
    const [a, b] = [await post(raw), await post(raw)];
    expect(a.body).toEqual(b.body);
    await mailTo(customer);
    const c = await post(raw);
    expect(c.body).toEqual(a.body);
    await new Promise((r) => setTimeout(r, 2000));
    expect(mailbox.received.filter((r) => r.envelope.to.includes(customer))).toHaveLength(1);
    expect((await transcript(a.body.conversationId)).map((t) => t.role)).toEqual(['customer', 'agent']);
  });
});

describe('a reply the mail server refuses', () => {
  it('is not retried: the transcript shows it failed, with the server\'s reason', async () => {
    const customer = `gone-${uniqueId('x')}@example.test`.toLowerCase();
    const res = await post(rawEmail({ from: customer, to: SUPPORT, subject: 'Returns', messageId: `${uniqueId('g')}@mail.example.test`, text: 'How do I return an item?' }));
    expect(res.status).toBe(202);
    const start = Date.now();
    let reply: Entry | undefined;
    while (Date.now() - start < 30_000) {
      reply = (await transcript(res.body.conversationId)).find((t) => t.role === 'agent');
      if (reply?.delivery?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(reply?.delivery).toMatchObject({ status: 'failed', reason: expect.stringMatching(/refused.*no such mailbox/) });
  });
});

describe('mail that is not answered', () => {
  it('auto-replies, bounces, mailing lists and ignored senders are taken and left alone', async () => {
    const to = (raw: string) => raw.replace(/^To: .*$/m, `To: ${SUPPORT}`);
    const cases: [string, string][] = [
      [to(VACATION_REPLY), 'auto_reply'],
      [to(BOUNCE), 'bounce'],
      [to(NEWSLETTER), 'mailing_list'],
      [rawEmail({ from: 'orders@marketplace.example', to: SUPPORT, messageId: `${uniqueId('mp')}@marketplace.example`, text: 'New order 123' }), 'ignored_sender'],
      [rawEmail({ from: SUPPORT, to: SUPPORT, messageId: `${uniqueId('own')}@shop.test`, text: 'Loop?' }), 'own_address'],
    ];
    const before = mailbox.received.length;
    for (const [raw, reason] of cases) {
      const res = await post(raw);
      expect(res.status, reason).toBe(202);
      expect(res.body, reason).toEqual({ status: 'ignored', reason });
    }
    await new Promise((r) => setTimeout(r, 2000));
    expect(mailbox.received.length).toBe(before);
  });
});

describe('what the route refuses', () => {
  it('mail for an address with no deployment is a 404 naming it; another agent\'s key gets the same', async () => {
    const res = await post(rawEmail({ to: 'nobody@elsewhere.test', messageId: `${uniqueId('x')}@example.test`, text: 'Hello?' }));
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'deployment_not_found' });
    expect(res.body.error.message).toContain('nobody@elsewhere.test');

    const otherAgent = await sys.createAgent({ name: 'Other shop' });
    const other = await sys.request('POST', '/v1/api-keys', { name: 'other adapter', role: 'channel', agentIds: [otherAgent] });
    const foreign = await post(rawEmail({ to: SUPPORT, messageId: `${uniqueId('y')}@example.test`, text: 'Hello?' }), other.body.key);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('deployment_not_found');
  });

  it('an email with a large attachment is taken; one above 25 MiB is a 413', async () => {
    const withAttachment = (bytes: number) => {
      const b = 'mixed-b1';
      return [
        `From: Kim <${uniqueId('big')}@example.test>`, `To: ${SUPPORT}`, 'Subject: Broken parcel', `Message-ID: <${uniqueId('big')}@example.test>`,
        'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${b}"`, '',
        `--${b}`, 'Content-Type: text/plain; charset=UTF-8', '', 'The parcel arrived broken, photo attached. Can I return it?',
        `--${b}`, 'Content-Type: image/jpeg; name="parcel.jpg"', 'Content-Transfer-Encoding: base64', '',
        Buffer.alloc(bytes, 7).toString('base64').replace(/.{76}/g, '$&\r\n'),
        `--${b}--`, '',
      ].join('\r\n');
    };
    const taken = await post(withAttachment(3 * 1024 * 1024));
    expect(taken.status, JSON.stringify(taken.body)).toBe(202);
    expect(taken.body.status).toBe('accepted');
    const tooLarge = await post(withAttachment(20 * 1024 * 1024));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
  });

  it('a body that is not message/rfc822 is a 415', async () => {
    const res = await post('{"text": "hi"}', channelKey, 'application/json');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});

describe('the SMTP listener', () => {
  it('takes mail for the support address over SMTP and answers it by email', async () => {
    const customer = `${uniqueId('smtp')}@example.test`.toLowerCase();
    const transport = createTransport({ host: '127.0.0.1', port: sys.smtpPort!, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: `Mette <${customer}>`, to: SUPPORT, subject: 'Free shipping?', messageId: `<${uniqueId('s')}@mail.example.test>`,
      text: 'Is shipping free on larger orders?',
    });
    const { mail } = (await mailTo(customer))[0]!;
    expect(mail.subject).toBe('Re: Free shipping?');
    expect(mail.text).toMatch(/50 EUR/);
  });

  it('takes mail with a NUL in its text and subject over SMTP and answers it as usual', async () => {
    const customer = `${uniqueId('smtp-nul')}@example.test`.toLowerCase();
    const transport = createTransport({ host: '127.0.0.1', port: sys.smtpPort!, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: `Mette <${customer}>`, to: SUPPORT, subject: 'Free\u0000 shipping?', messageId: `<${uniqueId('s')}@mail.example.test>`,
      text: 'Is shipping free\u0000 on larger orders?',
    });
    const { mail } = (await mailTo(customer))[0]!;
    expect(mail.subject).toBe('Re: Free shipping?');
    expect(mail.text).toMatch(/50 EUR/);
    expect(mail.text).not.toContain(fallbackReplyText('en').text);
  });

  it('refuses recipients that are no deployment', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: sys.smtpPort!, secure: false, ignoreTLS: true });
    await expect(transport.sendMail({ from: 'kim@example.test', to: 'nobody@elsewhere.test', subject: 'x', text: 'x' }))
      .rejects.toMatchObject({ responseCode: 550 });
  });
});
