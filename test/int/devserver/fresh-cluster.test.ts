/**
 * `npm run worker` / `npm run api` against a cluster that has never seen this product: a namespace
 * without our search attributes. Every conversation start sets them, so without registration at start
 * every message was a 500; the roles now register them first (prepareCluster), idempotently.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCluster } from '../../../workers/role.js';
import { SEARCH_ATTRIBUTES } from '../../../workflows/conversation.contract.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { temporalAddress, uniqueId } from '../../support/temporal.js';

const namespace = uniqueId('fresh');
let connection: Connection;
const systems: TestSystem[] = [];

beforeAll(async () => {
  connection = await Connection.connect({ address: temporalAddress() });
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  // A new namespace reaches the frontend's cache within seconds.
  await eventually(() => connection.workflowService.describeNamespace({ namespace }), 30_000);
});
afterAll(async () => {
  for (const s of systems) await s.stop();
  await connection?.close();
});

async function eventually<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const custom = async () => Object.keys((await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {});

describe('a fresh cluster namespace', () => {
  it('has none of our search attributes, so a conversation cannot start there', async () => {
    expect(await custom()).not.toContain('AgentId');
    const sys = await startTestSystem('fresh-before', { TEMPORAL_NAMESPACE: namespace, REPLY_TIMEOUT_MS: '5000' }, { worker: false });
    systems.push(sys);
    const agentId = await sys.createAgent({ articles: [SHIPPING] });
    const res = await say(sys, agentId, uniqueId('c'), 'How long does standard delivery take?');
    expect(res.status).toBe(500);
  });

  it('gets them when a production role starts (twice, as two roles would), and answers the first message', async () => {
    const warnings: string[] = [];
    const config = { TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: namespace };
    await Promise.all([prepareCluster(config, (l) => warnings.push(l)), prepareCluster(config, (l) => warnings.push(l))]);
    await prepareCluster(config, (l) => warnings.push(l));
    expect(warnings).toEqual([]);
    expect(await custom()).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTES.map((a) => a.name)));

    const sys = await startTestSystem('fresh-after', { TEMPORAL_NAMESPACE: namespace });
    systems.push(sys);
    const agentId = await sys.createAgent({ articles: [SHIPPING] });
    const res = await eventually(async () => {
      const r = await say(sys, agentId, uniqueId('c'), 'How long does standard delivery take?');
      if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
      return r;
    }, 30_000);
    expect(res.body.reply.kind).toBe('answer');
  });
});
