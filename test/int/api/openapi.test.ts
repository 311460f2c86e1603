/**
 * /openapi.json is generated from the routes: it must be a valid OpenAPI document, describe every route
 * the app serves (and no other), and say what the routes really answer. The app is built in-process on
 * a real database; no Temporal is needed (nothing here reaches a workflow).
 */
import { randomBytes } from 'node:crypto';
import { validate, compileErrors } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../api/app.js';
import { ErrorResponse } from '../../../api/schemas.js';
import type { Db } from '../../../db/types.js';
import { ERROR_CODES } from '../../../domain/errors.js';
import { openTestDb } from '../../support/db.js';
import { inProcessApp } from '../../support/app.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: string;
  path: string;
  op: {
    operationId?: string;
    tags?: string[];
    summary?: string;
    security?: Record<string, string[]>[];
    parameters?: ({ $ref: string } | { name: string; in: string })[];
    requestBody?: { content: Record<string, unknown> };
    responses: Record<string, unknown>;
  };
}

let db: Db;
let app: ReturnType<typeof createApp>;
let doc: any;
let operations: Operation[];
const rootKey = `ca_root_${randomBytes(16).toString('hex')}`;

beforeAll(async () => {
  db = await openTestDb();
  app = inProcessApp(db, rootKey);
  const res = await app.request('/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json();
  operations = Object.entries(doc.paths as Record<string, Record<string, Operation['op']>>)
    .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method]! })));
});
afterAll(async () => db?.close());

/** Meta's webhooks take no API key: they verify X-Hub-Signature-256 (app.ts exempts exactly these paths). */
const KEYLESS = ['/v1/channels/whatsapp/webhook', '/v1/channels/messenger/webhook'];
const isWebhook = (o: Operation) => KEYLESS.includes(o.path);
const isV1 = (o: Operation) => o.path.startsWith('/v1/') && !isWebhook(o);
const statuses = (o: Operation) => Object.keys(o.op.responses).map(Number);

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (schema and semantic rules: unique operationIds, declared path parameters)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.warnings).toEqual([]);
  });

  it('names every operation, tags it with a declared tag and summarises it', () => {
    const declared = new Set((doc.tags as { name: string }[]).map((t) => t.name));
    for (const o of operations) {
      const where = `${o.method.toUpperCase()} ${o.path}`;
      expect(o.op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(o.op.tags?.length, where).toBeGreaterThan(0);
      for (const tag of o.op.tags!) expect(declared.has(tag), `${where}: tag ${tag}`).toBe(true);
      expect(o.op.summary, where).toBeTruthy();
    }
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
  });

  it('asks for the bearer key on every /v1 operation but Meta\'s webhooks, and for nothing on those, the health check, the document, the pages and the widget script', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const o of operations) {
      const where = `${o.method.toUpperCase()} ${o.path}`;
      expect(o.op.security, where).toEqual(isV1(o) ? [{ bearerAuth: [] }] : []);
      if (isV1(o)) expect(o.op.parameters, where).toContainEqual({ $ref: '#/components/parameters/WorkspaceId' });
    }
    expect(operations.filter((o) => !isV1(o) && !isWebhook(o)).map((o) => `${o.method} ${o.path}`).sort()).toEqual(['get /', 'get /healthz', 'get /inbox', 'get /openapi.json', 'get /widget.js']);
    expect(operations.filter(isWebhook).map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'get /v1/channels/messenger/webhook', 'get /v1/channels/whatsapp/webhook', 'post /v1/channels/messenger/webhook', 'post /v1/channels/whatsapp/webhook',
    ]);
    for (const o of operations.filter(isWebhook)) expect(o.op.tags, o.path).toEqual(['channels']);
    expect(doc.components.parameters.WorkspaceId).toMatchObject({ name: 'x-workspace-id', in: 'header' });
    expect(doc.components.parameters.ConversationToken).toMatchObject({ name: 'x-conversation-token', in: 'header' });
    // The conversation token is for widget keys, so it is documented on the two routes they reach, and only there.
    const withToken = operations.filter((o) => o.op.parameters?.some((p) => '$ref' in p && p.$ref === '#/components/parameters/ConversationToken'));
    expect(withToken.map((o) => o.op.operationId).sort()).toEqual(['getConversation', 'postMessage']);
  });

  it('lists the statuses of the access chain, of bodies and of scoped resources, each error with the error body', () => {
    for (const o of operations.filter(isV1)) {
      const where = `${o.method.toUpperCase()} ${o.path}`;
      expect(statuses(o), where).toEqual(expect.arrayContaining([401, 403, 404, 429, 500]));
      if (o.op.requestBody) expect(statuses(o), where).toEqual(expect.arrayContaining([400, 413, 415, 422]));
      expect(statuses(o).filter((s) => s < 300), where).toHaveLength(o.op.operationId === 'createSource' ? 2 : 1);
      for (const [status, response] of Object.entries(o.op.responses)) {
        if (Number(status) >= 400) expect(response, `${where} ${status}`).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } });
      }
    }
    for (const o of operations.filter(isWebhook)) {
      const where = `${o.method.toUpperCase()} ${o.path}`;
      expect(statuses(o), where).toEqual(expect.arrayContaining(o.method === 'get' ? [200, 403, 422, 500, 503] : [200, 400, 401, 413, 500, 503]));
      expect(statuses(o).filter((s) => s < 300), where).toHaveLength(1);
      for (const [status, response] of Object.entries(o.op.responses)) {
        if (Number(status) >= 400) expect(response, `${where} ${status}`).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } });
      }
    }
    const byId = Object.fromEntries(operations.map((o) => [o.op.operationId, statuses(o)]));
    expect(byId.createSource).toEqual(expect.arrayContaining([201, 202, 503]));
    expect(byId.syncSource).toEqual(expect.arrayContaining([202, 503]));
    expect(byId.uploadFiles).toEqual(expect.arrayContaining([201, 503]));
    expect(byId.postMessage).toEqual(expect.arrayContaining([200, 409, 503]));
    // Switching an agent on after the trial ended without credits (test/int/billing/trial.test.ts).
    expect(byId.updateAgent).toEqual(expect.arrayContaining([200, 409]));
    for (const id of ['deleteSource', 'deleteShortAnswer', 'revokeApiKey']) expect(byId[id], id).toContain(204);
    expect(byId.createAction).toEqual(expect.arrayContaining([201, 409, 422, 503]));
    expect(byId.updateAction).toEqual(expect.arrayContaining([200, 409, 422, 503]));
    expect(byId.testAction).toEqual(expect.arrayContaining([200, 422, 503]));
    expect(byId.deleteAction).toContain(204);
  });

  it('says when a customer message is unanswered for now: 503 with Retry-After, to be sent again with the same messageId', () => {
    const send = operations.find((o) => o.op.operationId === 'postMessage')!;
    expect(send.op.responses['503']).toMatchObject({
      description: expect.stringMatching(/no worker is serving conversations, or Temporal cannot be reached.*same messageId/),
      headers: { 'Retry-After': { schema: { type: 'integer' } } },
    });
    expect((send.op.responses['503'] as { description: string }).description).not.toMatch(/not enabled/);
    // Elsewhere a 503 without Retry-After is a capability this server runs without (SECRETS_KEY, uploads, the sync workflow).
    const upload = operations.find((o) => o.op.operationId === 'uploadFiles')!;
    expect(upload.op.responses['503']).toMatchObject({ description: expect.stringMatching(/not enabled/) });
    expect(upload.op.responses['503']).not.toHaveProperty('headers');
  });

  it('says actions never return secret header values: only their names', () => {
    expect(doc.components.schemas.Action.properties.secretHeaders).toMatchObject({ type: 'array', items: { type: 'string' }, description: expect.stringMatching(/names .* never returned/) });
    const create = operations.find((o) => o.op.operationId === 'createAction')!;
    expect(JSON.stringify(create.op)).toMatch(/never returned/);
  });

  it('gives the error codes as the enum of domain/errors.ts', () => {
    expect(doc.components.schemas.ErrorResponse.properties.error.properties.code.enum).toEqual(ERROR_CODES);
  });

  it('describes the upload as multipart with binary file parts', () => {
    const upload = operations.find((o) => o.op.operationId === 'uploadFiles')!;
    expect(upload.op.requestBody!.content['multipart/form-data']).toMatchObject({
      schema: { type: 'object', required: ['file'], properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } } },
    });
  });

  it('describes every route the app serves, and no route it does not serve', () => {
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    const documented = new Set(operations.map((o) => `${o.method.toUpperCase()} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect([...served].filter((r) => !documented.has(r)), 'served but not documented').toEqual([]);
    expect([...documented].filter((r) => !served.has(r)), 'documented but not served').toEqual([]);
    expect(served.size).toBeGreaterThan(25);
  });
});

describe('the routes answer as documented', () => {
  async function call(o: Operation, ids: Record<string, string>, init: { key?: boolean; body?: string; type?: string } = {}) {
    const path = o.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? 'nope'));
    const headers: Record<string, string> = {};
    if (init.key !== false) headers.authorization = `Bearer ${rootKey}`;
    if (init.type) headers['content-type'] = init.type;
    const res = await app.request(path, { method: o.method.toUpperCase(), headers, ...(init.body !== undefined ? { body: init.body } : {}) });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  function expectDocumented(o: Operation, res: { status: number; body: unknown }, what: string) {
    const where = `${o.method.toUpperCase()} ${o.path} ${what}`;
    expect(statuses(o), `${where} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`).toContain(res.status);
    if (res.status >= 400) expect(ErrorResponse.safeParse(res.body).success, where).toBe(true);
  }

  it('a /v1 call without a key is a documented 401, and the public routes need none', async () => {
    for (const o of operations) {
      const res = await call(o, {}, { key: false });
      if (isWebhook(o)) {
        // No handshake parameters (422) or no body (400): the route's own answer, not the access chain's.
        expect(res.status, `${o.method} ${o.path}`).toBe(o.method === 'get' ? 422 : 400);
        expectDocumented(o, res, 'without a key');
      } else if (isV1(o)) {
        expect(res.status, `${o.method} ${o.path}`).toBe(401);
        expectDocumented(o, res, 'without a key');
      } else {
        expect(res.status, `${o.method} ${o.path}`).toBe(200);
      }
    }
  });

  it('unknown resources, bodies that are empty, malformed or not JSON get statuses the document lists', async () => {
    for (const o of operations.filter((op) => isV1(op) || isWebhook(op))) {
      // A fresh agent each time: some operations archive it.
      const created = await app.request('/v1/agents', {
        method: 'POST', headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Doc check' }),
      });
      const { id: agentId } = await created.json() as { id: string };
      const ids = { agentId };
      expectDocumented(o, await call(o, ids), 'with unknown ids');
      expectDocumented(o, await call(o, { agentId: 'agt_missing' }), 'with an unknown agent');
      if (o.op.requestBody) {
        expectDocumented(o, await call(o, ids, { body: '{}', type: 'application/json' }), 'with {}');
        expectDocumented(o, await call(o, ids, { body: '{"name": ', type: 'application/json' }), 'with malformed JSON');
        expectDocumented(o, await call(o, ids, { body: 'name=x', type: 'text/plain' }), 'with text/plain');
      }
    }
  });
});
