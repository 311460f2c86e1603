/**
 * Keys, workspaces and widgets as a business uses them: keys shown once and revoked at once, tenants that
 * never see each other, a widget that only works from its site and only on its own conversations.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PASSWORD, SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

const SITE = 'https://shop.example.test';
let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem('access');
});
afterAll(async () => {
  await sys?.stop();
});

const bearer = (key: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, ...extra });

/**
 * Limits count in fixed one-minute windows (db/rate-limits.ts): a sequence that must fall in one window
 * starts at least 20 s before the window ends.
 */
async function inOneWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 20_000) await new Promise((r) => setTimeout(r, left + 100));
}

describe('API keys', () => {
  it('are shown once, listed by prefix only, never logged, and refused from the next request after deletion', async () => {
    const logged: string[] = [];
    const spies = (['log', 'error', 'warn', 'info'] as const).map((m) => vi.spyOn(console, m).mockImplementation((...a) => { logged.push(a.map(String).join(' ')); }));
    try {
      const created = await sys.request('POST', '/v1/api-keys', { name: 'reporting', role: 'admin' });
      expect(created.status).toBe(201);
      const { id, key, prefix } = created.body;
      expect(key).toMatch(/^ca_admin_[0-9a-z]{32}$/);
      expect(key.startsWith(prefix)).toBe(true);
      expect(prefix.length).toBeLessThan(key.length - 20);

      expect((await sys.request('GET', '/v1/agents', undefined, bearer(key))).status).toBe(200);
      const one = await sys.request('GET', `/v1/api-keys/${id}`);
      const list = await sys.request('GET', '/v1/api-keys');
      const auditLog = await sys.request('GET', '/v1/audit-log');
      for (const body of [one.body, list.body, auditLog.body]) expect(JSON.stringify(body)).not.toContain(key);
      expect(list.body.apiKeys.map((k: { id: string }) => k.id)).toContain(id);
      expect(auditLog.body.entries[0]).toMatchObject({ action: 'key.created', target: { type: 'api_key', id }, actor: { id: 'root' } });

      expect((await sys.request('DELETE', `/v1/api-keys/${id}`)).status).toBe(204);
      const refused = await sys.request('GET', '/v1/agents', undefined, bearer(key));
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('unauthorized');
      expect((await sys.request('GET', '/v1/api-keys')).body.apiKeys.map((k: { id: string }) => k.id)).not.toContain(id);
      expect(logged.join('\n')).not.toContain(key);
      expect(logged.join('\n')).not.toContain(sys.rootKey);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it('are refused with a 422 naming the field when they make no sense', async () => {
    const noOrigins = await sys.request('POST', '/v1/api-keys', { name: 'w', role: 'widget' });
    expect(noOrigins.status).toBe(422);
    expect(noOrigins.body.error.field).toBe('allowedOrigins');
    const badOrigin = await sys.request('POST', '/v1/api-keys', { name: 'w', role: 'widget', allowedOrigins: ['https://shop.example.test/path'] });
    expect(badOrigin.body.error.field).toBe('allowedOrigins.0');
    const strangers = await sys.request('POST', '/v1/api-keys', { name: 'c', role: 'channel', agentIds: ['agt_nobody'] });
    expect(strangers.status).toBe(422);
    expect(strangers.body.error.field).toBe('agentIds');
    const role = await sys.request('POST', '/v1/api-keys', { name: 'x', role: 'owner' });
    expect(role.body.error.field).toBe('role');
  });

  it('a missing or malformed Authorization header is a 401 that says how to send the key', async () => {
    const none = await sys.request('GET', '/v1/agents', undefined, { authorization: '' });
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/Authorization: Bearer/);
    const basic = await sys.request('GET', '/v1/agents', undefined, { authorization: 'Basic abc' });
    expect(basic.status).toBe(401);
    // Public routes need no key.
    expect((await sys.request('GET', '/healthz', undefined, { authorization: '' })).status).toBe(200);
    expect((await sys.request('GET', '/openapi.json', undefined, { authorization: '' })).status).toBe(200);
  });
});

describe('workspaces', () => {
  it('only the root key makes them, and two workspaces never see each other’s agents, knowledge or conversations', async () => {
    const created = await sys.request('POST', '/v1/workspaces', { name: 'Nordic Boots' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^ws_/), name: 'Nordic Boots', adminKey: expect.stringMatching(/^ca_admin_/) });
    const b = bearer(created.body.adminKey);
    expect((await sys.request('POST', '/v1/workspaces', { name: 'nested' }, b)).status).toBe(403);

    // Workspace A (the root key's default workspace) has an agent with knowledge and a conversation.
    const agentA = await sys.createAgent({ name: 'Shop A', articles: [SHIPPING] });
    const conv = uniqueId('tenant');
    const said = await sys.request('POST', `/v1/agents/${agentA}/conversations/${conv}/messages`, {
      messageId: 'm1', text: 'How long does standard delivery take?', channel: 'chat', customer: { email: 'ann@example.test' },
    });
    expect(said.status).toBe(200);

    // Workspace B's admin makes its own agent and sees only that.
    const agentB = await sys.request('POST', '/v1/agents', { name: 'Shop B' }, b);
    expect(agentB.status).toBe(201);
    expect(agentB.body.workspaceId).toBe(created.body.id);
    const listB = await sys.request('GET', '/v1/agents', undefined, b);
    expect(listB.body.agents.map((a: { id: string }) => a.id)).toEqual([agentB.body.id]);
    const listA = await sys.request('GET', '/v1/agents?limit=200');
    expect(listA.body.agents.map((a: { id: string }) => a.id)).not.toContain(agentB.body.id);

    for (const [method, path] of [
      ['GET', `/v1/agents/${agentA}`],
      ['GET', `/v1/agents/${agentA}/sources`],
      ['GET', `/v1/agents/${agentA}/conversations/${conv}`],
      ['PATCH', `/v1/agents/${agentA}`],
      ['POST', `/v1/agents/${agentA}/conversations/${conv}/messages`],
    ] as const) {
      const res = await sys.request(method, path, method === 'GET' ? undefined : { name: 'taken', messageId: 'x', text: 'hi', channel: 'chat' }, b);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('ann@example.test');
    }
    // Nor do B's keys, audit log or agents reach A's.
    expect(JSON.stringify((await sys.request('GET', '/v1/audit-log', undefined, b)).body)).not.toContain(agentA);
    const keyForA = await sys.request('POST', '/v1/api-keys', { name: 'c', role: 'channel', agentIds: [agentA] }, b);
    expect(keyForA.status).toBe(422);
    // Root can act in B by naming it.
    const asRoot = await sys.request('GET', '/v1/agents', undefined, { 'x-workspace-id': created.body.id });
    expect(asRoot.body.agents.map((a: { id: string }) => a.id)).toEqual([agentB.body.id]);
  });
});

describe('a channel key', () => {
  it('sends messages and reads conversations of its own agents only, and configures nothing', async () => {
    const mine = await sys.createAgent({ name: 'Mine', articles: [SHIPPING] });
    const other = await sys.createAgent({ name: 'Other', articles: [SHIPPING] });
    const key = (await sys.request('POST', '/v1/api-keys', { name: 'adapter', role: 'channel', agentIds: [mine] })).body.key;
    const h = bearer(key);
    const conv = uniqueId('chan');
    const sent = await sys.request('POST', `/v1/agents/${mine}/conversations/${conv}/messages`, { messageId: 'c1', text: 'How long does standard delivery take?', channel: 'chat' }, h);
    expect(sent.status).toBe(200);
    expect(sent.body.reply.text).toMatch(/2 to 4 working days/);
    expect(sent.body.conversation.token).toBeUndefined();
    expect((await sys.request('GET', `/v1/agents/${mine}/conversations/${conv}`, undefined, h)).status).toBe(200);
    expect((await sys.request('POST', `/v1/agents/${other}/conversations/${conv}/messages`, { messageId: 'c2', text: 'hi', channel: 'chat' }, h)).status).toBe(403);
    expect((await sys.request('POST', `/v1/agents/${mine}/sources`, { type: 'text', title: 't', content: 'x' }, h)).status).toBe(403);
    expect((await sys.request('GET', '/v1/agents', undefined, h)).status).toBe(403);
  });
});

describe('a widget key on a customer’s site', () => {
  let agentId: string;
  let key: string;
  beforeAll(async () => {
    agentId = await sys.createAgent({ name: 'Widget Shop', articles: [SHIPPING, PASSWORD] });
    key = (await sys.request('POST', '/v1/api-keys', { name: 'site', role: 'widget', agentIds: [agentId], allowedOrigins: [SITE] })).body.key;
  });
  const fromSite = (extra: Record<string, string> = {}) => bearer(key, { origin: SITE, ...extra });
  const message = (messageId: string, text: string) => ({ messageId, text, channel: 'chat' });

  it('gets a conversation token with the first reply, needs it afterwards, and a retried first message gets it again', async () => {
    const conv = uniqueId('widget');
    const path = `/v1/agents/${agentId}/conversations/${conv}`;
    const first = await sys.request('POST', `${path}/messages`, message('w1', 'How do I reset my password?'), fromSite());
    expect(first.status).toBe(200);
    const token = first.body.conversation.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const retried = await sys.request('POST', `${path}/messages`, message('w1', 'How do I reset my password?'), fromSite());
    expect(retried.body.conversation.token).toBe(token);
    expect(retried.body.reply).toEqual(first.body.reply);

    const noToken = await sys.request('POST', `${path}/messages`, message('w2', 'And shipping?'), fromSite());
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.field).toBe('x-conversation-token');
    const wrong = await sys.request('GET', path, undefined, fromSite({ 'x-conversation-token': `${token.slice(0, -2)}xx` }));
    expect(wrong.status).toBe(403);
    const next = await sys.request('POST', `${path}/messages`, message('w2', 'How long does standard delivery take?'), fromSite({ 'x-conversation-token': token }));
    expect(next.status).toBe(200);
    const read = await sys.request('GET', path, undefined, fromSite({ 'x-conversation-token': token }));
    expect(read.status).toBe(200);
    expect(read.body.transcript).toHaveLength(4);
  });

  it('cannot reach conversations it did not start, nor send on other channels, nor be used from another site', async () => {
    const adminConv = uniqueId('by-admin');
    await sys.request('POST', `/v1/agents/${agentId}/conversations/${adminConv}/messages`, message('a1', 'How do I reset my password?'));
    const hijack = await sys.request('POST', `/v1/agents/${agentId}/conversations/${adminConv}/messages`, message('w9', 'hello'), fromSite());
    expect(hijack.status).toBe(404);
    expect((await sys.request('GET', `/v1/agents/${agentId}/conversations/${adminConv}`, undefined, fromSite())).status).toBe(404);

    const otherKey = (await sys.request('POST', '/v1/api-keys', { name: 'site 2', role: 'widget', agentIds: [agentId], allowedOrigins: [SITE] })).body.key;
    const mine = uniqueId('widget-a');
    const first = await sys.request('POST', `/v1/agents/${agentId}/conversations/${mine}/messages`, message('x1', 'How do I reset my password?'), fromSite());
    const stolen = await sys.request('GET', `/v1/agents/${agentId}/conversations/${mine}`, undefined,
      bearer(otherKey, { origin: SITE, 'x-conversation-token': first.body.conversation.token }));
    expect(stolen.status).toBe(404);

    const test = await sys.request('POST', `/v1/agents/${agentId}/conversations/${uniqueId('t')}/messages`, { ...message('t1', 'hi'), channel: 'test' }, fromSite());
    expect(test.status).toBe(403);
    expect(test.body.error.field).toBe('channel');
    const evil = await sys.request('POST', `/v1/agents/${agentId}/conversations/${uniqueId('e')}/messages`, message('e1', 'hi'), bearer(key, { origin: 'https://evil.example.test' }));
    expect(evil.status).toBe(403);
    expect(evil.body.error.message).toMatch(/allowedOrigins/);
    expect((await sys.request('GET', `/v1/agents/${agentId}/sources`, undefined, fromSite())).status).toBe(403);
  });

  it('CORS answers preflights from its allowed origins only', async () => {
    const preflight = (origin: string) => fetch(`${sys.url}/v1/agents/${agentId}/conversations/c/messages`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-conversation-token' },
    });
    const ok = await preflight(SITE);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-conversation-token');
    const other = await preflight('https://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('agents', () => {
  it('are listed page by page, paused agents hand the conversation to people, and archived ones leave the list', async () => {
    const ws = await sys.request('POST', '/v1/workspaces', { name: 'Paging' });
    const h = bearer(ws.body.adminKey);
    const ids: string[] = [];
    for (const name of ['One', 'Two', 'Three']) ids.push((await sys.request('POST', '/v1/agents', { name }, h)).body.id);
    const page1 = await sys.request('GET', '/v1/agents?limit=2', undefined, h);
    expect(page1.body.agents.map((a: { name: string }) => a.name)).toEqual(['One', 'Two']);
    const page2 = await sys.request('GET', `/v1/agents?limit=2&cursor=${page1.body.nextCursor}`, undefined, h);
    expect(page2.body.agents.map((a: { name: string }) => a.name)).toEqual(['Three']);
    expect(page2.body.nextCursor).toBeUndefined();
    expect((await sys.request('GET', '/v1/agents?cursor=bogus', undefined, h)).body.error.field).toBe('cursor');

    await sys.request('POST', `/v1/agents/${ids[0]}/sources`, { type: 'markdown', title: SHIPPING.title, content: SHIPPING.content }, h);
    const paused = await sys.request('PATCH', `/v1/agents/${ids[0]}`, { status: 'paused', name: 'One (paused)' }, h);
    expect(paused.body).toMatchObject({ status: 'paused', name: 'One (paused)' });
    const conv = uniqueId('paused');
    const said = await sys.request('POST', `/v1/agents/${ids[0]}/conversations/${conv}/messages`, { messageId: 'p1', text: 'How long does standard delivery take?', channel: 'chat' }, h);
    expect(said.status).toBe(200);
    // A paused agent does not answer from its knowledge: the conversation goes to people, and the customer is told.
    expect(said.body.reply).toMatchObject({ kind: 'handoff', text: expect.stringMatching(/a person will reply/) });
    expect(said.body.conversation.status).toBe('handoff_requested');
    const transcript = await sys.request('GET', `/v1/agents/${ids[0]}/conversations/${conv}`, undefined, h);
    expect(transcript.body.transcript.map((t: { role: string }) => t.role)).toEqual(['customer', 'system']);
    expect(transcript.body.transcript[0].text).toBe('How long does standard delivery take?');

    await sys.request('PATCH', `/v1/agents/${ids[0]}`, { status: 'active' }, h);
    const answered = await sys.request('POST', `/v1/agents/${ids[0]}/conversations/${uniqueId('active')}/messages`, { messageId: 'p2', text: 'How long does standard delivery take?', channel: 'chat' }, h);
    expect(answered.body.reply.text).toMatch(/2 to 4 working days/);

    const archived = await sys.request('DELETE', `/v1/agents/${ids[1]}`, undefined, h);
    expect(archived.body.status).toBe('archived');
    expect((await sys.request('GET', '/v1/agents', undefined, h)).body.agents.map((a: { id: string }) => a.id)).not.toContain(ids[1]);
    expect((await sys.request('GET', '/v1/agents?status=archived', undefined, h)).body.agents.map((a: { id: string }) => a.id)).toEqual([ids[1]]);

    const log = await sys.request('GET', '/v1/audit-log?limit=3', undefined, h);
    expect(log.body.entries.map((e: { action: string }) => e.action)).toEqual(['agent.archived', 'agent.updated', 'agent.updated']);
    expect(log.body.entries[1].details).toMatchObject({ changes: { status: 'active' } });
    const older = await sys.request('GET', `/v1/audit-log?limit=50&cursor=${log.body.nextCursor}`, undefined, h);
    expect(older.body.entries.map((e: { action: string }) => e.action)).toEqual(['source.created', 'agent.created', 'agent.created', 'agent.created', 'workspace.created']);
  });
});

describe('an agent’s personality and language', () => {
  it('are changed by PATCH and read back from the agent and its public profile; a null personality clears it', async () => {
    const agentId = await sys.createAgent({ name: 'Tone Shop' });
    const personality = 'Warm and brief. Sign off with "Hilsen, Tone Shop".';
    const changed = await sys.request('PATCH', `/v1/agents/${agentId}`, { personality, defaultLanguage: 'da' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ personality, defaultLanguage: 'da', name: 'Tone Shop' });
    expect((await sys.request('GET', `/v1/agents/${agentId}`)).body).toMatchObject({ personality, defaultLanguage: 'da' });
    expect((await sys.request('GET', `/v1/agents/${agentId}/profile`)).body).toMatchObject({ defaultLanguage: 'da' });

    const cleared = await sys.request('PATCH', `/v1/agents/${agentId}`, { personality: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.personality).toBeUndefined();
    expect((await sys.request('GET', `/v1/agents/${agentId}`)).body).toMatchObject({ defaultLanguage: 'da' });
    expect((await sys.request('GET', `/v1/agents/${agentId}`)).body.personality).toBeUndefined();

    const badLanguage = await sys.request('PATCH', `/v1/agents/${agentId}`, { defaultLanguage: 'danish' });
    expect(badLanguage.status).toBe(422);
    expect(badLanguage.body.error.field).toBe('defaultLanguage');
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After once a key or a widget visitor sends too much', async () => {
    // Behind a proxy (TRUST_PROXY), a widget visitor's address is the first X-Forwarded-For entry.
    const limited = await startTestSystem('rate', { RATE_LIMIT_PER_MINUTE: '4', WIDGET_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' });
    try {
      const admin = (await limited.request('POST', '/v1/api-keys', { name: 'a', role: 'admin' })).body.key;
      await inOneWindow();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.request('GET', '/v1/agents', undefined, bearer(admin))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      const refused = await fetch(`${limited.url}/v1/agents`, { headers: bearer(admin) });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as any).error.code).toBe('rate_limited');
      // The root key (the operator's own) is not limited.
      expect((await limited.request('GET', '/v1/agents')).status).toBe(200);

      const agentId = await limited.createAgent({ name: 'Busy' });
      const widget = (await limited.request('POST', '/v1/api-keys', { name: 'w', role: 'widget', agentIds: [agentId], allowedOrigins: [SITE] })).body.key;
      const visitor = (address: string) => limited.request('GET', `/v1/agents/${agentId}/profile`, undefined, bearer(widget, { origin: SITE, 'x-forwarded-for': `${address}, 10.0.0.1` }));
      await inOneWindow();
      const w = [];
      for (let i = 0; i < 3; i++) w.push(await visitor('198.51.100.7'));
      expect(w.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(w[2]!.body.error.message).toMatch(/from one address/);
      expect(Number(w[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another visitor of the same site keeps its own budget…
      expect((await visitor('198.51.100.8')).status).toBe(200);
      // …within the key's own limit, which all its visitors share (4 a minute; this is the fifth request).
      const keyLimited = await visitor('198.51.100.9');
      expect(keyLimited.status).toBe(429);
      expect(keyLimited.body.error.message).toMatch(/for this key/);
    } finally {
      await limited.stop();
    }
  });
});
