import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventEmitter, type EventEmitter } from '../../../activities/events.js';
import { verify } from '../../../activities/webhook-signature.js';
import { createApp } from '../../../api/app.js';
import type { ApiDeps } from '../../../api/deps.js';
import { listDeliveries } from '../../../db/webhooks.js';
import { webhookDeliveryId, type DeliveryOutcome } from '../../../workflows/webhook-delivery.contract.js';
import { startTestSystem, workerNotifier, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';
import { LOOPBACK_RECEIVERS, startReceiver, type Receiver } from './receiver.js';

// Retries in moments: 0.2 s, 0.4 s, 0.8 s… for at most 36 s. The trial is long enough never to end here.
let sys: TestSystem;
let receiver: Receiver;
/** Emits events into the system as a conversation activity would (the worker's notifier, built the same way). */
let events: EventEmitter;

beforeAll(async () => {
  receiver = await startReceiver();
  sys = await startTestSystem('webhooks', {
    FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS,
    WEBHOOK_RETRY_HOURS: '0.01',
    WEBHOOK_RETRY_INITIAL_SECONDS: '0.2',
    TRIAL_DURATION_SECONDS: '3600',
    TRIAL_REMINDER_SECONDS_BEFORE_END: '60',
  });
  events = createEventEmitter({ db: sys.db, notifier: workerNotifier(sys) });
});
afterAll(async () => {
  await sys?.stop();
  await receiver?.close();
});

async function subscribe(ws: TestWorkspace, path: string, eventTypes: string[]) {
  const res = await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}${path}`, events: eventTypes });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; url: string; events: string[]; createdAt: string; secret: string };
}

const deliveriesOf = async (ws: TestWorkspace, webhookId: string) => (await ws.request('GET', `/v1/webhooks/${webhookId}/deliveries`)).body.deliveries as any[];
const outcome = (webhookId: string, eventId: string) => sys.client.workflow.getHandle(webhookDeliveryId(webhookId, eventId)).result() as Promise<DeliveryOutcome>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhooks', () => {
  it('are created with a secret shown once, and refuse URLs the server may not reach, naming url', async () => {
    const ws = await createTestWorkspace(sys, 'webhook-crud');
    const hook = await subscribe(ws, '/crud', ['conversation.handoff_requested', 'conversation.assigned', 'conversation.assigned']);
    expect(hook).toEqual({
      id: expect.stringMatching(/^whk_/), url: `${receiver.origin}/crud`, events: ['conversation.handoff_requested', 'conversation.assigned'],
      createdAt: expect.any(String), secret: expect.stringMatching(/^whsec_/),
    });
    const { secret, ...shown } = hook;
    expect(secret.length).toBeGreaterThan(20);
    expect((await ws.request('GET', `/v1/webhooks/${hook.id}`)).body).toEqual(shown);
    expect((await ws.request('GET', '/v1/webhooks')).body).toEqual({ webhooks: [shown] });
    expect((await ws.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).body).toEqual({ deliveries: [] });
    const audit = (await ws.request('GET', '/v1/audit-log')).body.entries as any[];
    expect(audit.find((e) => e.action === 'webhook.created')).toMatchObject({ target: { type: 'webhook', id: hook.id }, details: { url: hook.url } });
    expect(JSON.stringify(audit)).not.toContain(secret);

    for (const [url, why] of [
      ['http://10.1.2.3/hook', /private address/],
      ['http://169.254.169.254/latest/meta-data/', /link-local address/],
      ['http://[::ffff:192.168.1.1]/hook', /private address/],
      ['ftp://example.com/hook', /http\(s\) URL/],
      ['not a url', /http\(s\) URL/],
    ] as const) {
      const res = await ws.request('POST', '/v1/webhooks', { url, events: ['message.created'] });
      expect(res.status, url).toBe(422);
      expect(res.body.error, url).toMatchObject({ code: 'invalid_request', field: 'url', message: expect.stringMatching(why) });
    }
    const badEvent = await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}/x`, events: ['trial.started', 'order.paid'] });
    expect(badEvent.status).toBe(422);
    expect(badEvent.body.error.field).toBe('events.1');
    expect((await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}/x`, events: [] })).body.error.field).toBe('events');

    // Another workspace's webhook does not exist for this one.
    const other = await createTestWorkspace(sys, 'webhook-other');
    expect((await other.request('GET', `/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await other.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    expect((await other.request('DELETE', `/v1/webhooks/${hook.id}`)).body.error.code).toBe('webhook_not_found');
    expect((await ws.request('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
    expect((await ws.request('GET', `/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await ws.request('GET', '/v1/webhooks')).body).toEqual({ webhooks: [] });
  });

  it('a loopback URL is refused when FETCH_ALLOW_HOSTS does not allow it', async () => {
    // The API as it runs without an allowlist: public addresses only.
    const app = createApp({ db: sys.db, access: { rootKey: sys.rootKey, rateLimitPerKey: 0, rateLimitPerWidgetClient: 0, trustProxy: false } } as ApiDeps, { log: () => {} });
    for (const url of [`${receiver.origin}/hook`, 'http://localhost/hook', 'http://[::1]:8080/hook', 'http://2130706433/hook']) {
      const res = await app.request('/v1/webhooks', {
        method: 'POST', headers: { authorization: `Bearer ${sys.rootKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url, events: ['message.created'] }),
      });
      expect(res.status, url).toBe(422);
      expect((await res.json() as any).error, url).toMatchObject({ field: 'url', message: expect.stringMatching(/loopback address; add it to FETCH_ALLOW_HOSTS/) });
    }
  });

  it('a trial event reaches a subscribed webhook, signed with its secret, and not an unsubscribed one', async () => {
    const ws = await createTestWorkspace(sys, 'webhook-trial');
    const subscribed = await subscribe(ws, '/trial/subscribed', ['trial.started', 'trial.ended']);
    const unsubscribed = await subscribe(ws, '/trial/unsubscribed', ['trial.ending_soon', 'conversation.closed']);
    expect((await ws.request('POST', '/v1/trial')).status).toBe(201);
    await ws.createAgent();

    const [got] = await waitFor('the trial.started delivery', async () => receiver.at('/trial/subscribed'), (r) => r.length > 0);
    const body = JSON.parse(got!.rawBody);
    const [stored] = (await ws.request('GET', '/v1/events?type=trial.started')).body.events;
    expect(body).toEqual({ id: stored.id, type: 'trial.started', createdAt: stored.createdAt, data: stored.data });
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json', 'x-event-id': stored.id, 'x-event-type': 'trial.started', 'x-delivery-attempt': '1',
    });
    const now = Math.floor(Date.now() / 1000);
    expect(verify(subscribed.secret, got!.rawBody, got!.headers['x-signature'] as string, now)).toBe(true);
    expect(verify(unsubscribed.secret, got!.rawBody, got!.headers['x-signature'] as string, now)).toBe(false);
    expect(verify(subscribed.secret, got!.rawBody.replace('trial.started', 'trial.ended'), got!.headers['x-signature'] as string, now)).toBe(false);

    expect(await outcome(subscribed.id, stored.id)).toEqual({ status: 'delivered' });
    expect(await deliveriesOf(ws, subscribed.id)).toEqual([{
      eventId: stored.id, eventType: 'trial.started', attempt: 1, status: 'delivered', httpStatus: 200, durationMs: expect.any(Number), createdAt: expect.any(String),
    }]);
    await sleep(1000);
    expect(receiver.at('/trial/unsubscribed')).toEqual([]);
    expect(await deliveriesOf(ws, unsubscribed.id)).toEqual([]);
  });

  it('a receiver that fails three times gets the event once it answers, exactly once per event id, with every attempt on record', async () => {
    const ws = await createTestWorkspace(sys, 'webhook-flaky');
    receiver.answer('/flaky', (n) => (n <= 3 ? 503 : 200));
    const hook = await subscribe(ws, '/flaky', ['message.created']);
    const eventId = uniqueId('conv:agt_x:chat:c1:m1:message.created');
    const emit = () => events.emit({ id: eventId, workspaceId: ws.id, type: 'message.created', data: { conversationId: 'c1', messageId: 'm1' } });
    await emit();
    // A retried activity emits again: still one delivery.
    await emit();

    expect(await outcome(hook.id, eventId)).toEqual({ status: 'delivered' });
    const attempts = await deliveriesOf(ws, hook.id);
    expect(attempts.map((a) => [a.attempt, a.status, a.httpStatus])).toEqual([[4, 'delivered', 200], [3, 'failed', 503], [2, 'failed', 503], [1, 'failed', 503]]);
    expect(attempts[1]).toMatchObject({ eventId, eventType: 'message.created', error: 'the receiver answered 503' });
    const times = attempts.map((a) => Date.parse(a.createdAt)).reverse();
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.every((g) => g >= 150), `backoff between attempts: ${gaps.join(', ')} ms`).toBe(true);

    // Emitted again after it was delivered: nothing more is sent.
    await emit();
    await sleep(1000);
    const accepted = receiver.at('/flaky').filter((r) => r.status === 200);
    expect(accepted.map((r) => r.headers['x-event-id'])).toEqual([eventId]);
    expect(accepted[0]!.headers['x-delivery-attempt']).toBe('4');
    expect(receiver.at('/flaky')).toHaveLength(4);
    expect(await deliveriesOf(ws, hook.id)).toHaveLength(4);
    expect((await ws.request('GET', '/v1/events?type=message.created')).body.events).toHaveLength(1);
  });

  it('a deleted webhook gets nothing more: its retries stop and new events pass it by', async () => {
    const ws = await createTestWorkspace(sys, 'webhook-deleted');
    receiver.answer('/gone', () => 500);
    const hook = await subscribe(ws, '/gone', ['conversation.closed']);
    const first = uniqueId('closed-1');
    await events.emit({ id: first, workspaceId: ws.id, type: 'conversation.closed', data: {} });
    await waitFor('two failed attempts', () => deliveriesOf(ws, hook.id), (d) => d.length >= 2);

    expect((await ws.request('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
    expect(await outcome(hook.id, first)).toEqual({ status: 'skipped' });
    const hits = receiver.at('/gone').length;
    await events.emit({ id: uniqueId('closed-2'), workspaceId: ws.id, type: 'conversation.closed', data: {} });
    await sleep(1500);
    expect(receiver.at('/gone')).toHaveLength(hits);
    expect(receiver.at('/gone').every((r) => r.headers['x-event-id'] === first)).toBe(true);
    // The attempts stay on record; the webhook is gone from the API.
    expect((await listDeliveries(sys.db, hook.id, 50)).length).toBe(hits);
    expect((await ws.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
  });
});
