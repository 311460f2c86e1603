/**
 * runAction as the workflow's activity will call it: on a real database, against a shop's API on
 * loopback, with the idempotency key a conversation derives (`<workflowId>:<messageId>:<step>`).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionCaller } from '../../../actions/http.js';
import { RetryableActionError, runAction, type RunActionDeps } from '../../../actions/run.js';
import {
  abandonActionRun, actionRunByKey, createAction, deleteAction, listActionRuns, listActions, startActionRun,
} from '../../../db/actions.js';
import { createAgent } from '../../../db/agents.js';
import { createSecretBox } from '../../../db/secret-box.js';
import type { Db } from '../../../db/types.js';
import { ActionDefinition } from '../../../domain/action.js';
import { parseAllowList, STRICT_POLICY } from '../../../knowledge/fetch/policy.js';
import { openTestDb } from '../../support/db.js';
import { LOOPBACK_RECEIVERS } from '../webhooks/receiver.js';
import { startShopApi, type ShopApi } from './shop-api.js';

let db: Db;
let shop: ShopApi;
let deps: RunActionDeps;
let agentId: string;
const box = createSecretBox(randomBytes(32).toString('hex'));
const SECRET = `sk_${randomBytes(8).toString('hex')}`;

beforeAll(async () => {
  db = await openTestDb();
  shop = await startShopApi();
  deps = { db, box, call: createActionCaller({ policy: parseAllowList(LOOPBACK_RECEIVERS) }) };
  agentId = (await createAgent(db, { workspaceId: 'default', name: 'Run shop' })).id;
});
afterAll(async () => {
  await shop?.close();
  await db?.close();
});

async function declare(over: Partial<Record<string, unknown>> = {}): Promise<string> {
  const definition = ActionDefinition.parse({
    name: `Action ${randomBytes(4).toString('hex')}`,
    description: 'Look up an order',
    method: 'GET',
    url: `${shop.origin}/orders/{orderNumber}`,
    inputs: { orderNumber: { description: 'your order number' } },
    secretHeaders: { Authorization: `Bearer ${SECRET}` },
    responseTemplate: 'Order {orderNumber} is {status}.',
    ...over,
  });
  return (await createAction(db, box, 'default', agentId, definition)).id;
}

let n = 0;
const key = () => `conv:${agentId}:chat:c1:m${++n}:action`;

describe('running an action for a conversation', () => {
  it('calls once per idempotency key: a repeat sends nothing and answers with the stored outcome', async () => {
    const actionId = await declare();
    const idempotencyKey = key();
    shop.received.length = 0;
    const run = { agentId, actionId, conversationId: 'c1', messageId: 'm1', inputs: { orderNumber: '12345' }, idempotencyKey };
    const first = await runAction(deps, run);
    expect(first).toEqual({ runId: expect.stringMatching(/^run_/), ok: true, text: 'Order 12345 is shipped.', status: 200 });
    const again = await runAction(deps, run);
    expect(again).toEqual(first);
    expect(shop.received).toHaveLength(1);
    expect(shop.received[0]!.headers).toMatchObject({ 'idempotency-key': idempotencyKey, authorization: `Bearer ${SECRET}` });
    expect(await actionRunByKey(db, idempotencyKey)).toMatchObject({
      status: 'succeeded', attempts: 1, conversationId: 'c1', messageId: 'm1', responseStatus: 200,
      request: { headers: { Authorization: '[secret]', 'Idempotency-Key': idempotencyKey } },
    });
  });

  it('a 503 is thrown to be retried, and the retry sends the same Idempotency-Key and finishes the run', async () => {
    const actionId = await declare({ url: `${shop.origin}/flaky`, inputs: {}, responseTemplate: 'It is {status}' });
    const idempotencyKey = key();
    const run = { agentId, actionId, conversationId: 'c1', inputs: {}, idempotencyKey };
    const err = await runAction(deps, run).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableActionError);
    expect((err as Error).message).toBe('the service answered 503');
    expect(await actionRunByKey(db, idempotencyKey)).toMatchObject({ status: 'running', attempts: 1, responseStatus: 503, error: 'the service answered 503' });
    expect(await runAction(deps, run)).toMatchObject({ ok: true, text: 'It is done' });
    const calls = shop.at('/flaky');
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual([idempotencyKey, idempotencyKey]);
    expect(await actionRunByKey(db, idempotencyKey)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('a timeout is retried; a run the workflow gives up on is closed as failed and stays so', async () => {
    const actionId = await declare({ url: `${shop.origin}/slow`, inputs: {}, timeoutMs: 200 });
    const idempotencyKey = key();
    const err = await runAction(deps, { agentId, actionId, inputs: {}, idempotencyKey }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableActionError);
    await abandonActionRun(db, idempotencyKey, 'gave up after 3 attempts');
    expect(await runAction(deps, { agentId, actionId, inputs: {}, idempotencyKey })).toMatchObject({ ok: false, error: 'gave up after 3 attempts' });
  });

  it('a 4xx answer, a refused address and a bad input are final: ok false, not thrown, the run failed', async () => {
    const actionId = await declare();
    expect(await runAction(deps, { agentId, actionId, inputs: { orderNumber: '99999' }, idempotencyKey: key() }))
      .toMatchObject({ ok: false, status: 404, error: 'the service answered 404' });

    const strict: RunActionDeps = { ...deps, call: createActionCaller({ policy: STRICT_POLICY }) };
    shop.received.length = 0;
    const refusedKey = key();
    const refused = await runAction(strict, { agentId, actionId, inputs: { orderNumber: '12345' }, idempotencyKey: refusedKey });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/refused to fetch .*loopback address/) });
    expect(shop.received).toEqual([]);
    expect(await actionRunByKey(db, refusedKey)).toMatchObject({ status: 'failed', attempts: 0 });

    expect(await runAction(deps, { agentId, actionId, inputs: {}, idempotencyKey: key() })).toMatchObject({ ok: false, error: 'input orderNumber: it is required' });
    expect(shop.received).toEqual([]);
  });

  it('an action that needs a verified identity or approval is not called without it', async () => {
    const identity = await declare({ requiresVerifiedIdentity: true });
    const approval = await declare({ requiresApproval: true });
    shop.received.length = 0;
    const inputs = { orderNumber: '12345' };
    expect(await runAction(deps, { agentId, actionId: identity, inputs, idempotencyKey: key() })).toMatchObject({ ok: false, error: expect.stringMatching(/identity verified/) });
    expect(await runAction(deps, { agentId, actionId: approval, inputs, idempotencyKey: key() })).toMatchObject({ ok: false, error: expect.stringMatching(/approval/) });
    expect(shop.received).toEqual([]);
    expect(await runAction(deps, { agentId, actionId: identity, inputs, idempotencyKey: key(), identityVerified: true })).toMatchObject({ ok: true });

    // A run recorded as waiting for approval is called once approved.
    const pendingKey = key();
    shop.received.length = 0;
    await startActionRun(db, { idempotencyKey: pendingKey, agentId, actionId: approval, inputs, status: 'pending_approval' });
    expect(await runAction(deps, { agentId, actionId: approval, inputs, idempotencyKey: pendingKey })).toMatchObject({ ok: false, error: expect.stringMatching(/waits for a person's approval/) });
    expect((await actionRunByKey(db, pendingKey))!.status).toBe('pending_approval');
    expect(shop.received).toEqual([]);
    expect(await runAction(deps, { agentId, actionId: approval, inputs, idempotencyKey: pendingKey, approved: true })).toMatchObject({ ok: true, text: 'Order 12345 is shipped.' });
  });

  it('a deleted action is not called: the run fails saying so', async () => {
    const actionId = await declare();
    await deleteAction(db, agentId, actionId);
    shop.received.length = 0;
    expect(await runAction(deps, { agentId, actionId, inputs: { orderNumber: '12345' }, idempotencyKey: key() })).toMatchObject({ ok: false, error: 'this action no longer exists' });
    expect(shop.received).toEqual([]);
  });

  it("without SECRETS_KEY an action with secret headers fails naming the setting, and an answer's NUL never breaks the record", async () => {
    const actionId = await declare();
    expect(await runAction({ ...deps, box: undefined }, { agentId, actionId, inputs: { orderNumber: '12345' }, idempotencyKey: key() }))
      .toMatchObject({ ok: false, error: expect.stringMatching(/SECRETS_KEY/) });
    const nul = await declare({ url: `${shop.origin}/nul`, inputs: {}, responseTemplate: 'Note: {note}' });
    const outcome = await runAction(deps, { agentId, actionId: nul, inputs: {}, idempotencyKey: key() });
    expect(outcome).toMatchObject({ ok: true, text: 'Note: ab' });
    expect((await db.query<{ response_body: unknown }>('SELECT response_body FROM action_runs WHERE id = $1', [outcome.runId])).rows[0]!.response_body)
      .toEqual({ note: 'ab', half: '\ufffd' });
  });

  it('gives the turn what it needs of the actions (never URL, headers or secrets) and lists a conversation\'s runs', async () => {
    const other = (await createAgent(db, { workspaceId: 'default', name: 'Listing shop' })).id;
    const definition = ActionDefinition.parse({
      name: 'Order status', description: 'Where an order is', triggerPhrases: ['where is my order'], method: 'GET',
      url: `${shop.origin}/orders/{orderNumber}`, inputs: { orderNumber: { description: 'your order number', pattern: '\\d{5}' } },
      headers: { 'X-Shop': 'a' }, secretHeaders: { 'X-Api-Key': SECRET }, requiresVerifiedIdentity: true,
    });
    const { id } = await createAction(db, box, 'default', other, definition);
    const summaries = await listActions(db, other);
    expect(summaries).toEqual([{
      id, name: 'Order status', description: 'Where an order is', triggerPhrases: ['where is my order'],
      inputs: { orderNumber: { description: 'your order number', type: 'string', pattern: '\\d{5}', required: true } },
      requiresVerifiedIdentity: true, requiresApproval: false, approvalTimeoutSeconds: 86400,
    }]);
    expect(JSON.stringify(summaries)).not.toContain(SECRET);

    await runAction(deps, { agentId: other, actionId: id, conversationId: 'conv-7', messageId: 'm1', inputs: { orderNumber: '12345' }, idempotencyKey: `conv-7:m1:action`, identityVerified: true });
    await runAction(deps, { agentId: other, actionId: id, conversationId: 'conv-7', messageId: 'm2', inputs: { orderNumber: '12' }, idempotencyKey: `conv-7:m2:action`, identityVerified: true });
    const runs = await listActionRuns(db, { agentId: other, conversationId: 'conv-7' });
    expect(runs.map((r) => [r.messageId, r.actionName, r.status])).toEqual([['m1', 'Order status', 'succeeded'], ['m2', 'Order status', 'failed']]);
    await deleteAction(db, other, id);
    expect((await listActionRuns(db, { agentId: other, conversationId: 'conv-7' })).map((r) => r.actionName)).toEqual(['Order status', 'Order status']);
    expect(await listActionRuns(db, { agentId, conversationId: 'conv-7' })).toEqual([]);
  });
});
