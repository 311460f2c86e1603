/**
 * A worker killed mid-turn: the product runs as `npm start` does (tsx workers/dev.ts) in a child process
 * against the run's Temporal server, is killed with SIGKILL while the agent's turn is running, and is
 * started again on the same data. The conversation completes, and the customer gets exactly one reply.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId, messageUpdate } from '../../../workflows/conversation.contract.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { createTestDatabaseUrl } from '../../support/db.js';
import { LOOPBACK_RECEIVERS, startReceiver } from '../webhooks/receiver.js';
import { startBusinessApi } from '../actions/business-api.js';
import { temporalAddress, temporalNamespace, uniqueId } from '../../support/temporal.js';

/** temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED */
const PENDING_WORKFLOW_TASK_STARTED = 2;
const root = new URL('../../../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'ca-crash-'));
const taskQueue = uniqueId('q-crash');
const rootKey = `ca_root_${uniqueId('crash').replace(/-/g, '_')}_key`;
let databaseUrl: { url: string; drop(): Promise<void> } | undefined;
let connection: Connection;
let client: Client;
const children: ChildProcess[] = [];

function startProduct(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/dev.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATA_DIR: dataDir,
      PORT: '0',
      DEMO: 'false',
      ADMIN_API_KEY: rootKey,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl.url } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the product did not start in time:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Chat page\s+(http:\/\/[^/\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] as string, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the product exited with ${code}:\n${output}`));
    });
  });
}

async function json(url: string, method = 'GET', body?: unknown) {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${rootKey}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() as any };
}

beforeAll(async () => {
  if (process.env.TEST_DATABASE === 'postgres') databaseUrl = await createTestDatabaseUrl();
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace: temporalNamespace() });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await connection?.close();
  await databaseUrl?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a worker killed in the middle of a turn', () => {
  it('completes the conversation after restart, with exactly one reply', async () => {
    const first = await startProduct({ FAULT_TURN_DELAY_MS: '4000' });
    const agent = await json(`${first.url}/v1/agents`, 'POST', { name: 'Crash Shop' });
    await json(`${first.url}/v1/agents/${agent.body.id}/sources`, 'POST', { type: 'markdown', title: SHIPPING.title, content: SHIPPING.content });
    const conv = uniqueId('crash');
    const message = { messageId: 'crash-1', text: 'How long does standard delivery take?', channel: 'chat' as const };

    // The HTTP call dies with the process; the customer's channel retries with the same message id.
    void json(`${first.url}/v1/agents/${agent.body.id}/conversations/${conv}/messages`, 'POST', message).catch(() => undefined);
    const handle = client.workflow.getHandle(conversationWorkflowId(agent.body.id, conv));
    // The turn runs (a local activity, slowed by the fault delay) once the customer's message is in the
    // transcript, inside a workflow task the worker holds.
    await waitFor(async () => {
      const t = await json(`${first.url}/v1/agents/${agent.body.id}/conversations/${conv}`).catch(() => undefined);
      if (!(t?.body.transcript ?? []).some((m: { role: string }) => m.role === 'customer')) return false;
      const d = await handle.describe().catch(() => undefined);
      return d?.raw.pendingWorkflowTask?.state === PENDING_WORKFLOW_TASK_STARTED;
    }, 30_000, 'the turn to start');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startProduct({});
    const result = await handle.executeUpdate(messageUpdate, { args: [message], updateId: message.messageId });
    expect(result.reply?.kind).toBe('answer');
    expect(result.reply?.text).toMatch(/2 to 4 working days/);

    const again = await json(`${second.url}/v1/agents/${agent.body.id}/conversations/${conv}/messages`, 'POST', message);
    expect(again.body.reply).toEqual(result.reply);
    const transcript = await json(`${second.url}/v1/agents/${agent.body.id}/conversations/${conv}`);
    expect(transcript.body.transcript.map((t: { role: string }) => t.role)).toEqual(['customer', 'agent']);
    second.child.kill('SIGKILL');
    await new Promise((r) => second.child.once('exit', r));
  }, 600_000);
});

describe('a worker killed between a reply and its delivery', () => {
  it("sends the agent's reply and a person's reply on the customer's channel exactly once", async () => {
    const receiver = await startReceiver();
    // Its own data directory and task queue: the other test's product must not share its PGlite files or its work.
    const ownData = mkdtempSync(join(tmpdir(), 'ca-crash-send-'));
    const env = { FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS, OUTBOUND_RETRY_INITIAL_SECONDS: '0.2', DATA_DIR: ownData, TEMPORAL_TASK_QUEUE: uniqueId('q-crash-send') };
    try {
      const first = await startProduct({ ...env, FAULT_DELIVERY_DELAY_MS: '8000' });
      const agent = await json(`${first.url}/v1/agents`, 'POST', { name: 'Crash Shop' });
      const agentId = agent.body.id as string;
      await json(`${first.url}/v1/agents/${agentId}/sources`, 'POST', { type: 'markdown', title: SHIPPING.title, content: SHIPPING.content });
      const deployment = await json(`${first.url}/v1/agents/${agentId}/deployments`, 'POST', { channel: 'custom', settings: { url: `${receiver.origin}/replies` } });
      expect(deployment.status).toBe(201);
      const conv = uniqueId('crash-send');
      const transcript = async (url: string) => ((await json(`${url}/v1/agents/${agentId}/conversations/${conv}`).catch(() => undefined))?.body.transcript ?? []) as { role: string; messageId: string }[];
      expect((await json(`${first.url}/v1/channels/custom/${deployment.body.id}/messages`, 'POST', { conversationId: conv, messageId: 'in-1', text: 'How long does standard delivery take?' })).status).toBe(202);

      // The reply is recorded, and the worker dies before it is handed to its delivery.
      // A fresh process loads its embedder on the first turn: slow on a busy machine.
      await waitFor(async () => (await transcript(first.url)).some((m) => m.role === 'agent'), 120_000, 'the reply to be recorded');
      expect(receiver.at('/replies')).toHaveLength(0);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));

      // Restarted (slow handing-over still, so the person's reply can be caught the same way).
      const second = await startProduct({ ...env, FAULT_DELIVERY_DELAY_MS: '6000' });
      await waitFor(async () => receiver.at('/replies').length >= 1, 120_000, 'the agent reply to be delivered');
      const ann = await json(`${second.url}/v1/users`, 'POST', { name: 'Ann', email: `ann-${uniqueId('x')}@shop.test` });
      const reply = (url: string) => fetch(`${url}/v1/agents/${agentId}/conversations/${conv}/replies`, {
        method: 'POST', body: JSON.stringify({ userId: ann.body.id, text: 'Ann here: it ships today.' }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${rootKey}`, 'idempotency-key': 'ann-reply-1' },
      });
      void reply(second.url).catch(() => undefined);
      await waitFor(async () => (await transcript(second.url)).some((m) => m.role === 'human'), 60_000, "the person's reply to be recorded");
      second.child.kill('SIGKILL');
      await new Promise((r) => second.child.once('exit', r));

      // The person's tool retries with the same Idempotency-Key after the outage.
      const third = await startProduct(env);
      const retried = await reply(third.url);
      expect(retried.status).toBe(201);
      await waitFor(async () => receiver.at('/replies').length >= 2, 120_000, "the person's reply to be delivered");
      await new Promise((r) => setTimeout(r, 2000));
      const sent = receiver.at('/replies').map((r) => JSON.parse(r.rawBody) as { role: string; messageId: string });
      expect(sent.map((s) => s.role)).toEqual(['agent', 'human']);
      expect((await transcript(third.url)).map((m) => m.role)).toEqual(['customer', 'agent', 'human']);
    } finally {
      await receiver.close();
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      rmSync(ownData, { recursive: true, force: true });
    }
  }, 600_000);
});

describe("a worker killed while an action's call is in flight", () => {
  it('calls the business once for the message (the retry carries the same Idempotency-Key) and the customer gets one answer', async () => {
    const business = await startBusinessApi();
    let slow = true;
    business.route('GET', /^\/orders\/(\d+)$/, (_req, m) => ({ status: 200, body: { status: 'shipped', number: m[1] }, delayMs: slow ? 8000 : 0 }));
    const ownData = mkdtempSync(join(tmpdir(), 'ca-crash-action-'));
    const env = { FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS, DATA_DIR: ownData, TEMPORAL_TASK_QUEUE: uniqueId('q-crash-action') };
    try {
      const first = await startProduct(env);
      const agent = await json(`${first.url}/v1/agents`, 'POST', { name: 'Crash Shop' });
      const agentId = agent.body.id as string;
      const action = await json(`${first.url}/v1/agents/${agentId}/actions`, 'POST', {
        name: 'Order status', description: 'Look up the status of an order', triggerPhrases: ['where is my order'], method: 'GET',
        url: `${business.origin}/orders/{orderNumber}`, inputs: { orderNumber: { description: 'your order number', pattern: '[0-9]{5,}' } },
        responseTemplate: 'Order {orderNumber} is {status}.',
      });
      expect(action.status, JSON.stringify(action.body)).toBe(201);
      const conv = uniqueId('crash-action');
      const message = { messageId: 'order-1', text: 'Where is my order 246810?', channel: 'chat' as const };
      void json(`${first.url}/v1/agents/${agentId}/conversations/${conv}/messages`, 'POST', message).catch(() => undefined);

      // Killed while the business's system is still working on the call.
      await waitFor(async () => business.requests.length >= 1, 120_000, 'the action to be called');
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      slow = false;

      const second = await startProduct(env);
      const again = await json(`${second.url}/v1/agents/${agentId}/conversations/${conv}/messages`, 'POST', message);
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body.reply.text).toBe('Order 246810 is shipped.');
      // Called again after the restart, with the same key: the business did the work once.
      expect(business.requests.length).toBeGreaterThanOrEqual(2);
      expect(new Set(business.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(business.effects).toHaveLength(1);
      const transcript = await json(`${second.url}/v1/agents/${agentId}/conversations/${conv}`);
      expect(transcript.body.transcript.map((t: { role: string }) => t.role)).toEqual(['customer', 'agent']);
    } finally {
      await business.close();
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      rmSync(ownData, { recursive: true, force: true });
    }
  }, 600_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
