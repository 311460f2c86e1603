/**
 * Verified identity, through the real API, workflow and database: a host site that knows its customer
 * passes `customer: {email, identityToken}`; only a token made with the workspace's current secret for
 * that email verifies them, a wrong one never does and never loses the message, verification follows
 * the latest message's email, and neither the secret nor a token is kept anywhere but sealed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../api/app.js';
import { identityToken } from '../../../api/client.js';
import type { ConversationTarget } from '../../../api/conversation-client.js';
import type { Db } from '../../../db/types.js';
import { conversationWorkflowId, type InboundMessage } from '../../../workflows/conversation.contract.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';
import { LOOPBACK_RECEIVERS, startReceiver, type Receiver } from '../webhooks/receiver.js';

let sys: TestSystem;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sys = await startTestSystem('identity', { FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS });
});
afterAll(async () => {
  await sys?.stop();
  await receiver?.close();
});

const QUESTION = 'How long does standard delivery take?';

async function shop(name: string) {
  const ws = await createTestWorkspace(sys, name);
  const agentId = await ws.createAgent({ articles: [SHIPPING] });
  const made = await ws.request('POST', '/v1/identity/secret');
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { ws, agentId, secret: made.body.secret as string };
}

function send(ws: TestWorkspace, agentId: string, conversationId: string, customer?: Record<string, unknown>, text = QUESTION) {
  return ws.request('POST', `/v1/agents/${agentId}/conversations/${conversationId}/messages`, {
    messageId: uniqueId('m'), text, channel: 'chat', ...(customer ? { customer } : {}),
  });
}

async function customerOf(ws: TestWorkspace, agentId: string, conversationId: string) {
  const res = await ws.request('GET', `/v1/agents/${agentId}/conversations/${conversationId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.customer as Record<string, unknown> | undefined;
}

/** Every row of every table of the product's database, as JSON text. */
async function everyRow(db: Db): Promise<string> {
  const { rows: tables } = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const out: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
    out.push(...rows.map((r) => r.row));
  }
  return out.join('\n');
}

/** The conversation's Temporal history, payloads decoded. */
async function historyText(agentId: string, conversationId: string): Promise<string> {
  const history = await sys.client.workflow.getHandle(conversationWorkflowId(agentId, conversationId)).fetchHistory();
  // Payload bytes come base64-encoded (the history's JSON form) or as bytes: read either as text.
  return JSON.stringify(history, (key, value: unknown) => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    return key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value;
  });
}

describe('the identity secret', () => {
  it('an admin makes and rotates it; it is shown once, never read back, audited without it, and stored only sealed', async () => {
    const ws = await createTestWorkspace(sys, 'identity-secret');
    expect(await ws.request('GET', '/v1/identity/secret')).toMatchObject({ status: 200, body: { configured: false } });

    const first = await ws.request('POST', '/v1/identity/secret');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ secret: expect.stringMatching(/^idsec_[A-Za-z0-9_-]{43}$/) });
    const made = await ws.request('GET', '/v1/identity/secret');
    expect(made.body).toEqual({ configured: true, createdAt: expect.any(String), rotatedAt: expect.any(String) });

    const second = await ws.request('POST', '/v1/identity/secret');
    expect(second.status).toBe(201);
    expect(second.body.secret).not.toBe(first.body.secret);
    const rotated = await ws.request('GET', '/v1/identity/secret');
    expect(rotated.body.createdAt).toBe(made.body.createdAt);
    expect(Date.parse(rotated.body.rotatedAt)).toBeGreaterThanOrEqual(Date.parse(made.body.rotatedAt));

    const audit = await ws.request('GET', '/v1/audit-log');
    const entries = (audit.body.entries as { action: string; target: unknown }[]).filter((e) => e.action.startsWith('identity_secret.'));
    expect(entries.map((e) => e.action)).toEqual(['identity_secret.rotated', 'identity_secret.created']);
    expect(entries[0]!.target).toEqual({ type: 'workspace', id: ws.id });

    for (const secret of [first.body.secret, second.body.secret]) {
      expect(JSON.stringify([made.body, rotated.body, audit.body])).not.toContain(secret);
      expect(await everyRow(sys.db)).not.toContain(secret);
    }
  });
});

describe('a customer a host site vouches for', () => {
  it('is verified by the right token only: none, a wrong one or one for another email leave them unverified, and every message is answered', async () => {
    const { ws, agentId, secret } = await shop('identity-matrix');
    const email = 'ann@shop.example';
    const cases: { name: string; customer: Record<string, unknown>; verified: boolean; reason?: RegExp }[] = [
      { name: 'no token', customer: { email }, verified: false },
      { name: 'a wrong token', customer: { email, identityToken: 'f'.repeat(64) }, verified: false, reason: /is not the HMAC-SHA256 of customer.email/ },
      { name: 'not hex at all', customer: { email, identityToken: 'let me in' }, verified: false, reason: /is not the HMAC-SHA256/ },
      { name: "another email's token", customer: { email, identityToken: identityToken(secret, 'bob@shop.example') }, verified: false, reason: /is not the HMAC-SHA256/ },
      { name: 'a token without an email', customer: { name: 'Ann', identityToken: identityToken(secret, email) }, verified: false, reason: /send the email it was made for/ },
      { name: 'verified: true set by the client', customer: { email, verified: true, verifiedBy: 'token' }, verified: false },
      { name: 'the right token', customer: { email, identityToken: identityToken(secret, email) }, verified: true },
      { name: 'the right token, the email in another case', customer: { email: 'Ann@Shop.EXAMPLE', identityToken: identityToken(secret, email) }, verified: true },
    ];
    for (const c of cases) {
      const conversationId = uniqueId('matrix');
      const res = await send(ws, agentId, conversationId, c.customer);
      expect(res.status, `${c.name}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.reply?.text, c.name).toMatch(/2 to 4 working days/);
      expect(res.body.customer, c.name).toEqual({ verified: c.verified, ...(c.reason ? { reason: expect.stringMatching(c.reason) } : {}) });
      const stored = await customerOf(ws, agentId, conversationId);
      if (c.verified) expect(stored, c.name).toMatchObject({ verified: true, verifiedBy: 'token' });
      else expect(stored?.verified ?? false, c.name).toBe(false);
      expect(JSON.stringify(stored), c.name).not.toContain('identityToken');
    }
  });

  it('a later message with another email, or without the token, does not inherit the verification', async () => {
    const { ws, agentId, secret } = await shop('identity-sticky');
    const conversationId = uniqueId('sticky');
    const ann = { email: 'ann@shop.example', identityToken: identityToken(secret, 'ann@shop.example') };

    expect((await send(ws, agentId, conversationId, ann)).body.customer).toEqual({ verified: true });
    expect(await customerOf(ws, agentId, conversationId)).toMatchObject({ email: 'ann@shop.example', verified: true });

    // Another email without a token: the conversation's customer is now Bob, unverified.
    expect((await send(ws, agentId, conversationId, { email: 'bob@shop.example' })).body.customer).toEqual({ verified: false });
    const bob = await customerOf(ws, agentId, conversationId);
    expect(bob).toMatchObject({ email: 'bob@shop.example' });
    expect(bob?.verified).toBeUndefined();

    // Ann again with her token, then a message from a page that no longer knows her (no email, no token).
    await send(ws, agentId, conversationId, ann);
    expect(await customerOf(ws, agentId, conversationId)).toMatchObject({ email: 'ann@shop.example', verified: true });
    await send(ws, agentId, conversationId, { locale: 'en-GB' });
    const signedOut = await customerOf(ws, agentId, conversationId);
    expect(signedOut).toMatchObject({ email: 'ann@shop.example', locale: 'en-GB' });
    expect(signedOut?.verified).toBeUndefined();

    // A message that names no customer changes nothing.
    await send(ws, agentId, conversationId, ann);
    const res = await send(ws, agentId, conversationId, undefined);
    expect(res.body.customer).toBeUndefined();
    expect(await customerOf(ws, agentId, conversationId)).toMatchObject({ email: 'ann@shop.example', verified: true });
  });

  it('after the secret is rotated, tokens made with the old one stop verifying; new ones do', async () => {
    const { ws, agentId, secret: old } = await shop('identity-rotation');
    const email = 'ann@shop.example';
    expect((await send(ws, agentId, uniqueId('before'), { email, identityToken: identityToken(old, email) })).body.customer).toEqual({ verified: true });

    const rotated = (await ws.request('POST', '/v1/identity/secret')).body.secret as string;
    const stale = await send(ws, agentId, uniqueId('stale'), { email, identityToken: identityToken(old, email) });
    expect(stale.status).toBe(200);
    expect(stale.body.customer).toEqual({ verified: false, reason: expect.stringMatching(/current identity secret/) });
    expect((await send(ws, agentId, uniqueId('after'), { email, identityToken: identityToken(rotated, email) })).body.customer).toEqual({ verified: true });
  });

  it('a token without a secret made does not verify, and the message is answered', async () => {
    const ws = await createTestWorkspace(sys, 'identity-none');
    const agentId = await ws.createAgent({ articles: [SHIPPING] });
    const res = await send(ws, agentId, uniqueId('none'), { email: 'ann@shop.example', identityToken: identityToken('idsec_guess', 'ann@shop.example') });
    expect(res.status).toBe(200);
    expect(res.body.reply?.text).toMatch(/2 to 4 working days/);
    expect(res.body.customer).toEqual({ verified: false, reason: expect.stringMatching(/no identity secret yet/) });
  });

  it("a custom channel's adapter vouches the same way; the token is in no database row, no workflow history, no webhook and no reply sent", async () => {
    const { ws, agentId, secret } = await shop('identity-custom');
    const hooks = `/${uniqueId('hooks')}`;
    expect((await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}${hooks}`, events: ['message.created'] })).status).toBe(201);
    const replies = `/${uniqueId('replies')}`;
    const deployment = (await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'custom', settings: { url: `${receiver.origin}${replies}` } })).body;

    const email = 'kim@shop.example';
    const token = identityToken(secret, email);
    const wrong = identityToken(secret, 'someone-else@shop.example');
    const thread = uniqueId('thread');
    const accepted = await ws.request('POST', `/v1/channels/custom/${deployment.id}/messages`, {
      conversationId: thread, messageId: 'in-1', text: QUESTION, customer: { email, identityToken: token },
    });
    expect(accepted).toMatchObject({ status: 202, body: { status: 'accepted', customer: { verified: true } } });
    const refused = await ws.request('POST', `/v1/channels/custom/${deployment.id}/messages`, {
      conversationId: uniqueId('thread'), messageId: 'in-1', text: QUESTION, customer: { email, identityToken: wrong },
    });
    expect(refused).toMatchObject({ status: 202, body: { status: 'accepted', customer: { verified: false, reason: expect.any(String) } } });
    await waitFor('the reply at the adapter', async () => receiver.at(replies), (r) => r.length >= 2);
    await waitFor("the agent's message.created at the webhook", async () => receiver.at(hooks), (r) => r.length >= 2);
    expect(await customerOf(ws, agentId, thread)).toMatchObject({ email, verified: true, verifiedBy: 'token' });

    // And the chat conversations of this workspace, answered or not.
    const chat = uniqueId('chat');
    await send(ws, agentId, chat, { email, identityToken: token });
    await send(ws, agentId, chat, { email, identityToken: wrong });

    const rows = await everyRow(sys.db);
    const sentOut = receiver.received.map((r) => r.rawBody).join('\n');
    const histories = (await Promise.all([thread, chat].map((id) => historyText(agentId, id)))).join('\n');
    expect(histories).toContain(email);
    for (const t of [token, wrong]) {
      expect(rows).not.toContain(t);
      expect(sentOut).not.toContain(t);
      expect(histories).not.toContain(t);
    }
    expect(`${rows}${histories}`).not.toContain('identityToken');
  });
});

describe('the API at the boundary', () => {
  it('without SECRETS_KEY no secret can be made (503 naming it), and a token verifies nobody; the conversation never gets the token', async () => {
    const sent: { target: ConversationTarget; message: InboundMessage }[] = [];
    const app = createApp({
      db: sys.db,
      conversations: {
        async send(target, message) {
          sent.push({ target, message });
          return { reply: null, conversation: { id: target.conversationId, status: 'open' } };
        },
        deliver: async () => {}, human: async () => { throw new Error('not used'); }, requeue: async () => {}, teamRemoved: async () => {},
      },
      ingest: async () => ({ id: 'src_unused', chunks: 0 }),
      access: { rootKey: sys.rootKey, rateLimitPerKey: 0, rateLimitPerWidgetClient: 0, trustProxy: false },
    }, { log: () => {} });
    const ws = await createTestWorkspace(sys, 'identity-no-key');
    const agentId = await ws.createAgent();
    const call = (method: string, path: string, body?: unknown) => app.request(path, {
      method, headers: { authorization: `Bearer ${ws.adminKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
    });

    const refused = await call('POST', '/v1/identity/secret');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as any).error.message).toMatch(/SECRETS_KEY/);

    const token = identityToken('idsec_whatever', 'ann@shop.example');
    const res = await call('POST', `/v1/agents/${agentId}/conversations/no-key/messages`, {
      messageId: 'm1', text: 'hi', channel: 'chat', customer: { email: 'ann@shop.example', name: 'Ann', identityToken: token, verified: true },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).customer).toEqual({ verified: false, reason: expect.stringMatching(/SECRETS_KEY/) });
    expect(sent.at(-1)!.message.customer).toEqual({ email: 'ann@shop.example', name: 'Ann', verified: false });
    expect(JSON.stringify(sent)).not.toContain(token);
  });
});
