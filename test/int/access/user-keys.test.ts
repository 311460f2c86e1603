/**
 * A person's own key to the inbox: it reads the workspace's queue and transcripts and works conversations
 * as that person (replies carry their user id, the audit log names them), configures nothing, and stops
 * working the moment the person is removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, type TestWorkspace } from '../../support/workspace.js';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem('user-keys');
});
afterAll(async () => {
  await sys?.stop();
});

const conv = (agentId: string, id: string) => `/v1/agents/${agentId}/conversations/${id}`;

/** A workspace with a Support team of Ann and Bob, an agent that hands off to it, and Ann's own key. */
async function team(name: string) {
  const ws = await createTestWorkspace(sys, name);
  const agentId = await ws.createAgent({ articles: [SHIPPING] });
  const support = (await ws.request('POST', '/v1/teams', { name: 'Support' })).body;
  const person = async (who: string) => (await ws.request('POST', '/v1/users', { name: who, email: `${who.toLowerCase()}-${uniqueId('x')}@shop.test`, teamIds: [support.id] })).body;
  const ann = await person('Ann');
  const bob = await person('Bob');
  expect((await ws.request('PATCH', `/v1/agents/${agentId}`, { handoff: { assignTo: { type: 'teams', ids: [support.id] } } })).status).toBe(200);
  const created = await ws.request('POST', '/v1/api-keys', { name: "Ann's inbox", role: 'user', userId: ann.id });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const asAnn = (method: string, path: string, body?: unknown) => sys.request(method, path, body, { authorization: `Bearer ${created.body.key}` });
  return { ws, agentId, support, ann, bob, key: created.body as { id: string; key: string; userId: string }, asAnn };
}

async function handedOff(ws: TestWorkspace, agentId: string) {
  const id = uniqueId('user-key');
  expect((await ws.say(agentId, id, 'Can I talk to a human please?')).body.reply.kind).toBe('handoff');
  return id;
}

describe('a user key', () => {
  it("is made for a person of the workspace and says whose it is; another workspace's or a missing person is a 422 naming userId", async () => {
    const { ws, ann, key, asAnn } = await team('user-key-made');
    expect(key).toMatchObject({ role: 'user', userId: ann.id, key: expect.stringMatching(/^ca_user_[0-9a-z]{32}$/) });
    expect((await ws.request('GET', `/v1/api-keys/${key.id}`)).body).toMatchObject({ role: 'user', userId: ann.id });
    const me = await asAnn('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ role: 'user', workspaceId: ws.id, user: { id: ann.id, name: 'Ann', email: ann.email } });
    expect((await ws.request('GET', '/v1/me')).body).toEqual({ role: 'admin', workspaceId: ws.id });

    const other = await createTestWorkspace(sys, 'user-key-other');
    const stranger = (await other.request('POST', '/v1/users', { name: 'Eve', email: `eve-${uniqueId('x')}@shop.test` })).body;
    for (const body of [
      { name: 'k', role: 'user', userId: 'usr_nobody' },
      { name: 'k', role: 'user', userId: stranger.id },
      { name: 'k', role: 'user' },
      { name: 'k', role: 'admin', userId: ann.id },
    ]) {
      const res = await ws.request('POST', '/v1/api-keys', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.field, JSON.stringify(body)).toBe('userId');
    }
    // Only an admin makes keys: a person cannot make one for themselves or for anyone else.
    expect((await asAnn('POST', '/v1/api-keys', { name: 'mine', role: 'user', userId: ann.id })).status).toBe(403);
  });

  it("reads the workspace's inbox and transcripts, replies as its person, and assigns to anyone, with the person in the audit log", async () => {
    const { ws, agentId, support, ann, bob, asAnn } = await team('user-key-works');
    const id = await handedOff(ws, agentId);

    const inbox = await asAnn('GET', `/v1/conversations?agentId=${agentId}`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.conversations).toEqual([expect.objectContaining({ id, agentId, teamId: support.id })]);
    for (const path of ['/v1/users', '/v1/teams', '/v1/agents', `/v1/agents/${agentId}`, conv(agentId, id), `/v1/users/${bob.id}`]) {
      expect((await asAnn('GET', path)).status, path).toBe(200);
    }

    const replied = await asAnn('POST', `${conv(agentId, id)}/replies`, { text: 'Hi, Ann here. How can I help?' });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);
    expect(replied.body.conversation).toMatchObject({ status: 'assigned', assigneeId: ann.id });
    const transcript = (await asAnn('GET', conv(agentId, id))).body.transcript as any[];
    expect(transcript.at(-1)).toMatchObject({ role: 'human', userId: ann.id, text: 'Hi, Ann here. How can I help?' });
    expect((await asAnn('POST', `${conv(agentId, id)}/replies`, { userId: ann.id, text: 'Still here.' })).status).toBe(201);

    const assigned = await asAnn('POST', `${conv(agentId, id)}/assign`, { userId: bob.id });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'assigned', assigneeId: bob.id });
    const entry = ((await ws.request('GET', '/v1/audit-log')).body.entries as any[]).find((e) => e.action === 'conversation.assigned');
    expect(entry).toMatchObject({ actor: { id: ann.id, name: 'Ann' }, target: { type: 'conversation', id }, details: { agentId, userId: bob.id } });
  });

  it('is refused (403) for replying as someone else and for everything that configures the workspace', async () => {
    const { ws, agentId, support, bob, key, asAnn } = await team('user-key-refused');
    const id = await handedOff(ws, agentId);

    const asBob = await asAnn('POST', `${conv(agentId, id)}/replies`, { userId: bob.id, text: 'Bob here (not really).' });
    expect(asBob.status).toBe(403);
    expect(asBob.body.error).toMatchObject({ code: 'forbidden', field: 'userId' });
    expect(((await ws.request('GET', conv(agentId, id))).body.transcript as any[]).map((t) => t.role)).toEqual(['customer', 'agent']);

    for (const [method, path, body] of [
      ['POST', '/v1/agents', { name: 'Mine' }],
      ['PATCH', `/v1/agents/${agentId}`, { name: 'Renamed' }],
      ['DELETE', `/v1/agents/${agentId}`],
      ['POST', `/v1/agents/${agentId}/sources`, { type: 'text', title: 'x', content: 'y' }],
      ['POST', `/v1/agents/${agentId}/conversations/${id}/messages`, { messageId: 'm1', text: 'hi', channel: 'chat' }],
      ['GET', '/v1/api-keys'],
      ['DELETE', `/v1/api-keys/${key.id}`],
      ['POST', '/v1/webhooks', { url: 'https://example.com/hook', events: ['conversation.assigned'] }],
      ['GET', '/v1/billing'],
      ['GET', '/v1/audit-log'],
      ['POST', '/v1/users', { name: 'Cy', email: 'cy@shop.test' }],
      ['DELETE', `/v1/users/${bob.id}`],
      ['POST', '/v1/teams', { name: 'Mine' }],
      ['DELETE', `/v1/teams/${support.id}`],
      ['POST', '/v1/workspaces', { name: 'Mine' }],
    ] as const) {
      const res = await asAnn(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await ws.request('GET', `/v1/agents/${agentId}`)).body.status).toBe('active');
  });

  it("stops working when its person is removed, and the conversations they owned go back to the team's queue", async () => {
    const { ws, agentId, support, ann, key, asAnn } = await team('user-key-removed');
    const id = await handedOff(ws, agentId);
    expect((await asAnn('POST', `${conv(agentId, id)}/replies`, { text: 'Ann here.' })).body.conversation.assigneeId).toBe(ann.id);

    expect((await ws.request('DELETE', `/v1/users/${ann.id}`)).status).toBe(204);
    for (const path of ['/v1/me', '/v1/conversations']) {
      const refused = await asAnn('GET', path);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code).toBe('unauthorized');
    }
    expect((await ws.request('GET', '/v1/api-keys')).body.apiKeys.map((k: { id: string }) => k.id)).not.toContain(key.id);
    const entry = ((await ws.request('GET', '/v1/audit-log')).body.entries as any[]).find((e) => e.action === 'user.deleted');
    expect(entry.details).toMatchObject({ revokedKeys: [key.id], requeued: [{ agentId, conversationId: id }] });
    const queued = (await ws.request('GET', conv(agentId, id))).body;
    expect(queued).toMatchObject({ status: 'handoff_requested', teamId: support.id });
    expect(queued.assigneeId).toBeUndefined();
  });
});
