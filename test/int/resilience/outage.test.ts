/**
 * Outages the customer's channel must survive: no worker polling the task queue, and Temporal itself
 * gone. POST …/messages answers 503 with Retry-After after REPLY_TIMEOUT_MS instead of hanging (or a
 * 500 after the SDK's retries), and the message is not lost: once a worker is back, a retry with the same
 * message id gets the reply, given once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createConversationWorker, crawlSettings } from '../../../workers/worker.js';
import { startDevServer } from '../../../workers/dev-server.js';
import { DEFAULT_TEMPORAL_CLI_VERSION, ensureTemporalCli } from '../../../workers/temporal-cli.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { temporalAddress, temporalNamespace, uniqueId } from '../../support/temporal.js';

const REPLY_TIMEOUT_MS = 1500;
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

async function post(sys: TestSystem, agentId: string, conv: string, messageId: string) {
  const started = Date.now();
  const res = await sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, {
    messageId, text: 'How long does standard delivery take?', channel: 'chat',
  });
  return { ...res, ms: Date.now() - started };
}

describe('a message sent while the conversation cannot be served', () => {
  it('with no worker polling: 503 with Retry-After in bounded time, and the same message id gets the reply once a worker is back', async () => {
    const sys = await startTestSystem('no-worker', { REPLY_TIMEOUT_MS: String(REPLY_TIMEOUT_MS) }, { worker: false });
    stops.push(() => sys.stop());
    const agentId = await sys.createAgent({ articles: [SHIPPING] });
    const conv = uniqueId('no-worker');

    const unanswered = await post(sys, agentId, conv, 'm1');
    expect(unanswered.status).toBe(503);
    expect(unanswered.body.error.code).toBe('unavailable');
    expect(unanswered.body.error.message).toMatch(/same messageId/);
    expect(unanswered.headers.get('retry-after')).toBe('5');
    // The contract says so: a 503 with Retry-After on postMessage.
    const contract = (await sys.request('GET', '/openapi.json')).body;
    expect(contract.paths['/v1/agents/{agentId}/conversations/{conversationId}/messages'].post.responses['503'])
      .toMatchObject({ headers: { 'Retry-After': expect.anything() }, description: expect.stringMatching(/no worker/) });
    expect(unanswered.ms).toBeGreaterThanOrEqual(REPLY_TIMEOUT_MS - 50);
    expect(unanswered.ms).toBeLessThan(REPLY_TIMEOUT_MS + 5_000);

    const { worker, connection } = await createConversationWorker({
      temporal: { address: temporalAddress() }, namespace: temporalNamespace(), taskQueue: sys.config.TEMPORAL_TASK_QUEUE,
      runtime: sys.runtime, crawl: crawlSettings(sys.config), identity: uniqueId('late-worker'),
    });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
      await connection.close();
    });

    let retried = await post(sys, agentId, conv, 'm1');
    // The worker's first poll may come after a short retry: a client retries on 503 as told.
    for (let i = 0; i < 5 && retried.status === 503; i++) retried = await post(sys, agentId, conv, 'm1');
    expect(retried.status).toBe(200);
    expect(retried.body.reply.kind).toBe('answer');
    expect(retried.body.reply.text).toMatch(/2 to 4 working days/);
    const transcript = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
    expect(transcript.body.transcript.map((t: { messageId: string; role: string }) => `${t.messageId}:${t.role}`)).toEqual(['m1:customer', 'm1:agent']);
  });

  it('with Temporal unreachable: 503 with Retry-After in bounded time', async () => {
    const binary = await ensureTemporalCli({ version: process.env.TEMPORAL_CLI_VERSION || DEFAULT_TEMPORAL_CLI_VERSION });
    const server = await startDevServer({ binary, headless: true, namespace: temporalNamespace() });
    stops.push(() => server.stop());
    const sys = await startTestSystem('temporal-down', { REPLY_TIMEOUT_MS: String(REPLY_TIMEOUT_MS) }, { worker: false, temporalAddress: server.address });
    stops.push(() => sys.stop());
    const agentId = await sys.createAgent({ articles: [SHIPPING] });
    await server.stop();

    const res = await post(sys, agentId, uniqueId('temporal-down'), 'm1');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.ms).toBeLessThan(REPLY_TIMEOUT_MS + 5_000);
  });
});
