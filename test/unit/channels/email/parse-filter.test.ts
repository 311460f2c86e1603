import { describe, expect, it } from 'vitest';
import { whyNotAnswered } from '../../../../channels/email/filter.js';
import { parseEmail, type ParsedEmail } from '../../../../channels/email/parse.js';
import { BOUNCE, GMAIL_REPLY, NEWSLETTER, OUTLOOK_HTML, VACATION_REPLY, rawEmail } from '../../../fixtures/emails.js';

const parse = (raw: string) => parseEmail(Buffer.from(raw));
const ctx = { ourAddresses: ['support@shop.test'], ignore: [] as string[] };

describe('reading an email', () => {
  it('keeps the sender, recipients, subject and thread ids (bare) of a Gmail reply, and prefers its text part', async () => {
    const mail = await parse(GMAIL_REPLY);
    expect(mail.from).toEqual({ address: 'kim.jensen@example.test', name: 'Kim Jensen' });
    expect(mail.to).toEqual([{ address: 'support@shop.test', name: 'Shop Support' }]);
    expect(mail.deliveredTo).toEqual(['support@shop.test']);
    expect(mail.subject).toBe('Re: Where is my order?');
    expect(mail.messageId).toBe('CAH+x=kT9p2Q_vR8@mail.example.test');
    expect(mail.inReplyTo).toBe('4d1c0f2b9e@shop.test');
    expect(mail.references).toEqual(['CAH+x=first01@mail.example.test', '4d1c0f2b9e@shop.test']);
    expect(mail.text).toContain('can I still change the delivery address');
    expect(mail.text).toContain('> Standard delivery takes');
    expect(mail.text).not.toContain('<div');
  });

  it('turns an HTML-only email into text, decoding its charset', async () => {
    const mail = await parse(OUTLOOK_HTML);
    expect(mail.text).toContain('Could you send the invoice again with our VAT number on it?');
    expect(mail.text).toContain('Indkøb');
    expect(mail.text).not.toMatch(/<\/?div/);
  });

  it('gives a message without a Message-ID one derived from its bytes, the same on every read', async () => {
    const raw = rawEmail({ text: 'No id here' });
    const a = await parse(raw);
    expect(a.messageId).toMatch(/^[0-9a-f]{32}@no-message-id\.invalid$/);
    expect((await parse(raw)).messageId).toBe(a.messageId);
    expect((await parse(rawEmail({ text: 'Another one' }))).messageId).not.toBe(a.messageId);
  });

  it('reads Cc, Reply-To and X-Original-To, lower-casing addresses', async () => {
    const mail = await parse(rawEmail({
      from: 'Kim <Kim.Jensen@Example.test>', to: 'help@shop.test', cc: 'Boss <boss@example.test>, SUPPORT@shop.test',
      headers: ['Reply-To: orders@example.test', 'X-Original-To: Support@Shop.test'], messageId: 'a@b', text: 'Hi',
    }));
    expect(mail.from).toEqual({ address: 'kim.jensen@example.test', name: 'Kim' });
    expect(mail.cc.map((m) => m.address)).toEqual(['boss@example.test', 'support@shop.test']);
    expect(mail.replyTo?.address).toBe('orders@example.test');
    expect(mail.deliveredTo).toEqual(['support@shop.test']);
  });

  it('strips NULs and lone surrogates (which the database cannot store) from the text, subject, names and ids, since an email cannot be refused', async () => {
    const mail = await parse([
      'From: =?UTF-8?Q?Kim=00_Jensen?= <kim@example.test>', 'To: support@shop.test', 'Cc: =?UTF-16BE?B?2AA=?= <boss@example.test>',
      // A UTF-16 encoded word cut after a high surrogate decodes to a lone one.
      'Subject: =?UTF-8?Q?Delivery=00?= =?UTF-16BE?B?2AA=?= time', 'Message-ID: <a\u0000b@example.test>', 'In-Reply-To: <c\u0000d@shop.test>',
      'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: quoted-printable', '',
      'How long does standard=00 delivery take?', '',
    ].join('\r\n'));
    expect(mail).toMatchObject({
      from: { address: 'kim@example.test', name: 'Kim Jensen' }, cc: [{ address: 'boss@example.test', name: '\ufffd' }],
      subject: 'Delivery\ufffd time', messageId: 'ab@example.test', inReplyTo: 'cd@shop.test', text: 'How long does standard delivery take?\n',
    });
    expect(JSON.stringify(mail)).not.toMatch(/\\u0000|\\ud8/);
  });
});

describe('mail that is never answered', () => {
  const headers = (h: ParsedEmail['headers'], from = 'kim@example.test') => ({ from: { address: from }, headers: h });

  it('a person writing is answered', async () => {
    expect(whyNotAnswered(await parse(GMAIL_REPLY), ctx)).toBeUndefined();
    expect(whyNotAnswered(await parse(OUTLOOK_HTML), ctx)).toBeUndefined();
    expect(whyNotAnswered(headers({ 'auto-submitted': 'no' }), ctx)).toBeUndefined();
  });

  it('auto-replies: a vacation notice, Auto-Submitted other than no, X-Autoreply, X-Autorespond, Precedence bulk/junk/auto_reply', async () => {
    expect(whyNotAnswered(await parse(VACATION_REPLY), ctx)).toBe('auto_reply');
    expect(whyNotAnswered(headers({ 'auto-submitted': 'auto-generated; owner-email="kim@example.test"' }), ctx)).toBe('auto_reply');
    expect(whyNotAnswered(headers({ 'x-autorespond': 'Vacation' }), ctx)).toBe('auto_reply');
    for (const p of ['bulk', 'junk', 'auto_reply', 'BULK']) expect(whyNotAnswered(headers({ precedence: p }), ctx), p).toBe('auto_reply');
    // A read receipt is a report, sent for a person: an automatic answer, not a bounce.
    expect(whyNotAnswered(headers({ 'content-type': 'multipart/report; report-type=disposition-notification; boundary=x' }), ctx)).toBe('auto_reply');
  });

  it('bounces: a DSN, a mailer-daemon or postmaster sender, X-Failed-Recipients, a null Return-Path', async () => {
    expect(whyNotAnswered(await parse(BOUNCE), ctx)).toBe('bounce');
    expect(whyNotAnswered(headers({}, 'postmaster@example.test'), ctx)).toBe('bounce');
    expect(whyNotAnswered(headers({}, 'MAILER-DAEMON@mx.example.test'), ctx)).toBe('bounce');
    expect(whyNotAnswered(headers({ 'x-failed-recipients': 'nobody@example.test' }), ctx)).toBe('bounce');
    expect(whyNotAnswered(headers({ 'return-path': '<>' }), ctx)).toBe('bounce');
  });

  it('mailing lists: List-Id, List-Unsubscribe, Precedence list', async () => {
    expect(whyNotAnswered(await parse(NEWSLETTER), ctx)).toBe('mailing_list');
    expect(whyNotAnswered(headers({ 'list-unsubscribe': '<https://x.example/u>' }), ctx)).toBe('mailing_list');
    expect(whyNotAnswered(headers({ precedence: 'list' }), ctx)).toBe('mailing_list');
  });

  it('ignored senders: an address, or a domain and its subdomains', () => {
    const ignore = ['noreply@carrier.example', '@marketplace.example'];
    expect(whyNotAnswered(headers({}, 'noreply@carrier.example'), { ...ctx, ignore })).toBe('ignored_sender');
    expect(whyNotAnswered(headers({}, 'orders@marketplace.example'), { ...ctx, ignore })).toBe('ignored_sender');
    expect(whyNotAnswered(headers({}, 'orders@eu.marketplace.example'), { ...ctx, ignore })).toBe('ignored_sender');
    expect(whyNotAnswered(headers({}, 'orders@notmarketplace.example'), { ...ctx, ignore })).toBeUndefined();
    expect(whyNotAnswered(headers({}, 'support@carrier.example'), { ...ctx, ignore })).toBeUndefined();
  });

  it('our own address (with or without a +tag), and no sender at all', () => {
    expect(whyNotAnswered(headers({}, 'support@shop.test'), ctx)).toBe('own_address');
    expect(whyNotAnswered(headers({}, 'support+eu@shop.test'), ctx)).toBe('own_address');
    expect(whyNotAnswered({ headers: {} }, ctx)).toBe('no_sender');
  });
});
