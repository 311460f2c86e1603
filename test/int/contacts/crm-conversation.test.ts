/**
 * The agent and the customer's contact, in a conversation: lead qualification asks its questions one at a
 * time, keeps the answers on the contact and hands the lead to sales; a verified customer can read and
 * (after confirming) change their own properties; an unverified one sees and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityToken } from '../../../api/identity-token.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';

let sys: TestSystem;
let ws: TestWorkspace;

beforeAll(async () => {
  sys = await startTestSystem('crm-conversation');
  ws = await createTestWorkspace(sys, 'crm-conversation');
});
afterAll(async () => {
  await sys?.stop();
});

const message = (agentId: string, id: string, text: string, customer?: object) =>
  ws.request('POST', `/v1/agents/${agentId}/conversations/${id}/messages`, { messageId: uniqueId('m'), text, channel: 'chat', ...(customer ? { customer } : {}) });
const contactOf = async (email: string) => (await ws.request('GET', `/v1/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];

describe('lead qualification', () => {
  it('asks the criteria one at a time after buying intent, keeps the answers on the contact, and hands the lead to sales', async () => {
    const sales = (await ws.request('POST', '/v1/users', { name: 'Sam Sales', email: `sam-${uniqueId('x')}@shop.test` })).body;
    const agentId = await ws.createAgent({ articles: [SHIPPING] });
    const patched = await ws.request('PATCH', `/v1/agents/${agentId}`, {
      leadQualification: {
        enabled: true,
        criteria: [
          { question: { en: 'How many people are on your team?', da: 'Hvor mange er I på holdet?' }, property: 'team_size' },
          { question: 'When would you like to start?', property: 'start_date' },
        ],
        assignTo: { type: 'users', ids: [sales.id] },
      },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const email = `lead-${uniqueId('x')}@example.com`;
    const id = uniqueId('lead');

    const first = await message(agentId, id, 'We would like to buy a subscription for our company', { email });
    expect(first.body.reply.kind).toBe('clarify');
    expect(first.body.reply.text).toMatch(/How many people are on your team\?$/);
    const second = await message(agentId, id, 'About 40 people', { email });
    expect(second.body.reply.text).toBe('When would you like to start?');
    const third = await message(agentId, id, 'Next month', { email });
    expect(third.body.reply.kind).toBe('handoff');
    expect(third.body.conversation.status).toBe('assigned');

    const contact = await contactOf(email);
    expect(contact.properties).toMatchObject({ team_size: 'About 40 people', start_date: 'Next month' });
    const inbox = (await ws.request('GET', `/v1/conversations?agentId=${agentId}`)).body.conversations;
    expect(inbox.find((c: any) => c.id === id)).toMatchObject({ status: 'assigned', assignee: sales.id });
    const events = await waitFor('the lead.qualified event', async () => (await ws.request('GET', '/v1/events')).body.events as any[], (e) => e.some((x) => x.type === 'lead.qualified'));
    expect(events.find((x) => x.type === 'lead.qualified').data).toMatchObject({ conversationId: id, answers: { team_size: 'About 40 people', start_date: 'Next month' } });
    // The team hears why, with the answers, on the handoff itself.
    expect(events.find((x) => x.type === 'conversation.handoff_requested' && x.data.conversationId === id).data)
      .toMatchObject({ reason: 'lead_qualified', summary: 'Qualified lead. team_size: About 40 people; start_date: Next month' });
  });

  it('a question about prices alone is answered from the knowledge, not taken for a lead', async () => {
    const agentId = await ws.createAgent({ articles: [SHIPPING] });
    await ws.request('PATCH', `/v1/agents/${agentId}`, { leadQualification: { enabled: true, criteria: [{ question: 'How many people are on your team?', property: 'team_size' }] } });
    const res = await message(agentId, uniqueId('price'), 'How long does standard delivery take?');
    expect(res.body.reply.kind).toBe('answer');
  });
});

describe('the customer’s own contact properties', () => {
  it('a verified customer reads a property and changes another after confirming; an unverified one is told to sign in', async () => {
    const { secret } = (await ws.request('POST', '/v1/identity/secret')).body;
    const agentId = await ws.createAgent({ articles: [SHIPPING] });
    expect((await ws.request('PATCH', `/v1/agents/${agentId}`, { crm: { readable: ['plan', 'phone'], writable: ['phone'] } })).status).toBe(200);
    const email = `ann-${uniqueId('x')}@example.com`;
    const verified = { email, identityToken: identityToken(secret, email) };
    const id = uniqueId('crm');

    await message(agentId, id, 'Hello', verified);
    const contact = await contactOf(email);
    expect((await ws.request('PATCH', `/v1/contacts/${contact.id}`, { properties: { plan: 'Pro' } })).status).toBe(200);

    expect((await message(agentId, id, 'What plan am I on?', verified)).body.reply.text).toBe('Your plan is Pro.');
    const confirm = await message(agentId, id, 'My phone is +45 1234 5678', verified);
    expect(confirm.body.reply).toMatchObject({ kind: 'clarify', text: expect.stringMatching(/change your phone to “\+45 1234 5678”/) });
    expect((await contactOf(email)).properties.phone).toBeUndefined();
    const done = await message(agentId, id, 'Yes please', verified);
    expect(done.body.reply.text).toMatch(/your phone is now “\+45 1234 5678”/);
    expect((await contactOf(email)).properties).toMatchObject({ plan: 'Pro', phone: '+45 1234 5678' });
    const changes = (await ws.request('GET', `/v1/contacts/${contact.id}/changes`)).body;
    expect(JSON.stringify(changes)).toContain(id);

    // Someone typing Ann's address without proof sees nothing and changes nothing.
    const other = uniqueId('crm-other');
    const refused = await message(agentId, other, 'What plan am I on?', { email });
    expect(refused.body.reply.text).toMatch(/once I know it's you/);
    expect(refused.body.reply.text).not.toContain('Pro');
    const tried = await message(agentId, other, 'My phone is 999', { email });
    expect(tried.body.reply.text).toMatch(/once I know it's you/);
    expect((await contactOf(email)).properties.phone).toBe('+45 1234 5678');
  });
});
