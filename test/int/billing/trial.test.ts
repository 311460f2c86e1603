import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startMailbox, type Mailbox } from '../../support/mailbox.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';

// The whole trial in seconds: the durations are settings, the workflow's timers are real.
const TRIAL_SECONDS = 12;
const REMINDER_SECONDS = 6;

let sys: TestSystem;
let mailbox: Mailbox;

beforeAll(async () => {
  // The install sends email (SMTP_URL); a workspace has it set up once it has an email deployment.
  mailbox = await startMailbox();
  sys = await startTestSystem('trial', {
    TRIAL_DURATION_SECONDS: String(TRIAL_SECONDS), TRIAL_REMINDER_SECONDS_BEFORE_END: String(REMINDER_SECONDS), SMTP_URL: mailbox.url,
  });
});
afterAll(async () => {
  await sys?.stop();
  await mailbox?.close();
});

const trialOf = (ws: TestWorkspace) => ws.request('GET', '/v1/trial').then((r) => r.body);
const eventsOf = async (ws: TestWorkspace, type: string) => (await ws.request('GET', `/v1/events?type=${type}`)).body.events as any[];
const agentOf = async (ws: TestWorkspace, agentId: string) => (await ws.request('GET', `/v1/agents/${agentId}`)).body;

describe('the 28-day trial (run in seconds)', () => {
  it('starts at the first deployment of an active agent, costs nothing, warns before the end, switches agents off at the end and credits bring them back', async () => {
    const ws = await createTestWorkspace(sys, 'trial-lifecycle');
    expect(await trialOf(ws)).toEqual({ status: 'none', creditsEnabled: false });

    const optIn = await ws.request('POST', '/v1/trial');
    expect(optIn.status).toBe(201);
    expect(optIn.body).toEqual({ status: 'pending', creditsEnabled: false });
    const again = await ws.request('POST', '/v1/trial');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');

    // Pending waits for a deployment: nothing moves without an agent.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await trialOf(ws)).status).toBe('pending');

    // A person pauses one agent before the end: the trial's end and credits must leave it as it is.
    const kept = await ws.createAgent({ name: 'Paused by a person' });
    expect((await ws.request('PATCH', `/v1/agents/${kept}`, { status: 'paused' })).status).toBe(200);
    const beforeStart = Date.now();
    const agentId = await ws.createAgent({ articles: [SHIPPING] });

    const active = await waitFor('the trial starting', () => trialOf(ws), (t) => t.status === 'active');
    const startedAt = Date.parse(active.startedAt);
    const endsAt = Date.parse(active.endsAt);
    const reminderAt = Date.parse(active.reminderAt);
    expect(endsAt - startedAt).toBe(TRIAL_SECONDS * 1000);
    expect(endsAt - reminderAt).toBe(REMINDER_SECONDS * 1000);
    expect(startedAt).toBeGreaterThanOrEqual(beforeStart - 2000);
    expect(startedAt).toBeLessThanOrEqual(Date.now() + 1000);

    // During the trial a conversation costs nothing (it still counts as a conversation).
    const during = await ws.say(agentId, uniqueId('during'), 'How much is express shipping?');
    expect(during.body.reply?.text).toBeTruthy();
    expect(Date.now()).toBeLessThan(endsAt);
    const usage = await ws.request('GET', '/v1/usage');
    expect(usage.body).toMatchObject({ credits: 0, conversations: 1 });

    const [soon] = await waitFor('trial.ending_soon', () => eventsOf(ws, 'trial.ending_soon'), (e) => e.length > 0);
    expect(soon).toMatchObject({ type: 'trial.ending_soon', data: { endsAt: active.endsAt } });
    expect(Date.parse(soon.createdAt)).toBeGreaterThanOrEqual(reminderAt - 250);
    expect(Date.parse(soon.createdAt)).toBeLessThan(endsAt);
    const audit = (await ws.request('GET', '/v1/audit-log')).body.entries as any[];
    expect(audit.filter((e) => e.action === 'trial.ending_soon')).toHaveLength(1);

    const ended = await waitFor('the trial ending', () => trialOf(ws), (t) => t.status === 'ended', (TRIAL_SECONDS + 20) * 1000);
    expect(ended).toMatchObject({ status: 'ended', startedAt: active.startedAt, endsAt: active.endsAt, creditsEnabled: false });
    expect(await agentOf(ws, agentId)).toMatchObject({ status: 'paused', pausedReason: 'trial_ended' });
    // Switched off, the agent does not answer: the conversation goes to the workspace's people, unbilled.
    const off = await ws.say(agentId, uniqueId('after'), 'How much is express shipping?');
    expect(off.status).toBe(200);
    expect(off.body.reply.kind).toBe('handoff');
    expect(off.body.conversation.status).toBe('handoff_requested');
    // Without credits an agent cannot be switched back on, and a new one starts switched off.
    const refused = await ws.request('PATCH', `/v1/agents/${agentId}`, { status: 'active' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/creditsEnabled/);
    const contract = (await sys.request('GET', '/openapi.json')).body;
    expect(Object.keys(contract.paths['/v1/agents/{agentId}'].patch.responses), 'PATCH agent documents its 409').toContain('409');
    const late = await ws.request('POST', '/v1/agents', { name: 'Late' });
    expect(late.body).toMatchObject({ status: 'paused', pausedReason: 'trial_ended' });
    const [end] = await eventsOf(ws, 'trial.ended');
    expect(end.data).toEqual({ creditsEnabled: false, switchedOff: [agentId] });
    // Newest first: the handoff of the conversation the switched-off agent did not answer, one of each of the trial's.
    expect((await ws.request('GET', '/v1/events')).body.events.map((e: any) => e.type)).toEqual(['conversation.handoff_requested', 'trial.ended', 'trial.ending_soon', 'trial.started']);

    const credits = await ws.request('PATCH', '/v1/billing', { creditsEnabled: true });
    expect(credits.status).toBe(200);
    expect(credits.body).toEqual({ creditsEnabled: true });
    expect(await agentOf(ws, agentId)).toMatchObject({ status: 'active' });
    expect((await agentOf(ws, agentId)).pausedReason).toBeUndefined();
    expect(await agentOf(ws, kept)).toMatchObject({ status: 'paused' });
    expect(await agentOf(ws, late.body.id)).toMatchObject({ status: 'active' });
    const back = await ws.say(agentId, uniqueId('paid'), 'How much is express shipping?');
    expect(back.body.reply?.text).toBeTruthy();
    expect((await ws.request('GET', '/v1/usage')).body).toMatchObject({ credits: 1, conversations: 2 });
    expect((await ws.request('GET', '/v1/billing')).body).toEqual({ creditsEnabled: true });
    const billingAudit = ((await ws.request('GET', '/v1/audit-log')).body.entries as any[]).find((e) => e.action === 'billing.updated');
    expect(billingAudit.details).toEqual({ creditsEnabled: true, reactivated: expect.arrayContaining([agentId, late.body.id]) });

    // After the trial, agents answer only while credits are on.
    expect((await ws.request('PATCH', '/v1/billing', { creditsEnabled: false })).status).toBe(200);
    expect(await agentOf(ws, agentId)).toMatchObject({ status: 'paused', pausedReason: 'trial_ended' });

    expect((await ws.request('POST', '/v1/trial')).status).toBe(409);
  });

  it('at the reminder every person of a workspace with email gets exactly one email saying when the trial ends and how to keep the agents on', async () => {
    const ws = await createTestWorkspace(sys, 'trial-reminder-email');
    const agentId = await ws.createAgent({ name: 'Mail shop' });
    const support = `support-${uniqueId('trial').toLowerCase()}@shop.test`;
    expect((await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'email', account: support })).status).toBe(201);
    const people = ['ann', 'bob'].map((name) => `${name}-${uniqueId('trial').toLowerCase()}@shop.test`);
    for (const email of people) expect((await ws.request('POST', '/v1/users', { name: email.split('-')[0], email })).status).toBe(201);
    expect((await ws.request('POST', '/v1/trial')).status).toBe(201);
    const active = await waitFor('the trial starting', () => trialOf(ws), (t) => t.status === 'active', 10_000);

    await waitFor('the reminder emails', async () => people.map((p) => mailbox.to(p).length), (n) => n.every((x) => x > 0));
    const [soon] = await eventsOf(ws, 'trial.ending_soon');
    expect(soon.data).toEqual({ endsAt: active.endsAt });
    // Until after the end (a retried activity would have sent again by then): still one each.
    await waitFor('the trial ending', () => trialOf(ws), (t) => t.status === 'ended', (TRIAL_SECONDS + 20) * 1000);
    for (const to of people) {
      const got = mailbox.to(to);
      expect(got).toHaveLength(1);
      expect(got[0]!.envelope.from).toBe(support);
      expect(got[0]!.mail.subject).toMatch(/^Your free trial ends on .* UTC$/);
      expect(got[0]!.mail.text).toContain(active.endsAt);
      expect(got[0]!.mail.text).toContain('PATCH /v1/billing {"creditsEnabled": true}');
      expect(got[0]!.mail.html).toContain('creditsEnabled');
    }
  });

  it('waits for a deployment: an agent deployed nowhere leaves it pending, however often it is switched on, and deploying it starts the trial', async () => {
    const ws = await createTestWorkspace(sys, 'trial-deployment');
    const agentId = await ws.createAgent({ name: 'Undeployed' });
    const [chat] = (await ws.request('GET', `/v1/agents/${agentId}/deployments`)).body.deployments;
    expect(chat.channel).toBe('chat');
    expect((await ws.request('DELETE', `/v1/agents/${agentId}/deployments/${chat.id}`)).status).toBe(204);

    expect((await ws.request('POST', '/v1/trial')).status).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await trialOf(ws)).status).toBe('pending');
    // Switching the agent off and on again deploys it nowhere.
    expect((await ws.request('PATCH', `/v1/agents/${agentId}`, { status: 'paused' })).status).toBe(200);
    expect((await ws.request('PATCH', `/v1/agents/${agentId}`, { status: 'active' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await trialOf(ws)).status).toBe('pending');

    expect((await ws.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'chat' })).status).toBe(201);
    await waitFor('the trial starting', () => trialOf(ws), (t) => t.status === 'active', 10_000);
    expect(await eventsOf(ws, 'trial.started')).toHaveLength(1);
  });

  it('a workspace that enabled credits before the end keeps its agents on', async () => {
    const ws = await createTestWorkspace(sys, 'trial-with-credits');
    // An agent already live when the workspace opts in starts the trial at once.
    const agentId = await ws.createAgent({ articles: [SHIPPING] });
    expect((await ws.request('POST', '/v1/trial')).status).toBe(201);
    await waitFor('the trial starting', () => trialOf(ws), (t) => t.status === 'active', 10_000);

    const bad = await ws.request('PATCH', '/v1/billing', { creditsEnabled: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('creditsEnabled');
    expect((await ws.request('PATCH', '/v1/billing', { creditsEnabled: true })).body).toEqual({ creditsEnabled: true });

    await waitFor('the trial ending', () => trialOf(ws), (t) => t.status === 'ended', (TRIAL_SECONDS + 20) * 1000);
    expect(await agentOf(ws, agentId)).toMatchObject({ status: 'active' });
    expect((await ws.say(agentId, uniqueId('kept'), 'How much is express shipping?')).body.reply?.text).toBeTruthy();
    const [end] = await eventsOf(ws, 'trial.ended');
    expect(end.data).toEqual({ creditsEnabled: true, switchedOff: [] });
  });

  it('only admins opt in or change billing', async () => {
    const ws = await createTestWorkspace(sys, 'trial-roles');
    const key = (await ws.request('POST', '/v1/api-keys', { name: 'channel', role: 'channel' })).body.key;
    const as = (method: string, path: string, body?: unknown) => sys.request(method, path, body, { authorization: `Bearer ${key}` });
    expect((await as('POST', '/v1/trial')).status).toBe(403);
    expect((await as('PATCH', '/v1/billing', { creditsEnabled: true })).status).toBe(403);
    expect((await as('GET', '/v1/events')).status).toBe(403);
    expect(await trialOf(ws)).toEqual({ status: 'none', creditsEnabled: false });
  });
});
