import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ARTICLES, RETURNS, SHIPPING } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

let sys: TestSystem;

beforeAll(async () => { sys = await startTestSystem('sources-api'); });
afterAll(async () => sys?.stop());

async function addSource(agentId: string, body: Record<string, unknown>): Promise<string> {
  const res = await sys.request('POST', `/v1/agents/${agentId}/sources`, body);
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const list = (agentId: string, query = '') => sys.request('GET', `/v1/agents/${agentId}/sources${query}`);

describe('listing and filtering sources', () => {
  it('lists each source with its kind, whether it is enabled, its status and when it changed', async () => {
    const agentId = await sys.createAgent();
    const id = await addSource(agentId, { type: SHIPPING.type, title: SHIPPING.title, content: SHIPPING.content, url: SHIPPING.url });
    const res = await list(agentId);
    expect(res.status).toBe(200);
    expect(res.body.sources).toEqual([{
      id, type: 'markdown', kind: 'article', title: SHIPPING.title, url: SHIPPING.url, status: 'ready', enabled: true,
      chunks: expect.any(Number), createdAt: expect.any(String), updatedAt: expect.any(String),
    }]);
    const one = await sys.request('GET', `/v1/agents/${agentId}/sources/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, kind: 'article', enabled: true });
  });

  it('filters by kind, type, status and enabled', async () => {
    const agentId = await sys.createAgent();
    const article = await addSource(agentId, { type: 'markdown', title: RETURNS.title, content: RETURNS.content });
    const post = await addSource(agentId, { type: 'text', kind: 'blog_post', title: 'Our new warehouse', content: 'We opened a new warehouse in Aarhus this spring.' });
    const sa = await sys.request('POST', `/v1/agents/${agentId}/short-answers`, { question: 'Do you have a warehouse?', answer: 'Yes, in Aarhus.' });
    expect(sa.status).toBe(201);

    const ids = async (query: string) => {
      const res = await list(agentId, query);
      expect(res.status).toBe(200);
      return (res.body.sources as { id: string }[]).map((s) => s.id).sort();
    };
    expect(await ids('?kind=blog_post')).toEqual([post]);
    expect(await ids('?kind=article')).toEqual([article]);
    expect(await ids('?kind=short_answer')).toEqual([sa.body.id]);
    expect(await ids('?type=text')).toEqual([post]);
    expect(await ids('?status=ready')).toEqual([article, post, sa.body.id].sort());
    expect(await ids('?status=failed')).toEqual([]);
    expect(await ids('?kind=article&status=ready')).toEqual([article]);

    const patched = await sys.request('PATCH', `/v1/agents/${agentId}/sources/${post}`, { enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: post, enabled: false, kind: 'blog_post' });
    expect(await ids('?enabled=false')).toEqual([post]);
    expect(await ids('?enabled=true&kind=blog_post')).toEqual([]);
  });

  it('changes a source’s kind and title, and citations show the new title', async () => {
    const agentId = await sys.createAgent();
    const id = await addSource(agentId, { type: SHIPPING.type, title: SHIPPING.title, content: SHIPPING.content });
    const res = await sys.request('PATCH', `/v1/agents/${agentId}/sources/${id}`, { kind: 'landing_page', title: 'Delivery at a glance' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'landing_page', title: 'Delivery at a glance' });
    const reply = (await say(sys, agentId, uniqueId('retitled'), 'How long does standard delivery take?')).body.reply;
    expect(reply.kind).toBe('answer');
    expect(reply.sources[0]).toMatchObject({ id, title: 'Delivery at a glance', kind: 'landing_page' });
  });
});

describe('refusing bad filters and bodies', () => {
  it.each([
    ['?kind=podcast', 'kind'],
    ['?status=done', 'status'],
    ['?type=pdf', 'type'],
    ['?enabled=yes', 'enabled'],
  ])('GET sources%s is refused naming %s', async (query, field) => {
    const agentId = await sys.createAgent();
    const res = await list(agentId, query);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    expect(res.body.error.message).toContain(field);
  });

  it('refuses bad source changes naming the field, and changes nothing', async () => {
    const agentId = await sys.createAgent();
    const id = await addSource(agentId, { type: 'text', title: 'Opening hours', content: 'We are open 9 to 17 on weekdays.' });
    const cases: [unknown, number, string | undefined][] = [
      [{ enabled: 'no' }, 422, 'enabled'],
      [{ kind: 'podcast' }, 422, 'kind'],
      [{ kind: 'short_answer' }, 422, 'kind'],
      [{ title: '  ' }, 422, 'title'],
      [{ colour: 'red' }, 422, undefined],
      [{}, 422, undefined],
    ];
    for (const [body, status, field] of cases) {
      const res = await sys.request('PATCH', `/v1/agents/${agentId}/sources/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (field) expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
    const missing = await sys.request('PATCH', `/v1/agents/${agentId}/sources/src_missing`, { enabled: false });
    expect(missing.status).toBe(404);
    expect(missing.body.error.field).toBe('sourceId');
    expect((await sys.request('GET', `/v1/agents/${agentId}/sources/${id}`)).body).toMatchObject({ title: 'Opening hours', enabled: true, kind: 'article' });
  });

  it('refuses a source of an unknown type or kind naming the field', async () => {
    const agentId = await sys.createAgent();
    const badType = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'pdf', title: 'x', content: 'y' });
    expect(badType.status).toBe(422);
    expect(badType.body.error.field).toBe('type');
    const badKind = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'text', kind: 'podcast', title: 'x', content: 'y' });
    expect(badKind.status).toBe(422);
    expect(badKind.body.error.field).toBe('kind');
    expect((await list(agentId)).body.sources).toEqual([]);
  });
});

describe('disabling a source', () => {
  it('removes it from answers without deleting it, and enabling it brings it back', async () => {
    const agentId = await sys.createAgent({ articles: ALL_ARTICLES });
    const sources = (await list(agentId)).body.sources as { id: string; title: string }[];
    const returns = sources.find((s) => s.title === RETURNS.title)!;
    const ask = async () => (await say(sys, agentId, uniqueId('disable'), 'How many days do I have to return unused items?')).body.reply;

    const before = await ask();
    expect(before.kind).toBe('answer');
    expect(before.sources.map((s: { id: string }) => s.id)).toContain(returns.id);

    expect((await sys.request('PATCH', `/v1/agents/${agentId}/sources/${returns.id}`, { enabled: false })).status).toBe(200);
    const disabled = await ask();
    expect(disabled.sources.map((s: { id: string }) => s.id)).not.toContain(returns.id);
    expect(disabled.text).not.toMatch(/within 30 days of delivery/);
    const kept = await sys.request('GET', `/v1/agents/${agentId}/sources/${returns.id}`);
    expect(kept.body).toMatchObject({ enabled: false, status: 'ready', chunks: expect.any(Number) });
    expect(kept.body.chunks).toBeGreaterThan(0);

    expect((await sys.request('PATCH', `/v1/agents/${agentId}/sources/${returns.id}`, { enabled: true })).status).toBe(200);
    const restored = await ask();
    expect(restored.kind).toBe('answer');
    expect(restored.sources.map((s: { id: string }) => s.id)).toContain(returns.id);
  });
});
