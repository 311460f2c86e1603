/**
 * Deployments and a custom channel end to end, through the real workflow: an adapter POSTs a customer
 * message, gets 202, and the reply reaches the deployment's URL signed, once; a person's reply goes the
 * same way; outside the deployment's hours the customer gets the away text and the agent answers when
 * the hours start; a failing adapter shows `delivery: failed` with the reason; an undeployed agent is silent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../../activities/webhook-signature.js';
import { RETURNS, SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';
import { LOOPBACK_RECEIVERS, startReceiver, type Receiver } from '../webhooks/receiver.js';

let sys: TestSystem;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sys = await startTestSystem('custom-channel', {
    FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS, OUTBOUND_RETRY_HOURS: '0.002', OUTBOUND_RETRY_INITIAL_SECONDS: '0.2',
  });
});
afterAll(async () => {
  await sys?.stop();
  await receiver?.close();
});

async function shop(name: string, deployment: Record<string, unknown> = {}) {
  const ws = await createTestWorkspace(sys, name);
  const agentId = await ws.createAgent({ articles: [SHIPPING, RETURNS] });
  const path = `/${uniqueId(name)}`;
  const created = await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'custom', settings: { url: `${receiver.origin}${path}` }, ...deployment });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { ws, agentId, path, deployment: created.body };
}

const inbound = (ws: TestWorkspace, deploymentId: string, body: Record<string, unknown>) => ws.request('POST', `/v1/channels/custom/${deploymentId}/messages`, body);
const transcriptOf = async (ws: TestWorkspace, agentId: string, id: string) => ((await ws.request('GET', `/v1/agents/${agentId}/conversations/${id}`)).body.transcript ?? []) as any[];

describe('deployments', () => {
  it('a new agent answers on chat; a deployment keeps its secrets to itself and refuses settings its channel does not take', async () => {
    const ws = await createTestWorkspace(sys, 'deployments');
    const agentId = await ws.createAgent();
    const listed = (await ws.request('GET', `/v1/agents/${agentId}/deployments`)).body.deployments;
    expect(listed).toEqual([expect.objectContaining({ channel: 'chat', hours: expect.objectContaining({ mode: 'all' }), whenUnavailable: { action: 'message' } })]);

    const custom = await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'custom', settings: { url: 'https://adapter.example.com/replies' } });
    expect(custom.status).toBe(201);
    expect(custom.body.secret).toMatch(/^whsec_/);
    expect(custom.body.settings).toEqual({ url: 'https://adapter.example.com/replies' });
    expect(custom.body.secretsSet).toEqual(['secret']);
    const read = (await ws.request('GET', `/v1/agents/${agentId}/deployments/${custom.body.id}`)).body;
    expect(JSON.stringify(read)).not.toContain(custom.body.secret);

    const whatsapp = { channel: 'whatsapp', account: '1234567890', settings: { verifyToken: 'verify-me-please', appSecret: 'app-secret-123', accessToken: 'EAAG-token-123456' } };
    const wa = await ws.request('POST', `/v1/agents/${agentId}/deployments`, whatsapp);
    expect(wa.status, JSON.stringify(wa.body)).toBe(201);
    expect(wa.body.secretsSet).toEqual(['accessToken', 'appSecret', 'verifyToken']);
    expect(JSON.stringify(wa.body)).not.toMatch(/EAAG-token|app-secret-123|verify-me-please/);
    const changed = await ws.request('PATCH', `/v1/agents/${agentId}/deployments/${wa.body.id}`, { settings: { accessToken: 'EAAG-rotated-987654' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.secretsSet).toEqual(['accessToken', 'appSecret', 'verifyToken']);

    const other = await ws.createAgent({ name: 'Other' });
    expect((await ws.request('POST', `/v1/agents/${other}/deployments`, whatsapp))).toMatchObject({ status: 409, body: { error: { field: 'account' } } });
    expect((await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'custom', settings: { url: 'ftp://nope' } }))).toMatchObject({ status: 422, body: { error: { field: 'settings.url' } } });
    expect((await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'email' }))).toMatchObject({ status: 422, body: { error: { field: 'account' } } });
    expect((await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'chat', hours: { mode: 'within', timeZone: 'Mars/Olympus', weekly: {} } }))).toMatchObject({ status: 422, body: { error: { field: 'hours.timeZone' } } });

    expect((await ws.request('DELETE', `/v1/agents/${agentId}/deployments/${wa.body.id}`)).status).toBe(204);
    expect((await ws.request('GET', `/v1/agents/${agentId}/deployments/${wa.body.id}`)).status).toBe(404);
  });
});

describe('a custom channel', () => {
  it("answers an adapter's message at its URL, signed, once per message; a person's reply goes the same way", async () => {
    const { ws, agentId, path, deployment } = await shop('custom-answer');
    const conversationId = uniqueId('thread');
    const message = { conversationId, messageId: 'in-1', text: 'How long does standard delivery take?', customer: { name: 'Kim' } };
    const accepted = await inbound(ws, deployment.id, message);
    expect(accepted).toMatchObject({ status: 202, body: { status: 'accepted', conversationId, messageId: 'in-1' } });
    expect((await inbound(ws, deployment.id, message)).status).toBe(202);

    const [reply] = await waitFor('the reply at the adapter', async () => receiver.at(path), (r) => r.length >= 1);
    const body = JSON.parse(reply!.rawBody);
    expect(body).toMatchObject({ type: 'message.reply', deploymentId: deployment.id, conversationId, messageId: 'in-1', role: 'agent', text: expect.stringMatching(/2 to 4 working days/) });
    expect(body.sources[0]).toMatchObject({ n: 1, title: SHIPPING.title });
    expect(reply!.headers['idempotency-key']).toBe(`${agentId}:${conversationId}:in-1`);
    expect(verify(deployment.secret, reply!.rawBody, reply!.headers['x-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true);
    const transcript = await waitFor('delivery sent', () => transcriptOf(ws, agentId, conversationId), (t) => t[1]?.delivery?.status === 'sent');
    expect(transcript.map((t) => [t.role, t.channel])).toEqual([['customer', 'custom'], ['agent', 'custom']]);

    // The retried POST was processed once: one reply, however long we look.
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.at(path)).toHaveLength(1);

    const ann = (await ws.request('POST', '/v1/users', { name: 'Ann', email: `ann-${uniqueId('x')}@shop.test` })).body;
    const human = await ws.request('POST', `/v1/agents/${agentId}/conversations/${conversationId}/replies`, { userId: ann.id, text: 'Ann here: yours ships today.' });
    expect(human.status, JSON.stringify(human.body)).toBe(201);
    const both = await waitFor("the person's reply at the adapter", async () => receiver.at(path), (r) => r.length >= 2);
    expect(JSON.parse(both[1]!.rawBody)).toMatchObject({ role: 'human', author: 'Ann', text: 'Ann here: yours ships today.' });
  });

  it('outside its hours sends the away text, and answers the waiting message when the hours start', async () => {
    // An after-hours agent ("outside") whose office shift covers this minute: the agent opens at the next minute.
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const end = new Date(now.getTime() + 60_000);
    const endText = end.getUTCDate() !== now.getUTCDate() ? '24:00' : hhmm(end);
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][now.getUTCDay()]!;
    const { ws, agentId, path, deployment } = await shop('custom-hours', {
      hours: { mode: 'outside', timeZone: 'UTC', weekly: { [day]: [[hhmm(now), endText]] } },
      whenUnavailable: { action: 'message', message: 'We are closed right now; we will answer when we open.' },
    });
    const conversationId = uniqueId('after-hours');
    expect((await inbound(ws, deployment.id, { conversationId, messageId: 'late-1', text: 'How long does standard delivery take?' })).status).toBe(202);
    const away = await waitFor('the away text', async () => receiver.at(path), (r) => r.length >= 1);
    expect(JSON.parse(away[0]!.rawBody)).toMatchObject({ role: 'system', text: 'We are closed right now; we will answer when we open.' });

    const answered = await waitFor('the answer when the hours start', async () => receiver.at(path), (r) => r.length >= 2, 90_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Math.floor(end.getTime() / 60_000) * 60_000);
    expect(JSON.parse(answered[1]!.rawBody)).toMatchObject({ role: 'agent', messageId: 'late-1', text: expect.stringMatching(/2 to 4 working days/) });
    const transcript = await transcriptOf(ws, agentId, conversationId);
    expect(transcript.map((t) => t.role)).toEqual(['customer', 'system', 'agent']);
    expect(transcript[2].insights.triggers).not.toContain('outside_hours');
  }, 120_000);

  it('shows delivery failed with the reason when the adapter keeps refusing, and an undeployed agent stays silent', async () => {
    const { ws, agentId, path, deployment } = await shop('custom-failing');
    receiver.answer(path, () => 503);
    const conversationId = uniqueId('failing');
    await inbound(ws, deployment.id, { conversationId, messageId: 'f-1', text: 'How long does standard delivery take?' });
    const transcript = await waitFor('delivery failed', () => transcriptOf(ws, agentId, conversationId), (t) => t[1]?.delivery?.status === 'failed', 40_000);
    expect(transcript[1].delivery.reason).toMatch(/gave up after .*HTTP 503/);
    expect(receiver.at(path).length).toBeGreaterThan(1);

    expect((await ws.request('DELETE', `/v1/agents/${agentId}/deployments/${deployment.id}`)).status).toBe(204);
    expect((await inbound(ws, deployment.id, { conversationId, messageId: 'f-2', text: 'Hello?' })).status).toBe(404);
    // On chat too: undeployed, the message is kept and nobody answers.
    const chat = (await ws.request('GET', `/v1/agents/${agentId}/deployments`)).body.deployments.find((d: any) => d.channel === 'chat');
    expect((await ws.request('DELETE', `/v1/agents/${agentId}/deployments/${chat.id}`)).status).toBe(204);
    const silent = await ws.say(agentId, uniqueId('chat'), 'How long does standard delivery take?');
    expect(silent.body.reply).toBeNull();
    expect((await ws.say(agentId, uniqueId('test'), 'How long does standard delivery take?', 'test')).body.reply.text).toMatch(/2 to 4 working days/);
  }, 60_000);
});
