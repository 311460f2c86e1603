/**
 * The human side end to end, through the real workflow: a handoff reaches a person, the agent stays
 * silent while people own the conversation, a person replies and hands back, the SLA re-queues, and the
 * team's webhooks hear about it. Timers run in seconds (handoff settings are per agent).
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../../activities/webhook-signature.js';
import { conversationWorkflowId } from '../../../workflows/conversation.contract.js';
import { RETURNS, SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { temporalAddress, temporalNamespace, uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';
import { LOOPBACK_RECEIVERS, startReceiver, type Receiver } from '../webhooks/receiver.js';

let sys: TestSystem;
let receiver: Receiver;
let connection: Connection;

beforeAll(async () => {
  receiver = await startReceiver();
  sys = await startTestSystem('human-side', {
    FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS, WEBHOOK_RETRY_HOURS: '0.01', WEBHOOK_RETRY_INITIAL_SECONDS: '0.2', RECONCILE_INTERVAL_SECONDS: '1',
  });
  connection = await Connection.connect({ address: temporalAddress() });
});
afterAll(async () => {
  await connection?.close();
  await sys?.stop();
  await receiver?.close();
});

const conv = (agentId: string, id: string) => `/v1/agents/${agentId}/conversations/${id}`;
const statusOf = async (ws: TestWorkspace, agentId: string, id: string) => (await ws.request('GET', conv(agentId, id))).body;

async function shop(name: string, handoff: Record<string, unknown>) {
  const ws = await createTestWorkspace(sys, name);
  const agentId = await ws.createAgent({ articles: [SHIPPING, RETURNS] });
  const team = (await ws.request('POST', '/v1/teams', { name: 'Support' })).body;
  const ann = (await ws.request('POST', '/v1/users', { name: 'Ann', email: `ann-${uniqueId('x')}@shop.test`, teamIds: [team.id] })).body;
  const patched = await ws.request('PATCH', `/v1/agents/${agentId}`, { handoff });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return { ws, agentId, team, ann };
}

describe('a conversation handed to a person', () => {
  it('stays silent while a person owns it, shows the person’s reply, and the agent answers again after hand-back', async () => {
    const { ws, agentId, team, ann } = await shop('silent', {});
    await ws.request('PATCH', `/v1/agents/${agentId}`, { handoff: { assignTo: { type: 'teams', ids: [team.id] } } });
    const hook = (await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}/silent`, events: ['conversation.handoff_requested', 'conversation.assigned', 'message.created'] })).body;
    const id = uniqueId('silent');

    const asked = await ws.say(agentId, id, 'I want to talk to a human please');
    expect(asked.body.reply.kind).toBe('handoff');
    expect(asked.body.conversation.status).toBe('assigned');
    const owned = await statusOf(ws, agentId, id);
    expect(owned).toMatchObject({ status: 'assigned', assigneeId: ann.id, teamId: team.id });

    const quiet = await ws.say(agentId, id, 'How long does standard delivery take?');
    expect(quiet.status).toBe(200);
    expect(quiet.body.reply).toBeNull();

    const inbox = await ws.request('GET', `/v1/conversations?status=assigned&assignee=${ann.id}`);
    expect(inbox.body.conversations).toEqual([expect.objectContaining({ id, agentId, status: 'assigned', assignee: ann.id, teamId: team.id, channel: 'chat',
      lastMessage: expect.objectContaining({ role: 'customer', text: 'How long does standard delivery take?' }) })]);

    const suggestion = await ws.request('GET', `${conv(agentId, id)}/suggestion`);
    expect(suggestion.status, JSON.stringify(suggestion.body)).toBe(200);
    expect(suggestion.body.text).toMatch(/2 to 4 working days/);
    expect(suggestion.body.sources[0].title).toBe(SHIPPING.title);

    const reply = await ws.request('POST', `${conv(agentId, id)}/replies`, { userId: ann.id, text: 'Hi, Ann here: it takes 2 to 4 working days.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const transcript = (await statusOf(ws, agentId, id)).transcript as any[];
    expect(transcript.map((t) => t.role)).toEqual(['customer', 'agent', 'customer', 'human']);
    expect(transcript[3]).toMatchObject({ userId: ann.id, text: 'Hi, Ann here: it takes 2 to 4 working days.' });

    // Ops see it in the Temporal UI: a summary line, who owns it now and the last message, filterable by Assignee.
    const handle = new Client({ connection, namespace: temporalNamespace() }).workflow.getHandle(conversationWorkflowId(agentId, id));
    const described = await handle.describe();
    expect(await described.staticSummary()).toBe(`chat conversation with an anonymous customer · agent ${agentId}`);
    expect(described.searchAttributes.Assignee).toEqual([ann.id]);
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(new RegExp(`assigned to ${ann.id}`));

    const back = await ws.request('POST', `${conv(agentId, id)}/hand-back`);
    expect(back.body).toEqual({ id, status: 'open' });
    expect(await statusOf(ws, agentId, id)).not.toHaveProperty('assigneeId');
    const answered = await ws.say(agentId, id, 'How much does express shipping cost?');
    expect(answered.body.reply.text).toMatch(/9\.95 EUR/);

    // The team's tools heard about it, signed.
    const got = await waitFor('the webhook events', async () => receiver.at('/silent'), (r) => r.filter((x) => x.status === 200).length >= 4);
    const types = got.map((r) => JSON.parse(r.rawBody).type);
    expect(types).toEqual(expect.arrayContaining(['conversation.handoff_requested', 'conversation.assigned', 'message.created']));
    for (const r of got) expect(verify(hook.secret, r.rawBody, r.headers['x-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true);
  });

  it('round robin skips a person outside their hours; with nobody available it waits in the queue; the SLA tells the customer and re-queues', async () => {
    const { ws, agentId, team, ann } = await shop('round-robin', { slaSeconds: 3 });
    const night = { mode: 'within', timeZone: 'UTC', weekly: {} };
    const bob = (await ws.request('POST', '/v1/users', { name: 'Bob', email: `bob-${uniqueId('x')}@shop.test`, teamIds: [team.id], workingHours: night })).body;
    expect(bob.available).toBe(false);
    await ws.request('PATCH', `/v1/agents/${agentId}`, { handoff: { assignTo: { type: 'teams', ids: [team.id] }, slaSeconds: 3 } });
    await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}/sla`, events: ['conversation.sla_breached'] });

    const first = uniqueId('rr');
    expect((await ws.say(agentId, first, 'Can I speak to a person?')).body.conversation.status).toBe('assigned');
    expect((await statusOf(ws, agentId, first))).toMatchObject({ status: 'assigned' });
    const owner = (await ws.request('GET', `/v1/conversations?agentId=${agentId}`)).body.conversations[0];
    expect(owner.assignee).toBe(ann.id); // Bob is outside his hours, though he has fewer conversations

    // Ann goes off shift too: nobody is available, so the next one waits in the team's queue.
    await ws.request('PATCH', `/v1/users/${ann.id}`, { workingHours: night });
    const second = uniqueId('rr');
    expect((await ws.say(agentId, second, 'Can I speak to a person?')).body.conversation.status).toBe('handoff_requested');

    // Nobody replies to the first within 3 s: the customer is told and it goes back to the queue.
    const breached = await waitFor('the SLA breach', () => statusOf(ws, agentId, first), (c) => c.status === 'handoff_requested', 20_000);
    expect(breached.transcript.at(-1)).toMatchObject({ role: 'system', text: expect.stringMatching(/Thank you for waiting/) });
    // The one waiting in the queue is held to the same SLA: both breach, each once.
    const events = await waitFor('sla_breached', async () => receiver.at('/sla'), (r) => new Set(r.map((x) => JSON.parse(x.rawBody).data.conversationId)).size >= 2, 20_000);
    const breaches = events.map((e) => JSON.parse(e.rawBody));
    expect(breaches.find((b) => b.data.conversationId === first)).toMatchObject({ type: 'conversation.sla_breached', data: { previousAssigneeId: ann.id } });
    expect(breaches.find((b) => b.data.conversationId === second)).toMatchObject({ type: 'conversation.sla_breached' });
    const queue = (await ws.request('GET', `/v1/conversations?status=handoff_requested&agentId=${agentId}`)).body.conversations.map((c: any) => c.id);
    expect(queue.sort()).toEqual([first, second].sort());
    // The inbox comes a page at a time, newest activity first, without repeating a conversation.
    const page1 = (await ws.request('GET', `/v1/conversations?agentId=${agentId}&limit=1`)).body;
    const page2 = (await ws.request('GET', `/v1/conversations?agentId=${agentId}&limit=1&cursor=${page1.nextCursor}`)).body;
    expect([...page1.conversations, ...page2.conversations].map((c: any) => c.id).sort()).toEqual([first, second].sort());
    expect(page2.nextCursor).toBeUndefined();
  });

  it('assign, close and reopen: closed in the database too, and a later message reopens it with its history', async () => {
    const { ws, agentId, ann } = await shop('close', {});
    const id = uniqueId('close');
    await ws.say(agentId, id, 'How long does standard delivery take?');
    const assigned = await ws.request('POST', `${conv(agentId, id)}/assign`, { userId: ann.id });
    expect(assigned.body).toMatchObject({ id, status: 'assigned', assigneeId: ann.id });
    const nobody = await ws.request('POST', `${conv(agentId, id)}/assign`, { userId: 'usr_nobody' });
    expect(nobody.status).toBe(422);
    expect(nobody.body.error.field).toBe('userId');

    const closed = await ws.request('POST', `${conv(agentId, id)}/close`);
    expect(closed.body).toMatchObject({ id, status: 'closed' });
    expect((await statusOf(ws, agentId, id)).status).toBe('closed');
    const again = await ws.say(agentId, id, 'And how much is express shipping?');
    expect(again.body.reply.text).toMatch(/9\.95 EUR/);
    expect(again.body.conversation.status).toBe('open');
  });

  it('removing the person who owns it puts it back in the team queue, and the next person can take it', async () => {
    const { ws, agentId, team, ann } = await shop('removed', {});
    await ws.request('PATCH', `/v1/agents/${agentId}`, { handoff: { assignTo: { type: 'teams', ids: [team.id] } } });
    const id = uniqueId('removed');
    expect((await ws.say(agentId, id, 'Can I speak to a person?')).body.conversation.status).toBe('assigned');
    expect((await ws.request('DELETE', `/v1/users/${ann.id}`)).status).toBe(204);
    const queued = await statusOf(ws, agentId, id);
    expect(queued.status).toBe('handoff_requested');
    const inbox = (await ws.request('GET', `/v1/conversations?agentId=${agentId}`)).body.conversations[0];
    expect(inbox).toMatchObject({ status: 'handoff_requested', teamId: team.id });
    expect(inbox.assignee).toBeUndefined();
    // The workflow agrees: still silent, and a new person can take it over.
    expect((await ws.say(agentId, id, 'Hello?')).body.reply).toBeNull();
    const cleo = (await ws.request('POST', '/v1/users', { name: 'Cleo', email: `cleo-${uniqueId('x')}@shop.test`, teamIds: [team.id] })).body;
    const taken = await ws.request('POST', `${conv(agentId, id)}/replies`, { userId: cleo.id, text: 'Cleo here, I can help.' });
    expect(taken.body.conversation).toMatchObject({ status: 'assigned', assigneeId: cleo.id });
  });

  it('a conversation cancelled or terminated from the Temporal UI ends closed in the database', async () => {
    const { ws, agentId, ann } = await shop('cancel', {});
    const client = new Client({ connection, namespace: temporalNamespace() });
    const cancelled = uniqueId('cancel');
    await ws.say(agentId, cancelled, 'How long does standard delivery take?');
    await client.workflow.getHandle(conversationWorkflowId(agentId, cancelled)).cancel();
    await waitFor('closed in the database', () => statusOf(ws, agentId, cancelled), (c) => c.status === 'closed', 15_000);

    // Terminated runs no workflow code: the worker's reconciler closes the row.
    const terminated = uniqueId('terminate');
    await ws.say(agentId, terminated, 'How long does standard delivery take?');
    await ws.request('POST', `${conv(agentId, terminated)}/assign`, { userId: ann.id });
    await client.workflow.getHandle(conversationWorkflowId(agentId, terminated)).terminate('ops: test');
    const row = await waitFor('closed after termination', () => statusOf(ws, agentId, terminated), (c) => c.status === 'closed', 20_000);
    expect(row.closedAt).toBeDefined();
  });
});

describe('handoff settings', () => {
  it('a delayed handoff tells the customer, lets the agent answer meanwhile, and happens when the delay ends', async () => {
    const { ws, agentId } = await shop('delay', { delaySeconds: 2 });
    const id = uniqueId('delay');
    const asked = await ws.say(agentId, id, 'I would like to talk to a human');
    expect(asked.body.reply.text).toMatch(/in about 1 minute/);
    expect(asked.body.conversation.status).toBe('open');
    expect((await ws.say(agentId, id, 'How long does standard delivery take?')).body.reply.text).toMatch(/2 to 4 working days/);
    await waitFor('the delayed handoff', () => statusOf(ws, agentId, id), (c) => c.status === 'handoff_requested', 15_000);

    const solved = uniqueId('solved');
    await ws.say(agentId, solved, 'I would like to talk to a human');
    await ws.say(agentId, solved, 'Never mind, that solved it, thanks');
    await new Promise((r) => setTimeout(r, 3500));
    expect((await statusOf(ws, agentId, solved)).status).toBe('open');
  });

  it('stay mode keeps the conversation with the agent and says so in the customer’s language; custom phrases and clarifications hand off', async () => {
    const { ws, agentId } = await shop('stay', { mode: 'stay', messages: { unavailable: { da: 'Vores team er ikke til stede lige nu.' } } });
    const stay = await ws.say(agentId, uniqueId('stay'), 'Can I talk to a human?');
    expect(stay.body.reply.text).toMatch(/nobody from our team can take over right now/);
    expect(stay.body.conversation.status).toBe('open');
    const da = await ws.say(agentId, uniqueId('stay-da'), 'Jeg vil gerne tale med et menneske');
    expect(da.body.reply.text).toBe('Vores team er ikke til stede lige nu.');

    await ws.request('PATCH', `/v1/agents/${agentId}`, { handoff: { triggers: [{ phrases: ['legal action', 'cancel my contract'], description: 'legal threats' }], afterClarifications: 1 } });
    const id = uniqueId('trigger');
    const legal = await ws.say(agentId, id, 'I will take legal action if this is not fixed!');
    expect(legal.body.reply.kind).toBe('handoff');
    const insights = (await statusOf(ws, agentId, id)).transcript[1].insights;
    expect(insights.triggers).toContain('custom_trigger:legal threats');

    const vague = uniqueId('vague');
    const clarifying = await ws.say(agentId, vague, 'help');
    expect(clarifying.body.reply.kind).toBe('handoff');
    expect((await statusOf(ws, agentId, vague)).transcript[1].insights.triggers).toContain('after_clarifications');
  });
});

describe('a paused agent', () => {
  it('hands a customer’s conversation to the team’s queue and tells them once, in their language, that a person will answer', async () => {
    const { ws, agentId } = await shop('paused', {});
    await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}/paused`, events: ['conversation.handoff_requested'] });
    expect((await ws.request('PATCH', `/v1/agents/${agentId}`, { status: 'paused' })).status).toBe(200);
    const id = uniqueId('paused');

    const said = await ws.say(agentId, id, 'Wie lange dauert der Standardversand?');
    expect(said.status).toBe(200);
    expect(said.body.reply).toMatchObject({ kind: 'handoff', language: 'de', text: expect.stringMatching(/eine Person antwortet dir hier/) });
    expect(said.body.conversation.status).toBe('handoff_requested');
    const queue = await ws.request('GET', '/v1/conversations?status=handoff_requested&assignee=none');
    expect(queue.body.conversations).toEqual([expect.objectContaining({ id, agentId, status: 'handoff_requested' })]);

    // Told once: while the team has it, the next message waits for a person.
    expect((await ws.say(agentId, id, 'Hallo?')).body.reply).toBeNull();
    const transcript = (await statusOf(ws, agentId, id)).transcript as any[];
    expect(transcript.map((t) => t.role)).toEqual(['customer', 'system', 'customer']);
    expect(transcript[1].text).toBe(said.body.reply.text);

    const [event] = await waitFor('the handoff event', async () => receiver.at('/paused').filter((r) => r.status === 200), (r) => r.length > 0);
    expect(JSON.parse(event!.rawBody)).toMatchObject({ type: 'conversation.handoff_requested', data: { agentId, conversationId: id, reason: 'agent_paused', status: 'handoff_requested' } });
    // No agent answered: nothing is billed.
    expect((await ws.request('GET', '/v1/usage')).body).toMatchObject({ credits: 0, conversations: 0 });
  });
});
