/**
 * Actions through the API, on a real database, calling a shop's API on loopback; no Temporal is needed.
 * Two apps share the database: `open` lets actions reach loopback (FETCH_ALLOW_HOSTS as the webhook
 * tests set it), `strict` is the default policy (public addresses only). Both seal with one key.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../../api/app.js';
import { createSecretBox } from '../../../db/secret-box.js';
import type { Db } from '../../../db/types.js';
import { parseAllowList } from '../../../knowledge/fetch/policy.js';
import { inProcessApp } from '../../support/app.js';
import { openTestDb } from '../../support/db.js';
import { LOOPBACK_RECEIVERS } from '../webhooks/receiver.js';
import { ORDER, startShopApi, type ShopApi } from './shop-api.js';

type App = ReturnType<typeof createApp>;
let db: Db;
let shop: ShopApi;
let open: App;
let strict: App;
let noSecrets: App;
const rootKey = `ca_root_${randomBytes(16).toString('hex')}`;
const SECRET = `sk_live_${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  db = await openTestDb();
  shop = await startShopApi();
  const secrets = createSecretBox(randomBytes(32).toString('hex'));
  open = inProcessApp(db, rootKey, { secrets, fetchPolicy: parseAllowList(LOOPBACK_RECEIVERS) });
  strict = inProcessApp(db, rootKey, { secrets });
  noSecrets = inProcessApp(db, rootKey, { secrets: undefined, fetchPolicy: parseAllowList(LOOPBACK_RECEIVERS) });
});
afterAll(async () => {
  await shop?.close();
  await db?.close();
});

async function call(app: App, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${rootKey}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

async function newAgent(name = 'Shop'): Promise<string> {
  const res = await call(open, 'POST', '/v1/agents', { name });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const orderStatus = () => ({
  name: 'Order status',
  description: 'Look up where an order is',
  triggerPhrases: ['where is my order', 'order status'],
  method: 'GET',
  url: `${shop.origin}/orders/{orderNumber}?email={email}`,
  inputs: {
    orderNumber: { description: 'your order number', pattern: '\\d{5}' },
    email: { description: 'the email address you ordered with', type: 'email' },
  },
  headers: { 'X-Shop': 'fjeldspor' },
  secretHeaders: { 'X-Api-Key': SECRET },
  responseTemplate: 'Order {orderNumber} is {status}, sent with {order.carrier}.',
});

describe('declaring actions', () => {
  it('an admin creates, lists, reads, changes and deletes an action; a deleted name is free again', async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^act_/), agentId, name: 'Order status', description: 'Look up where an order is',
      triggerPhrases: ['where is my order', 'order status'], method: 'GET', url: orderStatus().url,
      inputs: {
        orderNumber: { description: 'your order number', type: 'string', pattern: '\\d{5}', required: true },
        email: { description: 'the email address you ordered with', type: 'email', required: true },
      },
      headers: { 'X-Shop': 'fjeldspor' }, secretHeaders: ['X-Api-Key'], responseTemplate: orderStatus().responseTemplate,
      requiresVerifiedIdentity: false, requiresApproval: false, approvalTimeoutSeconds: 86_400, timeoutMs: 10_000, createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    const id = created.body.id as string;
    expect((await call(open, 'GET', `/v1/agents/${agentId}/actions`)).body).toEqual({ actions: [created.body] });
    expect((await call(open, 'GET', `/v1/agents/${agentId}/actions/${id}`)).body).toEqual(created.body);

    const changed = await call(open, 'PATCH', `/v1/agents/${agentId}/actions/${id}`, { description: 'Where an order is now', timeoutMs: 5000, requiresVerifiedIdentity: true, responseTemplate: null });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ description: 'Where an order is now', timeoutMs: 5000, requiresVerifiedIdentity: true, triggerPhrases: ['where is my order', 'order status'], secretHeaders: ['X-Api-Key'] });
    expect(changed.body.responseTemplate).toBeUndefined();

    expect((await call(open, 'DELETE', `/v1/agents/${agentId}/actions/${id}`)).status).toBe(204);
    const gone = await call(open, 'GET', `/v1/agents/${agentId}/actions/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'action_not_found', field: 'actionId' });
    expect((await call(open, 'DELETE', `/v1/agents/${agentId}/actions/${id}`)).status).toBe(404);
    expect((await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus())).status).toBe(201);

    const { rows } = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY seq`, [id]);
    expect(rows.map((r) => r.action)).toEqual(['action.created', 'action.updated', 'action.deleted']);
  });

  it('a second action with the same name, in any case, is a 409 naming the name; on rename too', async () => {
    const agentId = await newAgent();
    expect((await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus())).status).toBe(201);
    const twice = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'ORDER STATUS' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'conflict', field: 'name' });
    const other = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'Refund' });
    const rename = await call(open, 'PATCH', `/v1/agents/${agentId}/actions/${other.body.id}`, { name: 'order status' });
    expect(rename.status).toBe(409);
    // Another agent may use the name.
    expect((await call(open, 'POST', `/v1/agents/${await newAgent('Other')}/actions`, orderStatus())).status).toBe(201);
  });

  it('every placeholder of the URL and the body must name a declared input, and placeholders stay out of the host', async () => {
    const agentId = await newAgent();
    const bad = async (body: unknown, field: string, message: RegExp) => {
      const res = await call(open, 'POST', `/v1/agents/${agentId}/actions`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    };
    await bad({ ...orderStatus(), url: `${shop.origin}/orders/{orderNo}` }, 'url', /\{orderNo\} names no input/);
    await bad({ ...orderStatus(), method: 'POST', body: '{"order": "{orderNumber}", "note": "{note}"}' }, 'body', /\{note\} names no input/);
    await bad({ ...orderStatus(), url: 'https://{tenant}.shop.example/orders/{orderNumber}', inputs: { ...orderStatus().inputs, tenant: { description: 't' } } }, 'url', /only in its path and query/);
    await bad({ ...orderStatus(), headers: { 'Idempotency-Key': 'mine' } }, 'headers.Idempotency-Key', /set by the HTTP client or by every call/);
    await bad({ ...orderStatus(), headers: { 'x-api-key': 'plain' } }, 'secretHeaders.X-Api-Key', /also a plain header/);
    await bad({ ...orderStatus(), headers: { 'X-Note': 'a\r\nX-Evil: 1' } }, 'headers.X-Note', /no line breaks/);

    const ok = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    const dropInput = await call(open, 'PATCH', `/v1/agents/${agentId}/actions/${ok.body.id}`, { inputs: { orderNumber: { description: 'your order number' } } });
    expect(dropInput.status).toBe(422);
    expect(dropInput.body.error).toMatchObject({ field: 'url', message: expect.stringMatching(/\{email\} names no input/) });
  });
});

describe('secret headers', () => {
  it('are stored encrypted, never returned or logged, and sent to the API with every call', async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    const id = created.body.id as string;
    const answers = [
      created.text,
      (await call(open, 'GET', `/v1/agents/${agentId}/actions`)).text,
      (await call(open, 'GET', `/v1/agents/${agentId}/actions/${id}`)).text,
      (await call(open, 'PATCH', `/v1/agents/${agentId}/actions/${id}`, { description: 'Where is it' })).text,
    ];
    for (const a of answers) expect(a).not.toContain(SECRET);

    const { rows } = await db.query<{ secret_headers: string; secret_header_names: string[] }>('SELECT secret_headers, secret_header_names FROM actions WHERE id = $1', [id]);
    expect(rows[0]!.secret_headers).toMatch(/^v1\./);
    expect(rows[0]!.secret_headers).not.toContain(SECRET);
    expect(rows[0]!.secret_header_names).toEqual(['X-Api-Key']);

    shop.received.length = 0;
    const tested = await call(open, 'POST', `/v1/agents/${agentId}/actions/${id}/test`, { inputs: { orderNumber: '12345', email: 'ann@example.dk' } });
    expect(tested.status, tested.text).toBe(200);
    expect(shop.received).toHaveLength(1);
    expect(shop.received[0]!.headers['x-api-key']).toBe(SECRET);
    expect(shop.received[0]!.headers['x-shop']).toBe('fjeldspor');
    expect(tested.body.request.headers).toMatchObject({ 'X-Api-Key': '[secret]', 'X-Shop': 'fjeldspor' });
    expect(tested.text).not.toContain(SECRET);

    const runs = await db.query('SELECT * FROM action_runs WHERE action_id = $1', [id]);
    expect(JSON.stringify(runs.rows)).not.toContain(SECRET);
    const audit = await db.query('SELECT * FROM audit_log WHERE target_id = $1', [id]);
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.rows)).not.toContain(SECRET);
  });

  it("are merged on PATCH: a new one is added, one set to '' is removed, the others are kept", async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), secretHeaders: { 'X-Api-Key': SECRET, 'X-Old': 'old-secret' } });
    const id = created.body.id as string;
    const changed = await call(open, 'PATCH', `/v1/agents/${agentId}/actions/${id}`, { secretHeaders: { 'x-old': '', 'X-Signature': 'sig-secret' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.secretHeaders).toEqual(['X-Api-Key', 'X-Signature']);
    shop.received.length = 0;
    await call(open, 'POST', `/v1/agents/${agentId}/actions/${id}/test`, { inputs: { orderNumber: '12345', email: 'ann@example.dk' } });
    expect(shop.received[0]!.headers).toMatchObject({ 'x-api-key': SECRET, 'x-signature': 'sig-secret' });
    expect(shop.received[0]!.headers['x-old']).toBeUndefined();
  });

  it('without SECRETS_KEY an action with secret headers is 503 saying what to set; one without is stored and runs', async () => {
    const agentId = await newAgent();
    const refused = await call(noSecrets, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/set SECRETS_KEY/) });
    const plain = await call(noSecrets, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), secretHeaders: {} });
    expect(plain.status, plain.text).toBe(201);
    const tested = await call(noSecrets, 'POST', `/v1/agents/${agentId}/actions/${plain.body.id}/test`, { inputs: { orderNumber: '12345', email: 'ann@example.dk' } });
    expect(tested.body).toMatchObject({ ok: true });
    // One stored with secrets elsewhere cannot be run here.
    const sealed = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'Sealed' });
    expect((await call(noSecrets, 'POST', `/v1/agents/${agentId}/actions/${sealed.body.id}/test`, { inputs: { orderNumber: '12345', email: 'a@b.dk' } })).status).toBe(503);
  });
});

describe('the address guard', () => {
  it('refuses at creation URLs that reach loopback, link-local or private addresses, or are not http(s)', async () => {
    const agentId = await newAgent();
    const urls = [
      `${shop.origin}/orders/{orderNumber}`,
      `http://localhost:${shop.port}/orders/{orderNumber}`,
      'http://169.254.169.254/latest/meta-data/{orderNumber}',
      'http://10.1.2.3/orders/{orderNumber}',
      `http://[::ffff:127.0.0.1]:${shop.port}/orders/{orderNumber}`,
      'file:///etc/passwd?{orderNumber}',
      'ftp://shop.example/orders/{orderNumber}',
    ];
    for (const url of urls) {
      const res = await call(strict, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), url, inputs: { orderNumber: { description: 'n' } } });
      expect(res.status, url).toBe(422);
      expect(res.body.error, url).toMatchObject({ code: 'invalid_request', field: 'url' });
    }
    expect(shop.received.filter((r) => r.path.startsWith('/orders/{'))).toEqual([]);
    // Allowing loopback (on unprivileged ports) does not open the metadata address, on create or change.
    const ok = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    expect(ok.status).toBe(201);
    const moved = await call(open, 'PATCH', `/v1/agents/${agentId}/actions/${ok.body.id}`, { url: 'http://169.254.169.254/latest/{orderNumber}?e={email}' });
    expect(moved.status).toBe(422);
    expect(moved.body.error).toMatchObject({ field: 'url', message: expect.stringMatching(/link-local/) });
  });

  it('refuses at call time an address allowed at creation when the allowlist no longer allows it, or the row was changed underneath', async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    const id = created.body.id as string;
    shop.received.length = 0;
    const inputs = { orderNumber: '12345', email: 'ann@example.dk' };
    const refused = await call(strict, 'POST', `/v1/agents/${agentId}/actions/${id}/test`, { inputs });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ field: 'url', message: expect.stringMatching(/loopback address/) });

    await db.query(`UPDATE actions SET url = 'http://169.254.169.254/latest/meta-data/{orderNumber}' WHERE id = $1`, [id]);
    const metadata = await call(open, 'POST', `/v1/agents/${agentId}/actions/${id}/test`, { inputs });
    expect(metadata.status).toBe(422);
    expect(metadata.body.error.message).toMatch(/link-local/);
    expect(shop.received).toEqual([]);
    const { rows } = await db.query<{ status: string }>('SELECT status FROM action_runs WHERE action_id = $1', [id]);
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
  });
});

describe('testing an action', () => {
  it('runs it once and shows the request (secrets as [secret]), the answer and the reply a customer would get', async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    shop.received.length = 0;
    const res = await call(open, 'POST', `/v1/agents/${agentId}/actions/${created.body.id}/test`, { inputs: { orderNumber: ' 12345 ', email: 'ann+boots@example.dk' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      runId: expect.stringMatching(/^run_/),
      request: {
        method: 'GET',
        url: `${shop.origin}/orders/12345?email=ann%2Bboots%40example.dk`,
        headers: { Accept: expect.any(String), 'X-Shop': 'fjeldspor', 'X-Api-Key': '[secret]', 'Idempotency-Key': expect.stringMatching(/^test:act_/) },
      },
      response: { status: 200, body: ORDER, truncated: false },
      text: 'Order 12345 is shipped, sent with GLS.',
    });
    expect(shop.received[0]).toMatchObject({ method: 'GET', path: '/orders/12345?email=ann%2Bboots%40example.dk' });
    expect(shop.received[0]!.headers['idempotency-key']).toBe(res.body.request.headers['Idempotency-Key']);
    const { rows } = await db.query<{ status: string; conversation_id: string | null; text: string }>('SELECT status, conversation_id, text FROM action_runs WHERE id = $1', [res.body.runId]);
    expect(rows[0]).toEqual({ status: 'succeeded', conversation_id: null, text: 'Order 12345 is shipped, sent with GLS.' });
  });

  it('names the template placeholders that found no value', async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), responseTemplate: 'Order {orderNumber} is {state} ({order.eta})' });
    const res = await call(open, 'POST', `/v1/agents/${agentId}/actions/${created.body.id}/test`, { inputs: { orderNumber: '12345', email: 'a@b.dk' } });
    expect(res.body).toMatchObject({ ok: true, text: 'Order 12345 is  ()', missing: ['state', 'order.eta'] });
  });

  it('an input that fails its checks is a 422 naming it, and nothing is sent', async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    shop.received.length = 0;
    const path = `/v1/agents/${agentId}/actions/${created.body.id}/test`;
    const badOrder = await call(open, 'POST', path, { inputs: { orderNumber: '12', email: 'ann@example.dk' } });
    expect(badOrder.status).toBe(422);
    expect(badOrder.body.error).toMatchObject({ field: 'inputs.orderNumber', message: 'inputs.orderNumber: it is not in the expected form' });
    const missing = await call(open, 'POST', path, { inputs: { orderNumber: '12345' } });
    expect(missing.body.error).toMatchObject({ field: 'inputs.email', message: 'inputs.email: it is required' });
    const climbing = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'Any path', url: `${shop.origin}/orders/{ref}`, inputs: { ref: { description: 'r' } } });
    const up = await call(open, 'POST', `/v1/agents/${agentId}/actions/${climbing.body.id}/test`, { inputs: { ref: '..' } });
    expect(up.status).toBe(422);
    expect(up.body.error.field).toBe('inputs.ref');
    expect(shop.received).toEqual([]);
  });

  it("shows an error status with ok false and the service's answer, a redirect unfollowed, and a timeout as ok false without an answer", async () => {
    const agentId = await newAgent();
    const created = await call(open, 'POST', `/v1/agents/${agentId}/actions`, orderStatus());
    const notFound = await call(open, 'POST', `/v1/agents/${agentId}/actions/${created.body.id}/test`, { inputs: { orderNumber: '99999', email: 'a@b.dk' } });
    expect(notFound.status).toBe(200);
    expect(notFound.body).toMatchObject({ ok: false, response: { status: 404, body: { error: 'no such order' } }, error: 'the service answered 404' });
    expect(notFound.body.text).toBeUndefined();

    const moved = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'Moved', url: `${shop.origin}/redirect`, inputs: {} });
    const redirect = await call(open, 'POST', `/v1/agents/${agentId}/actions/${moved.body.id}/test`, {});
    expect(redirect.body).toMatchObject({ ok: false, response: { status: 302 }, error: expect.stringMatching(/redirect, which is not followed/) });

    const slow = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'Slow', url: `${shop.origin}/slow`, inputs: {}, timeoutMs: 300 });
    const timedOut = await call(open, 'POST', `/v1/agents/${agentId}/actions/${slow.body.id}/test`, {});
    expect(timedOut.status).toBe(200);
    expect(timedOut.body).toMatchObject({ ok: false, error: expect.stringMatching(/did not answer within 300 ms/) });
    expect(timedOut.body.response).toBeUndefined();
    expect(timedOut.body.request.url).toBe(`${shop.origin}/slow`);
  });

  it('sends the inputs as a JSON object from a POST without a body template, and a JSON template with values escaped', async () => {
    const agentId = await newAgent();
    const inputs = { orderNumber: { description: 'n' }, note: { description: 'why', required: false } };
    const plain = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'Refund', method: 'POST', url: `${shop.origin}/refunds`, inputs, responseTemplate: 'Refund for {orderNumber} noted' });
    const sent = await call(open, 'POST', `/v1/agents/${agentId}/actions/${plain.body.id}/test`, { inputs: { orderNumber: 'A-1' } });
    expect(sent.body).toMatchObject({ ok: true, response: { status: 201 }, text: 'Refund for A-1 noted', request: { body: '{"orderNumber":"A-1"}' } });
    expect(sent.body.request.headers['Content-Type']).toBe('application/json');
    expect(shop.at('/refunds').at(-1)).toMatchObject({ method: 'POST', body: '{"orderNumber":"A-1"}', headers: { 'content-type': 'application/json' } });

    const templated = await call(open, 'POST', `/v1/agents/${agentId}/actions`, {
      ...orderStatus(), name: 'Echo', method: 'PUT', url: `${shop.origin}/echo`, inputs, body: '{"order": "{orderNumber}", "note": "{note}", "kind": "refund"}',
    });
    const escaped = await call(open, 'POST', `/v1/agents/${agentId}/actions/${templated.body.id}/test`, { inputs: { orderNumber: '7', note: 'x", "kind": "free money' } });
    expect(JSON.parse(shop.at('/echo').at(-1)!.body)).toEqual({ order: '7', note: 'x", "kind": "free money', kind: 'refund' });
    expect(escaped.body.ok).toBe(true);
  });

  it('cuts an answer larger than 64 KB: marked truncated, not quoted from, and kept to 16 KB in the run', async () => {
    const agentId = await newAgent();
    const big = await call(open, 'POST', `/v1/agents/${agentId}/actions`, { ...orderStatus(), name: 'Catalogue', url: `${shop.origin}/big`, inputs: {}, responseTemplate: 'First: {items.0.name}' });
    const res = await call(open, 'POST', `/v1/agents/${agentId}/actions/${big.body.id}/test`, {});
    expect(res.body).toMatchObject({ ok: true, response: { status: 200, truncated: true }, text: 'Catalogue: done (the service answered 200).' });
    expect(typeof res.body.response.body).toBe('string');
    expect(res.body.response.body.length).toBe(64 * 1024);
    const { rows } = await db.query<{ size: number; response_truncated: boolean }>('SELECT octet_length(response_body::text) AS size, response_truncated FROM action_runs WHERE id = $1', [res.body.runId]);
    expect(rows[0]!.response_truncated).toBe(true);
    expect(Number(rows[0]!.size)).toBeLessThanOrEqual(16 * 1024 + 16);
  });
});
