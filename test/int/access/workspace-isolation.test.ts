/**
 * Two workspaces on one install, and workspace B's admin holding the real ids of workspace A's things (as
 * if leaked from a log or a screenshot): A's API key, conversation, events, identity secret and custom
 * channel deployment stay out of B's reach. Each is a 404 as if it did not exist, or simply absent from
 * B's lists; nothing B does changes A.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityToken } from '../../../api/client.js';
import { encodeCursor } from '../../../api/cursor.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';

const CUSTOMER = 'ann@shop-a.example.test';
const CUSTOMER_B = 'bo@shop-b.example.test';

let sys: TestSystem;
let a: TestWorkspace;
let b: TestWorkspace;
let agentA: string;
let agentB: string;
let secondAgentB: string;
let conversationA: string;
let conversationB: string;
let handoffA: string;
let secretA: string;
let keyA: { id: string; key: string };
let deploymentA: string;

beforeAll(async () => {
  sys = await startTestSystem('isolation');
  a = await createTestWorkspace(sys, 'Shop A');
  b = await createTestWorkspace(sys, 'Shop B');

  // B's conversation and contact are older than A's, and B's second agent newer than A's: a cursor naming
  // one of A's, if it were followed, would page to B's own and show where A's stands.
  agentB = await b.createAgent({ name: 'Shop B assistant', articles: [SHIPPING] });
  conversationB = uniqueId('shop-b');
  const saidB = await b.request('POST', `/v1/agents/${agentB}/conversations/${conversationB}/messages`, {
    messageId: 'b1', text: 'How long does standard delivery take?', channel: 'chat', customer: { email: CUSTOMER_B },
  });
  expect(saidB.status, JSON.stringify(saidB.body)).toBe(200);

  agentA = await a.createAgent({ name: 'Shop A assistant', articles: [SHIPPING] });
  const secret = await a.request('POST', '/v1/identity/secret');
  expect(secret.status).toBe(201);
  secretA = secret.body.secret;
  conversationA = uniqueId('shop-a');
  const said = await a.request('POST', `/v1/agents/${agentA}/conversations/${conversationA}/messages`, {
    messageId: 'a1', text: 'How long does standard delivery take?', channel: 'chat', customer: { email: CUSTOMER, identityToken: identityToken(secretA, CUSTOMER) },
  });
  expect(said.status, JSON.stringify(said.body)).toBe(200);
  expect(said.body.customer).toEqual({ verified: true });
  expect((await a.request('POST', '/v1/trial')).status).toBe(201);
  // A customer asking for a person: A's team hears of it as an event.
  handoffA = uniqueId('shop-a-handoff');
  const asked = await a.request('POST', `/v1/agents/${agentA}/conversations/${handoffA}/messages`, {
    messageId: 'h1', text: 'I want to talk to a human please', channel: 'chat', customer: { email: CUSTOMER },
  });
  expect(asked.body.conversation?.status, JSON.stringify(asked.body)).toBe('handoff_requested');

  const key = await a.request('POST', '/v1/api-keys', { name: 'A adapter', role: 'channel', agentIds: [agentA] });
  expect(key.status).toBe(201);
  keyA = key.body;
  const deployed = await a.request('POST', `/v1/agents/${agentA}/deployments`, { channel: 'custom', settings: { url: 'https://adapter.shop-a.example.com/replies' } });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  deploymentA = deployed.body.id;
  secondAgentB = await b.createAgent({ name: 'Shop B second assistant' });
});
afterAll(async () => sys?.stop());

describe("workspace B's admin, with workspace A's ids in hand", () => {
  it("gets 404 for A's API key, reading or deleting it, and A's key keeps working", async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await b.request(method, `/v1/api-keys/${keyA.id}`);
      expect(res.status, method).toBe(404);
      expect(res.body.error.code, method).toBe('key_not_found');
      expect(JSON.stringify(res.body), method).not.toContain('A adapter');
    }
    expect((await b.request('GET', '/v1/api-keys')).body.apiKeys.map((k: { id: string }) => k.id)).not.toContain(keyA.id);
    expect((await sys.request('GET', `/v1/agents/${agentA}/profile`, undefined, { authorization: `Bearer ${keyA.key}` })).status).toBe(200);
    expect((await a.request('GET', `/v1/api-keys/${keyA.id}`)).body).toMatchObject({ id: keyA.id, name: 'A adapter' });
  });

  it("sees none of A's conversations in its inbox, even filtering by A's agent or paging from A's conversation", async () => {
    const inboxA = (await a.request('GET', '/v1/conversations')).body.conversations.map((c: { id: string }) => c.id);
    expect(inboxA).toContain(conversationA);

    const inboxB = await b.request('GET', '/v1/conversations');
    expect(inboxB.status).toBe(200);
    expect(inboxB.body.conversations.map((c: { id: string }) => c.id)).toEqual([conversationB]);
    expect(JSON.stringify(inboxB.body)).not.toContain(CUSTOMER);
    const byAgentA = await b.request('GET', `/v1/conversations?agentId=${agentA}`);
    expect(byAgentA.body.conversations).toEqual([]);

    // A cursor names a conversation: one of A's must page like one that does not exist, not from where A's is.
    const fromA = await b.request('GET', `/v1/conversations?cursor=${encodeCursor({ agentId: agentA, id: conversationA })}`);
    const fromNowhere = await b.request('GET', `/v1/conversations?cursor=${encodeCursor({ agentId: agentA, id: 'no-such-conversation' })}`);
    expect(fromA.status).toBe(200);
    expect(fromA.body).toEqual(fromNowhere.body);
  });

  it("pages its agents, contacts and a contact's conversations the same whether a cursor names one of A's or nothing", async () => {
    expect((await b.request('GET', '/v1/agents')).body.agents.map((x: { id: string }) => x.id)).toEqual([agentB, secondAgentB]);
    const agentsFromA = await b.request('GET', `/v1/agents?cursor=${encodeCursor({ after: agentA })}`);
    const agentsFromNowhere = await b.request('GET', `/v1/agents?cursor=${encodeCursor({ after: 'agt_nobody' })}`);
    expect(agentsFromA.status).toBe(200);
    expect(agentsFromA.body).toEqual(agentsFromNowhere.body);

    const contactsOf = (ws: TestWorkspace) => waitFor('a contact', async () => (await ws.request('GET', '/v1/contacts')).body.contacts as { id: string; email?: string }[], (c) => c.length > 0);
    const [contactA] = await contactsOf(a);
    const [contactB] = await contactsOf(b);
    expect(contactB).toMatchObject({ email: CUSTOMER_B });
    const contactsFromA = await b.request('GET', `/v1/contacts?cursor=${encodeCursor({ after: contactA!.id })}`);
    const contactsFromNowhere = await b.request('GET', `/v1/contacts?cursor=${encodeCursor({ after: 'con_nobody' })}`);
    expect(contactsFromA.status).toBe(200);
    expect(contactsFromA.body).toEqual(contactsFromNowhere.body);

    const conversationsOfB = `/v1/contacts/${contactB!.id}/conversations`;
    expect((await b.request('GET', conversationsOfB)).body.conversations.map((x: { id: string }) => x.id)).toEqual([conversationB]);
    const fromA = await b.request('GET', `${conversationsOfB}?cursor=${encodeCursor({ agentId: agentA, id: conversationA })}`);
    const fromNowhere = await b.request('GET', `${conversationsOfB}?cursor=${encodeCursor({ agentId: agentA, id: 'no-such-conversation' })}`);
    expect(fromA.status).toBe(200);
    expect(fromA.body).toEqual(fromNowhere.body);
  });

  it("lists none of A's events", async () => {
    const types = ['conversation.handoff_requested', 'trial.started'];
    const eventsA = await waitFor("A's events", async () => (await a.request('GET', '/v1/events')).body.events as { type: string }[],
      (e) => types.every((t) => e.some((x) => x.type === t)));
    expect(JSON.stringify(eventsA)).toContain(handoffA);

    // B had no handoff and no trial: whatever B lists is its own.
    const eventsB = await b.request('GET', '/v1/events');
    expect(eventsB.status).toBe(200);
    expect(eventsB.body.events.filter((e: { type: string }) => /^(trial|conversation)\./.test(e.type))).toEqual([]);
    for (const id of [agentA, handoffA, conversationA, CUSTOMER]) expect(JSON.stringify(eventsB.body)).not.toContain(id);
    for (const type of types) {
      const filtered = await b.request('GET', `/v1/events?type=${type}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.events, type).toEqual([]);
    }
  });

  it("neither sees nor rotates A's identity secret: B's rotation makes B's own, and A's customers stay verified", async () => {
    const before = (await a.request('GET', '/v1/identity/secret')).body;
    expect(before).toMatchObject({ configured: true, createdAt: expect.any(String) });
    expect((await b.request('GET', '/v1/identity/secret')).body).toEqual({ configured: false });

    const rotated = await b.request('POST', '/v1/identity/secret');
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(secretA);
    expect((await b.request('GET', '/v1/identity/secret')).body).toMatchObject({ configured: true });
    expect((await a.request('GET', '/v1/identity/secret')).body).toEqual(before);

    // A token made with A's secret still verifies in A, and one made with B's does not.
    const again = await a.request('POST', `/v1/agents/${agentA}/conversations/${conversationA}/messages`, {
      messageId: 'a2', text: 'And express?', channel: 'chat', customer: { email: CUSTOMER, identityToken: identityToken(secretA, CUSTOMER) },
    });
    expect(again.body.customer).toEqual({ verified: true });
    const withB = await a.request('POST', `/v1/agents/${agentA}/conversations/${uniqueId('shop-a')}/messages`, {
      messageId: 'a3', text: 'Hello', channel: 'chat', customer: { email: CUSTOMER, identityToken: identityToken(rotated.body.secret, CUSTOMER) },
    });
    expect(withB.body.customer).toMatchObject({ verified: false });
  });

  it("gets 404 posting to A's custom channel deployment, and A's agent never hears of it", async () => {
    const conversationId = uniqueId('hijack');
    const res = await b.request('POST', `/v1/channels/custom/${deploymentA}/messages`, { conversationId, messageId: 'x1', text: 'Give me every order of Ann' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('deployment_not_found');
    expect((await a.request('GET', `/v1/agents/${agentA}/conversations/${conversationId}`)).status).toBe(404);
    expect((await b.request('GET', `/v1/agents/${agentA}/deployments/${deploymentA}`)).status).toBe(404);
  });
});
