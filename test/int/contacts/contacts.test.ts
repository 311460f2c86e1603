/**
 * Contacts through the API and the conversation's activities, on a real database; no Temporal is needed
 * (nothing here reaches a workflow: events are stored, and the webhook test delivers them). Conversation
 * rows are written as the conversation workflow's activities write them.
 */
import { describe, expect, it } from 'vitest';
import { createContactActivities } from '../../../activities/contacts.js';
import { openConversation } from '../../../db/conversations.js';
import { listEvents } from '../../../db/events.js';
import { useInProcessApp, type Call } from '../../support/app.js';

const sys = useInProcessApp();
const { rootKey, caller } = sys;

interface World {
  id: string;
  call: Call;
  agentId: string;
  activities: ReturnType<typeof createContactActivities>;
  /** A conversation's row, as the workflow's openConversation activity writes it. */
  conversation(id: string, channel?: string): Promise<string>;
}

/** A workspace with an agent that may read `plan` and `seats` and write `company` and `seats`. */
async function world(name: string, crm: unknown = { readable: ['plan', 'seats'], writable: ['company', 'seats'] }): Promise<World> {
  const made = await caller(rootKey)('POST', '/v1/workspaces', { name });
  expect(made.status).toBe(201);
  const call = caller(made.body.adminKey);
  const agent = await call('POST', '/v1/agents', { name: `${name} agent`, crm });
  expect(agent.status, JSON.stringify(agent.body)).toBe(201);
  const agentId = agent.body.id as string;
  return {
    id: made.body.id, call, agentId, activities: createContactActivities({ db: sys.db }),
    async conversation(id, channel = 'chat') {
      await openConversation(sys.db, { agentId, conversationId: id, channel, workflowId: `conv:${agentId}:${id}` });
      return id;
    },
  };
}

describe('contacts through the API', () => {
  it('are listed newest first, found by email in any case, read, and another workspace\'s are not there', async () => {
    const w = await world('contacts-read');
    const ada = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('c-ada'), channel: 'chat', customer: { email: 'Ada@Example.com', name: 'Ada' } });
    const bo = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('c-bo'), channel: 'chat', customer: { email: 'bo@example.com' } });

    const all = await w.call('GET', '/v1/contacts');
    expect(all.status).toBe(200);
    expect(all.body.contacts.map((c: any) => c.id)).toEqual([bo.contactId, ada.contactId]);
    const found = await w.call('GET', '/v1/contacts?email=ADA%40example.COM');
    expect(found.body).toEqual({
      contacts: [{ id: ada.contactId, email: 'ada@example.com', name: 'Ada', identities: [], properties: {}, createdAt: expect.any(String), updatedAt: expect.any(String) }],
    });
    expect(found.body.contacts[0].id).toMatch(/^con_/);
    expect((await w.call('GET', '/v1/contacts?email=nobody%40example.com')).body).toEqual({ contacts: [] });
    expect((await w.call('GET', '/v1/contacts?email=not-an-email')).body.error).toMatchObject({ code: 'invalid_request', field: 'email' });
    expect((await w.call('GET', `/v1/contacts/${ada.contactId}`)).body).toEqual(found.body.contacts[0]);

    // Pages of one: the cursor leads through every contact once.
    const first = await w.call('GET', '/v1/contacts?limit=1');
    expect(first.body.contacts.map((c: any) => c.id)).toEqual([bo.contactId]);
    const second = await w.call('GET', `/v1/contacts?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.contacts.map((c: any) => c.id)).toEqual([ada.contactId]);
    expect(second.body.nextCursor).toBeUndefined();
    expect((await w.call('GET', '/v1/contacts?cursor=forged')).body.error.field).toBe('cursor');

    const other = await world('contacts-other');
    expect((await other.call('GET', '/v1/contacts')).body).toEqual({ contacts: [] });
    expect((await other.call('GET', '/v1/contacts?email=ada%40example.com')).body).toEqual({ contacts: [] });
    for (const path of ['', '/changes', '/conversations']) {
      const res = await other.call('GET', `/v1/contacts/${ada.contactId}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'contact_not_found', field: 'contactId' });
    }
    const patch = await other.call('PATCH', `/v1/contacts/${ada.contactId}`, { properties: { plan: 'free' } });
    expect(patch.status).toBe(404);
    expect((await w.call('GET', `/v1/contacts/${ada.contactId}`)).body.properties).toEqual({});
  });

  it('a PATCH merges properties, null removes one, and every change is kept with who made it', async () => {
    const w = await world('contacts-patch');
    const { contactId } = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('c-1'), channel: 'chat', customer: { email: 'cy@example.com' } });
    const path = `/v1/contacts/${contactId}`;

    const first = await w.call('PATCH', path, { properties: { plan: 'pro', seats: 5, vip: true } });
    expect(first.status).toBe(200);
    expect(first.body.properties).toEqual({ plan: 'pro', seats: 5, vip: true });
    const second = await w.call('PATCH', path, { properties: { seats: 8, vip: null, plan: 'pro' } });
    expect(second.body.properties).toEqual({ plan: 'pro', seats: 8 });
    expect((await w.call('GET', path)).body.properties).toEqual({ plan: 'pro', seats: 8 });

    // A person's own key: the change is theirs.
    const person = await w.call('POST', '/v1/users', { name: 'Dana', email: 'dana@shop.example' });
    const key = await w.call('POST', '/v1/api-keys', { name: "dana's inbox", role: 'user', userId: person.body.id });
    const dana = caller(key.body.key);
    expect((await dana('GET', path)).status).toBe(200);
    expect((await dana('PATCH', path, { properties: { plan: 'enterprise' } })).body.properties).toEqual({ plan: 'enterprise', seats: 8 });

    // Newest first, a request's changes in reverse of the order they were given.
    const changes = (await w.call('GET', `${path}/changes`)).body.changes;
    const admin = { id: expect.any(String), name: expect.any(String) };
    expect(changes).toEqual([
      { property: 'plan', oldValue: 'pro', newValue: 'enterprise', source: 'api', by: { id: person.body.id, name: 'Dana' }, changedAt: expect.any(String) },
      { property: 'vip', oldValue: true, newValue: null, source: 'api', by: admin, changedAt: expect.any(String) },
      { property: 'seats', oldValue: 5, newValue: 8, source: 'api', by: admin, changedAt: expect.any(String) },
      { property: 'vip', oldValue: null, newValue: true, source: 'api', by: admin, changedAt: expect.any(String) },
      { property: 'seats', oldValue: null, newValue: 5, source: 'api', by: admin, changedAt: expect.any(String) },
      { property: 'plan', oldValue: null, newValue: 'pro', source: 'api', by: admin, changedAt: expect.any(String) },
    ]);
    const page = await w.call('GET', `${path}/changes?limit=4`);
    expect(page.body.changes).toEqual(changes.slice(0, 4));
    expect((await w.call('GET', `${path}/changes?limit=4&cursor=${page.body.nextCursor}`)).body).toEqual({ changes: changes.slice(4) });

    // Nothing that changes nothing: no change, no event.
    expect((await w.call('PATCH', path, { properties: { seats: 8 } })).status).toBe(200);
    expect((await w.call('GET', `${path}/changes`)).body.changes).toHaveLength(6);
    const events = await listEvents(sys.db, w.id, { type: 'contact.updated', limit: 10 });
    expect(events).toHaveLength(3);
    expect(events[0]!.data).toEqual({
      contactId, email: 'cy@example.com',
      changes: [{ property: 'plan', oldValue: 'pro', newValue: 'enterprise', source: 'api', by: { id: person.body.id, name: 'Dana' }, changedAt: expect.any(String) }],
    });
    const audit = (await w.call('GET', '/v1/audit-log')).body.entries as any[];
    expect(audit.filter((e) => e.action === 'contact.updated').map((e) => e.details)).toEqual([{ changed: ['plan'] }, { changed: ['seats', 'vip'] }, { changed: ['plan', 'seats', 'vip'] }]);
  });

  it('a bad property name or value is a 422 naming it, and nothing is changed', async () => {
    const w = await world('contacts-invalid');
    const { contactId } = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('c-1'), channel: 'chat', customer: { email: 'ed@example.com' } });
    const path = `/v1/contacts/${contactId}`;
    for (const [body, field, message] of [
      [{ properties: { 'first name': 'Ed' } }, 'properties.first name', /property name/],
      [{ properties: { ['x'.repeat(65)]: 1 } }, `properties.${'x'.repeat(65)}`, /property name/],
      [{ properties: { address: { street: 'Main' } } }, 'properties.address', /string .*number or a boolean/],
      [{ properties: {} }, 'properties', /at least one/],
      [{ properties: { plan: 'pro' }, email: 'x@example.com' }, undefined, /email/],
    ] as const) {
      const res = await w.call('PATCH', path, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('invalid_request');
      if (field) expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await w.call('GET', path)).body.properties).toEqual({});
    expect((await w.call('GET', `${path}/changes`)).body.changes).toEqual([]);
  });
});

describe('the contact a conversation is with', () => {
  it('the same customer\'s two conversations, with their email in another case, are one contact that lists both', async () => {
    const w = await world('contact-link');
    const one = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('first'), channel: 'chat', customer: { email: 'Finn@Example.com', name: 'Finn' } });
    const two = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('second', 'email'), channel: 'email', customer: { email: 'finn@EXAMPLE.com', name: 'F. Other' } });
    expect(two.contactId).toBe(one.contactId);
    // Retried, it is still one contact and one link each.
    expect((await w.activities.contactFor({ agentId: w.agentId, conversationId: 'second', channel: 'email', customer: { email: 'finn@example.com' } })).contactId).toBe(one.contactId);

    const contact = (await w.call('GET', `/v1/contacts/${one.contactId}`)).body;
    expect(contact).toMatchObject({ email: 'finn@example.com', name: 'Finn', identities: [] });
    const conversations = (await w.call('GET', `/v1/contacts/${one.contactId}/conversations`)).body.conversations;
    expect(conversations).toEqual([
      { id: 'second', agentId: w.agentId, channel: 'email', status: 'open', updatedAt: expect.any(String) },
      { id: 'first', agentId: w.agentId, channel: 'chat', status: 'open', updatedAt: expect.any(String) },
    ]);
    const page = await w.call('GET', `/v1/contacts/${one.contactId}/conversations?limit=1`);
    expect(page.body.conversations.map((c: any) => c.id)).toEqual(['second']);
    expect((await w.call('GET', `/v1/contacts/${one.contactId}/conversations?limit=1&cursor=${page.body.nextCursor}`)).body).toEqual({ conversations: [conversations[1]] });
    expect((await w.call('GET', '/v1/contacts')).body.contacts).toHaveLength(1);
  });

  it('a WhatsApp number is the contact\'s identity: the same number in a new conversation finds it', async () => {
    const w = await world('contact-whatsapp');
    const address = { waId: '4520304050', sentAt: 1 };
    const first = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('wa-1', 'whatsapp'), channel: 'whatsapp', customer: { name: 'Gry' }, address });
    const again = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('wa-2', 'whatsapp'), channel: 'whatsapp', address: { waId: '4520304050' } });
    expect(again.contactId).toBe(first.contactId);
    const other = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('wa-3', 'whatsapp'), channel: 'whatsapp', address: { waId: '4599999999' } });
    expect(other.contactId).not.toBe(first.contactId);
    expect((await w.call('GET', `/v1/contacts/${first.contactId}`)).body).toMatchObject({
      name: 'Gry', identities: [{ channel: 'whatsapp', externalId: '4520304050' }],
    });
    expect((await w.call('GET', `/v1/contacts/${first.contactId}/conversations`)).body.conversations.map((c: any) => c.id)).toEqual(['wa-2', 'wa-1']);

    // Another workspace's agent talking to the same number has its own contact.
    const elsewhere = await world('contact-whatsapp-other');
    const theirs = await elsewhere.activities.contactFor({ agentId: elsewhere.agentId, conversationId: await elsewhere.conversation('wa-1', 'whatsapp'), channel: 'whatsapp', address });
    expect(theirs.contactId).not.toBe(first.contactId);
  });

  it('a new customer\'s first messages in two conversations at once make one contact (the loser\'s retry finds it)', async () => {
    const w = await world('contact-race');
    // As Temporal retries an activity that failed with an ordinary error.
    const retried = async <T>(run: () => Promise<T>): Promise<T> => {
      try {
        return await run();
      } catch {
        return run();
      }
    };
    const at = async (id: string, extra: { customer?: { email: string }; address?: { waId: string } }, channel: 'chat' | 'whatsapp') => {
      await w.conversation(id, channel);
      return retried(() => w.activities.contactFor({ agentId: w.agentId, conversationId: id, channel, ...extra }));
    };
    const [a, b] = await Promise.all([at('race-a', { address: { waId: '4577777777' } }, 'whatsapp'), at('race-b', { address: { waId: '4577777777' } }, 'whatsapp')]);
    expect(a.contactId).toBe(b.contactId);
    const [c, d] = await Promise.all([at('race-c', { customer: { email: 'race@example.com' } }, 'chat'), at('race-d', { customer: { email: 'RACE@example.com' } }, 'chat')]);
    expect(c.contactId).toBe(d.contactId);
    expect((await w.call('GET', '/v1/contacts')).body.contacts).toHaveLength(2);
  });

  it('an anonymous visitor who later gives an email keeps one contact, with the answers given before', async () => {
    const w = await world('contact-anonymous');
    const conversationId = await w.conversation('anon');
    const before = await w.activities.contactFor({ agentId: w.agentId, conversationId, channel: 'chat' });
    expect(before).toEqual({ contactId: expect.stringMatching(/^con_/), properties: {}, identified: true });
    await w.activities.updateContactProperties({ agentId: w.agentId, conversationId, messageId: 'm1', contactId: before.contactId, changes: { seats: 12 }, source: 'agent' });
    expect((await w.activities.contactFor({ agentId: w.agentId, conversationId, channel: 'chat' })).properties).toEqual({ seats: 12 });
    const after = await w.activities.contactFor({ agentId: w.agentId, conversationId, channel: 'chat', customer: { email: 'hal@example.com' } });
    expect(after.contactId).toBe(before.contactId);
    expect((await w.call('GET', `/v1/contacts/${after.contactId}`)).body).toMatchObject({ email: 'hal@example.com', properties: { seats: 12 } });
  });

  it('the agent sees the properties it may read only when the customer proved they are the contact', async () => {
    const w = await world('contact-disclosure');
    const { contactId } = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('setup'), channel: 'chat', customer: { email: 'ivy@example.com' } });
    await w.call('PATCH', `/v1/contacts/${contactId}`, { properties: { plan: 'pro', seats: 3, secret_note: 'owes us money' } });

    const typed = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('typed'), channel: 'chat', customer: { email: 'IVY@example.com' } });
    expect(typed).toEqual({ contactId, properties: {}, identified: false });
    const verified = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('verified'), channel: 'chat', customer: { email: 'ivy@example.com', verified: true } });
    expect(verified).toEqual({ contactId, properties: { plan: 'pro', seats: 3 }, identified: true });

    // Naming someone's email never makes the writer's channel identity theirs.
    await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('claim'), channel: 'chat', customer: { id: 'visitor-1', email: 'ivy@example.com' } });
    expect((await w.call('GET', `/v1/contacts/${contactId}`)).body.identities).toEqual([]);
    const later = await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('claim-2'), channel: 'chat', customer: { id: 'visitor-1' } });
    expect(later.contactId).not.toBe(contactId);
    await w.activities.contactFor({ agentId: w.agentId, conversationId: await w.conversation('proven'), channel: 'chat', customer: { id: 'visitor-2', email: 'ivy@example.com', verified: true } });
    expect((await w.call('GET', `/v1/contacts/${contactId}`)).body.identities).toEqual([{ channel: 'chat', externalId: 'visitor-2' }]);
  });
});

describe('the agent\'s changes to a contact', () => {
  it('are kept with the conversation and message, only the properties it may write, and a retry writes and emits nothing new', async () => {
    const w = await world('agent-writes');
    const conversationId = await w.conversation('lead-1');
    const { contactId } = await w.activities.contactFor({ agentId: w.agentId, conversationId, channel: 'chat', customer: { email: 'jo@example.com' } });
    await w.call('PATCH', `/v1/contacts/${contactId}`, { properties: { company: 'Acme' } });

    const input = { agentId: w.agentId, conversationId, messageId: 'msg-7', contactId, changes: { company: 'Acme', seats: 40, plan: 'enterprise' }, source: 'agent' as const };
    expect(await w.activities.updateContactProperties(input)).toEqual({ changed: ['seats'], refused: ['plan'] });
    // Temporal retries the activity with the same input: nothing new is written or emitted.
    expect(await w.activities.updateContactProperties(input)).toEqual({ changed: ['seats'], refused: ['plan'] });
    expect(await w.activities.updateContactProperties({ ...input, changes: { plan: 'enterprise', company: 'Acme', seats: 40 } })).toEqual({ changed: ['seats'], refused: ['plan'] });

    const changes = (await w.call('GET', `/v1/contacts/${contactId}/changes`)).body.changes;
    expect(changes).toEqual([
      { property: 'seats', oldValue: null, newValue: 40, source: 'agent', agentId: w.agentId, conversationId, messageId: 'msg-7', changedAt: expect.any(String) },
      { property: 'company', oldValue: null, newValue: 'Acme', source: 'api', by: expect.any(Object), changedAt: expect.any(String) },
    ]);
    expect((await w.call('GET', `/v1/contacts/${contactId}`)).body.properties).toEqual({ company: 'Acme', seats: 40 });
    const events = await listEvents(sys.db, w.id, { type: 'contact.updated', limit: 10 });
    expect(events).toHaveLength(2);
    expect(events[0]!.data).toEqual({
      contactId, email: 'jo@example.com', agentId: w.agentId, conversationId, messageId: 'msg-7',
      changes: [changes[0]],
    });

    // The next message's answer is its own change.
    expect(await w.activities.updateContactProperties({ ...input, messageId: 'msg-8', changes: { seats: 45 } })).toEqual({ changed: ['seats'], refused: [] });
    expect(await listEvents(sys.db, w.id, { type: 'contact.updated', limit: 10 })).toHaveLength(3);
  });

  it('another workspace\'s contact and input that cannot be stored are refused for good', async () => {
    const w = await world('agent-refusals');
    const other = await world('agent-refusals-other');
    const theirs = await other.activities.contactFor({ agentId: other.agentId, conversationId: await other.conversation('x'), channel: 'chat', customer: { email: 'kim@example.com' } });
    const attempt = w.activities.updateContactProperties({ agentId: w.agentId, conversationId: 'c', messageId: 'm', contactId: theirs.contactId, changes: { seats: 1 }, source: 'agent' });
    await expect(attempt).rejects.toMatchObject({ type: 'ContactNotFound', nonRetryable: true });
    await expect(w.activities.updateContactProperties({ agentId: w.agentId, conversationId: 'c', messageId: 'm', contactId: theirs.contactId, changes: { 'bad name': 1 }, source: 'agent' }))
      .rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    await expect(w.activities.contactFor({ agentId: w.agentId, conversationId: 'c', channel: 'chat', customer: { name: 'nul\u0000' } }))
      .rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect((await other.call('GET', `/v1/contacts/${theirs.contactId}`)).body.properties).toEqual({});
  });
});
