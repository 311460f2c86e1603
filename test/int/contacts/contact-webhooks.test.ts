/**
 * contact.updated reaches a real CRM listening on a webhook: from an agent's write (the activity, retried
 * as Temporal retries it) and from a person's PATCH, through the product's own delivery workflows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactActivities, type ContactActivities } from '../../../activities/contacts.js';
import { verify } from '../../../activities/webhook-signature.js';
import { openConversation } from '../../../db/conversations.js';
import { webhookDeliveryId, type DeliveryOutcome } from '../../../workflows/webhook-delivery.contract.js';
import { startTestSystem, workerNotifier, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';
import { LOOPBACK_RECEIVERS, startReceiver, type Receiver } from '../webhooks/receiver.js';

let sys: TestSystem;
let receiver: Receiver;
/** The contact activities as the worker builds them: events go to the webhooks through delivery workflows. */
let contacts: ContactActivities;

beforeAll(async () => {
  receiver = await startReceiver();
  sys = await startTestSystem('contact-webhooks', {
    FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS,
    WEBHOOK_RETRY_HOURS: '0.01',
    WEBHOOK_RETRY_INITIAL_SECONDS: '0.2',
  });
  contacts = createContactActivities({ db: sys.db, notifier: workerNotifier(sys) });
});
afterAll(async () => {
  await sys?.stop();
  await receiver?.close();
});

async function subscribe(ws: TestWorkspace, path: string) {
  const res = await ws.request('POST', '/v1/webhooks', { url: `${receiver.origin}${path}`, events: ['contact.updated'] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

const outcome = (webhookId: string, eventId: string) => sys.client.workflow.getHandle(webhookDeliveryId(webhookId, eventId)).result() as Promise<DeliveryOutcome>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('contact.updated webhooks', () => {
  it('an agent\'s change, retried with the same message, is delivered once, signed, with the conversation and message', async () => {
    const ws = await createTestWorkspace(sys, 'contact-webhook-agent');
    const hook = await subscribe(ws, '/crm/agent');
    const agentId = await ws.createAgent({ name: 'Lead bot' });
    expect((await ws.request('PATCH', `/v1/agents/${agentId}`, { crm: { writable: ['company', 'seats'] } })).status).toBe(200);
    const conversationId = uniqueId('lead');
    await openConversation(sys.db, { agentId, conversationId, channel: 'chat', workflowId: `conv:${agentId}:chat:${conversationId}` });
    const { contactId } = await contacts.contactFor({ agentId, conversationId, channel: 'chat', customer: { email: 'Lea@Example.com' } });

    const input = { agentId, conversationId, messageId: 'm-3', contactId, changes: { company: 'Acme', seats: 25 }, source: 'agent' as const };
    expect(await contacts.updateContactProperties(input)).toEqual({ changed: ['company', 'seats'], refused: [] });
    // The activity is retried after its writes committed (say, the worker died before reporting): the same event, no second delivery.
    expect(await contacts.updateContactProperties(input)).toEqual({ changed: ['company', 'seats'], refused: [] });

    const [got] = await waitFor('the contact.updated delivery', async () => receiver.at('/crm/agent'), (r) => r.length > 0);
    const body = JSON.parse(got!.rawBody);
    const [stored] = (await ws.request('GET', '/v1/events?type=contact.updated')).body.events;
    expect(body).toEqual({ id: stored.id, type: 'contact.updated', createdAt: stored.createdAt, data: stored.data });
    expect(body.data).toEqual({
      contactId, email: 'lea@example.com', agentId, conversationId, messageId: 'm-3',
      changes: [
        { property: 'company', oldValue: null, newValue: 'Acme', source: 'agent', agentId, conversationId, messageId: 'm-3', changedAt: expect.any(String) },
        { property: 'seats', oldValue: null, newValue: 25, source: 'agent', agentId, conversationId, messageId: 'm-3', changedAt: expect.any(String) },
      ],
    });
    expect(verify(hook.secret, got!.rawBody, got!.headers['x-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true);
    expect(await outcome(hook.id, stored.id)).toEqual({ status: 'delivered' });

    // Retried once more after the delivery: still one event and one POST.
    await contacts.updateContactProperties(input);
    await sleep(1000);
    expect(receiver.at('/crm/agent')).toHaveLength(1);
    expect((await ws.request('GET', '/v1/events?type=contact.updated')).body.events).toHaveLength(1);
    expect((await ws.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).body.deliveries).toHaveLength(1);
  });

  it('a person\'s PATCH reaches the webhook with who made it; a PATCH that changes nothing sends nothing', async () => {
    const ws = await createTestWorkspace(sys, 'contact-webhook-api');
    await subscribe(ws, '/crm/api');
    const agentId = await ws.createAgent();
    const conversationId = uniqueId('wa');
    await openConversation(sys.db, { agentId, conversationId, channel: 'whatsapp', workflowId: `conv:${agentId}:whatsapp:${conversationId}` });
    const { contactId } = await contacts.contactFor({ agentId, conversationId, channel: 'whatsapp', address: { waId: '4511223344' } });

    const patched = await ws.request('PATCH', `/v1/contacts/${contactId}`, { properties: { plan: 'pro' } });
    expect(patched.status).toBe(200);
    const [got] = await waitFor('the contact.updated delivery', async () => receiver.at('/crm/api'), (r) => r.length > 0);
    expect(JSON.parse(got!.rawBody).data).toEqual({
      contactId,
      changes: [{ property: 'plan', oldValue: null, newValue: 'pro', source: 'api', by: { id: expect.any(String), name: expect.any(String) }, changedAt: expect.any(String) }],
    });
    expect((await ws.request('PATCH', `/v1/contacts/${contactId}`, { properties: { plan: 'pro' } })).status).toBe(200);
    await sleep(1000);
    expect(receiver.at('/crm/api')).toHaveLength(1);
  });
});
