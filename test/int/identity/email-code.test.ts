/**
 * Verifying an email customer's address with a one-time code: the activities against a real database and
 * a real SMTP server on loopback, which keeps what it is sent. The code arrives at the customer's address
 * from the support address; the right one verifies, wrong ones count, the sixth try and an expired code
 * are refused; a retried send never makes a second code; and the code is nowhere but in the email (the
 * database keeps a keyed hash, the activity answers without it).
 */
import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerificationActivities, type VerificationDeps } from '../../../activities/verification.js';
import { createPlainEmailSender } from '../../../channels/email/send.js';
import { createAgent } from '../../../db/agents.js';
import { recordInbound } from '../../../db/bookkeeping.js';
import { openConversation } from '../../../db/conversations.js';
import { createDeployment, findThread } from '../../../db/deployments.js';
import { createSecretBox } from '../../../db/secret-box.js';
import type { Db } from '../../../db/types.js';
import { createWorkspace } from '../../../db/workspaces.js';
import { DEFAULT_WHEN_UNAVAILABLE } from '../../../domain/deployment.js';
import { ALL_HOURS } from '../../../domain/hours.js';
import { openTestDb } from '../../support/db.js';
import { startMailbox, type Mailbox, type Received } from '../../support/mailbox.js';
import { uniqueId } from '../../support/temporal.js';

let db: Db;
let mailbox: Mailbox;
const secrets = createSecretBox(randomBytes(32).toString('hex'));
let deps: VerificationDeps;
let workspaceId: string;
let agentId: string;
let deploymentId: string;
const SUPPORT = `support-${uniqueId('codes').toLowerCase()}@shop.test`;

beforeAll(async () => {
  mailbox = await startMailbox();
  db = await openTestDb();
  workspaceId = (await createWorkspace(db, { name: 'Code Shop' })).id;
  agentId = (await createAgent(db, { name: 'Code Shop', workspaceId })).id;
  deploymentId = (await createDeployment(db, secrets, workspaceId, agentId, {
    channel: 'email', account: SUPPORT, settings: {}, secrets: {}, hours: ALL_HOURS, whenUnavailable: DEFAULT_WHEN_UNAVAILABLE,
  })).id;
  deps = { db, secrets, sendEmail: createPlainEmailSender({ smtpUrl: `smtp://127.0.0.1:${mailbox.port}` })!, codeTtlMs: 600_000 };
});
afterAll(async () => {
  await db?.close();
  await mailbox?.close();
});

/** An email conversation opened by the customer's first message, as inbound email leaves it. */
async function emailConversation(name: string, opts: { channel?: string } = {}) {
  const email = `${name}-${uniqueId('c').toLowerCase()}@example.test`;
  const conversationId = `email-${randomBytes(12).toString('hex')}`;
  const firstMessageId = `${uniqueId('m1')}@mail.example.test`;
  const channel = opts.channel ?? 'email';
  await openConversation(db, { agentId, conversationId, channel, customer: { email }, workflowId: `conversation:${agentId}:${conversationId}` });
  await recordInbound(db, {
    agentId, conversationId, messageId: firstMessageId, text: 'Where is my order 4711?', channel, deploymentId,
    address: { from: { address: email, name: 'Kim' }, subject: 'My order', messageId: firstMessageId, references: [] },
  });
  return { email, conversationId, firstMessageId, key: { agentId, conversationId } };
}

/** The code in the one email sent to `to` (the nth, from 1). */
async function codeSentTo(to: string, nth = 1): Promise<{ code: string; mail: ParsedMail; envelope: Received['envelope'] }> {
  const start = Date.now();
  while (mailbox.to(to).length < nth) {
    if (Date.now() - start > 10_000) throw new Error(`no email ${nth} to ${to}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const { mail, envelope } = mailbox.to(to)[nth - 1]!;
  const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
  if (!code) throw new Error(`no code in: ${mail.text}`);
  return { code, mail, envelope };
}

/** Everything the database holds, as text, table by table (rows as JSON). */
async function databaseText(): Promise<string> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    parts.push(`${table_name}: ${rows.map((r) => r.row).join('\n')}`);
  }
  return parts.join('\n');
}

/** The code as a value of its own (not microseconds of a timestamp, not digits of a longer number). */
const holds = (text: string, code: string) => new RegExp(`(?<![\\d.])${code}(?!\\d)`).test(text);

describe('a customer on email is sent a code', () => {
  it('arrives at their address from the support address, in their language, threaded into the conversation', async () => {
    const c = await emailConversation('kim');
    const activities = createVerificationActivities(deps);
    const before = Date.now();
    const sent = await activities.sendVerificationCode({ ...c.key, email: c.email.toUpperCase(), language: 'da', requestKey: uniqueId('req') });
    expect(sent).toEqual({ sent: true, expiresAt: expect.any(String) });
    const expiresAt = Date.parse((sent as { expiresAt: string }).expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000 - 5_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000 + 5_000);

    const { code, mail, envelope } = await codeSentTo(c.email);
    expect(envelope.from).toBe(SUPPORT);
    expect(mail.from?.value[0]).toEqual({ address: SUPPORT, name: 'Code Shop' });
    expect(mail.to).toMatchObject({ value: [{ address: c.email }] });
    expect(mail.subject).toBe('Din bekræftelseskode');
    expect(mail.text?.trim()).toBe(`Din kode er ${code}. Den udløber om 10 minutter. Hvis du ikke har bedt om den, kan du se bort fra denne e-mail.`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.inReplyTo).toBe(`<${c.firstMessageId}>`);
    // Answering the code email lands in this conversation.
    expect(await findThread(db, deploymentId, [mail.messageId!.replace(/^<|>$/g, '')])).toBe(c.conversationId);

    // Nowhere but in the email: not in the answer, and in the database only as a hash (the sealed copy is gone).
    expect(holds(JSON.stringify(sent), code)).toBe(false);
    const { rows } = await db.query<{ email: string; code_hash: string; code_sealed: string | null; sent_at: Date | null }>(
      'SELECT email, code_hash, code_sealed, sent_at FROM verification_codes WHERE conversation_id = $1', [c.conversationId],
    );
    expect(rows).toEqual([{ email: c.email, code_hash: expect.stringMatching(/^[\w-]{43}$/), code_sealed: null, sent_at: expect.any(Date) }]);
    const everything = await databaseText();
    expect(everything).toContain(rows[0]!.code_hash);
    expect(holds(everything, code)).toBe(false);
  });

  it('in English when we have no text in their language', async () => {
    const c = await emailConversation('sven');
    await createVerificationActivities(deps).sendVerificationCode({ ...c.key, email: c.email, language: 'sv', requestKey: uniqueId('req') });
    const { code, mail } = await codeSentTo(c.email);
    expect(mail.subject).toBe('Your verification code');
    expect(mail.text?.trim()).toBe(`Your code is ${code}. It expires in 10 minutes. If you did not ask for it, ignore this email.`);
  });
});

describe('the customer writes the code back', () => {
  it('the right code verifies the address it went to; used, it is dead, and a retried check answers the same', async () => {
    const c = await emailConversation('lars');
    const activities = createVerificationActivities(deps);
    await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'en', requestKey: uniqueId('req') });
    const { code } = await codeSentTo(c.email);

    const verified = await activities.checkVerificationCode({ ...c.key, messageId: 'm-code', text: `Here it is: ${code.slice(0, 3)} ${code.slice(3)}` });
    expect(verified).toEqual({ verified: true, email: c.email });
    // The activity retried after it answered: the same answer, nothing counted twice.
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'm-code', text: `Here it is: ${code}` })).toEqual(verified);
    // The same code in a later message is spent.
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'm-again', text: code })).toEqual({ verified: false, reason: 'no_code' });
    const { rows } = await db.query<{ attempts: number; verified_at: Date | null }>('SELECT attempts, verified_at FROM verification_codes WHERE conversation_id = $1', [c.conversationId]);
    expect(rows).toEqual([{ attempts: 1, verified_at: expect.any(Date) }]);
  });

  it('a wrong code counts an attempt; after five, even the right code is refused', async () => {
    const c = await emailConversation('mette');
    const activities = createVerificationActivities(deps);
    await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'en', requestKey: uniqueId('req') });
    const { code } = await codeSentTo(c.email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const attempts = async () => (await db.query<{ attempts: number }>('SELECT attempts FROM verification_codes WHERE conversation_id = $1', [c.conversationId])).rows[0]!.attempts;

    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'w1', text: `My code is ${wrong}` })).toEqual({ verified: false, reason: 'wrong' });
    expect(await attempts()).toBe(1);
    // A retried check of the same message is not a second attempt.
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'w1', text: `My code is ${wrong}` })).toEqual({ verified: false, reason: 'wrong' });
    expect(await attempts()).toBe(1);
    for (const n of [2, 3, 4, 5]) {
      expect(await activities.checkVerificationCode({ ...c.key, messageId: `w${n}`, text: wrong })).toEqual({ verified: false, reason: 'wrong' });
    }
    expect(await attempts()).toBe(5);
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'w6', text: code })).toEqual({ verified: false, reason: 'too_many_attempts' });
    expect(await attempts()).toBe(5);
  });

  it('the right code on the fifth attempt still verifies', async () => {
    const c = await emailConversation('noor');
    const activities = createVerificationActivities(deps);
    await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'nl', requestKey: uniqueId('req') });
    const { code } = await codeSentTo(c.email);
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    for (const n of [1, 2, 3, 4]) await activities.checkVerificationCode({ ...c.key, messageId: `w${n}`, text: wrong });
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'ok', text: code })).toEqual({ verified: true, email: c.email });
  });

  it('an expired code is refused, even the right one, and counts nothing', async () => {
    const c = await emailConversation('emma');
    const activities = createVerificationActivities({ ...deps, codeTtlMs: 1000 });
    const sent = await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'de', requestKey: uniqueId('req') });
    expect(sent.sent).toBe(true);
    const { code, mail } = await codeSentTo(c.email);
    expect(mail.text).toContain('Er läuft in 1 Minute ab.');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'late', text: code })).toEqual({ verified: false, reason: 'expired' });
    const { rows } = await db.query<{ attempts: number; verified_at: Date | null }>('SELECT attempts, verified_at FROM verification_codes WHERE conversation_id = $1', [c.conversationId]);
    expect(rows).toEqual([{ attempts: 0, verified_at: null }]);
  });

  it('a new request replaces the older code: only the newest one verifies', async () => {
    const c = await emailConversation('jonas');
    const activities = createVerificationActivities(deps);
    await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'en', requestKey: uniqueId('first') });
    const first = (await codeSentTo(c.email, 1)).code;
    await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'en', requestKey: uniqueId('second') });
    const second = (await codeSentTo(c.email, 2)).code;
    if (first !== second) {
      expect(await activities.checkVerificationCode({ ...c.key, messageId: 'old', text: first })).toEqual({ verified: false, reason: 'wrong' });
    }
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'new', text: second })).toEqual({ verified: true, email: c.email });
  });

  it('a message without a 6-digit number is no attempt; a conversation without a code has nothing to check', async () => {
    const c = await emailConversation('ida');
    const activities = createVerificationActivities(deps);
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'x', text: '123456' })).toEqual({ verified: false, reason: 'no_code' });
    await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'en', requestKey: uniqueId('req') });
    await codeSentTo(c.email);
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'y', text: 'I did not get it, order 4711' })).toEqual({ verified: false, reason: 'not_in_text' });
    const { rows } = await db.query<{ attempts: number }>('SELECT attempts FROM verification_codes WHERE conversation_id = $1', [c.conversationId]);
    expect(rows).toEqual([{ attempts: 0 }]);
  });
});

describe('a send that is retried', () => {
  it('with the same request key after it went out: nothing is sent again, the answer is the same', async () => {
    const c = await emailConversation('anna');
    const activities = createVerificationActivities(deps);
    const input = { ...c.key, email: c.email, language: 'fr', requestKey: uniqueId('req') };
    const first = await activities.sendVerificationCode(input);
    await codeSentTo(c.email);
    expect(await activities.sendVerificationCode(input)).toEqual(first);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailbox.to(c.email)).toHaveLength(1);
  });

  it('after the mail server failed: the retry sends the same code, kept meanwhile only sealed', async () => {
    const c = await emailConversation('flaky-olga');
    const activities = createVerificationActivities(deps);
    const input = { ...c.key, email: c.email, language: 'es', requestKey: uniqueId('req') };
    await expect(activities.sendVerificationCode(input)).rejects.toMatchObject({ type: 'VerificationMailUnavailable', nonRetryable: false });
    const whileFailing = await databaseText();
    const { rows } = await db.query<{ code_sealed: string | null }>('SELECT code_sealed FROM verification_codes WHERE conversation_id = $1', [c.conversationId]);
    expect(rows[0]!.code_sealed).toMatch(/^v1\./);
    expect(whileFailing).toContain(rows[0]!.code_sealed);

    const retried = await activities.sendVerificationCode(input);
    expect(retried.sent).toBe(true);
    const { code, mail } = await codeSentTo(c.email);
    expect(mail.subject).toBe('Tu código de verificación');
    expect(mailbox.to(c.email)).toHaveLength(1);
    expect(holds(whileFailing, code)).toBe(false);
    expect(holds(await databaseText(), code)).toBe(false);
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'm', text: code })).toEqual({ verified: true, email: c.email });
  });
});

describe('when no code can be sent', () => {
  it('a mail server that refuses the address for good: not sent, with the reason, and nothing left to check', async () => {
    const c = await emailConversation('gone-bo');
    const activities = createVerificationActivities(deps);
    const sent = await activities.sendVerificationCode({ ...c.key, email: c.email, language: 'en', requestKey: uniqueId('req') });
    expect(sent).toMatchObject({ sent: false, reason: 'refused', detail: expect.stringMatching(/no such mailbox/) });
    expect(await activities.checkVerificationCode({ ...c.key, messageId: 'm', text: '123456' })).toEqual({ verified: false, reason: 'no_code' });
    const { rows } = await db.query<{ code_sealed: string | null }>('SELECT code_sealed FROM verification_codes WHERE conversation_id = $1', [c.conversationId]);
    expect(rows).toEqual([{ code_sealed: null }]);
  });

  it('another channel, the support address itself, no SECRETS_KEY, no SMTP_URL: each refused by name, nothing sent', async () => {
    const before = mailbox.received.length;
    const chat = await emailConversation('chat', { channel: 'chat' });
    const c = await emailConversation('pia');
    const send = (d: VerificationDeps, key: typeof c.key, email: string) =>
      createVerificationActivities(d).sendVerificationCode({ ...key, email, language: 'en', requestKey: uniqueId('req') });
    expect(await send(deps, chat.key, chat.email)).toEqual({ sent: false, reason: 'not_email' });
    expect(await send(deps, c.key, SUPPORT.toUpperCase())).toEqual({ sent: false, reason: 'own_address' });
    expect(await send({ db, sendEmail: deps.sendEmail! }, c.key, c.email)).toEqual({ sent: false, reason: 'no_secrets_key' });
    expect(await send({ db, secrets }, c.key, c.email)).toEqual({ sent: false, reason: 'no_smtp' });
    await new Promise((r) => setTimeout(r, 300));
    expect(mailbox.received.length).toBe(before);
  });

  it('input the workflow should never send is refused for good, naming the field', async () => {
    const c = await emailConversation('ulla');
    await expect(createVerificationActivities(deps).sendVerificationCode({ ...c.key, email: 'not an address', language: 'en', requestKey: 'k' }))
      .rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true, message: expect.stringContaining('email') });
  });
});
