import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { upload } from '../files/helpers.js';

let sys: TestSystem;
let agentId: string;

beforeAll(async () => {
  sys = await startTestSystem('validation');
  agentId = await sys.createAgent({ articles: [SHIPPING] });
});
afterAll(async () => sys?.stop());

async function rowCounts() {
  const { rows } = await sys.db.query<{ conversations: string; messages: string; agents: string; sources: string }>(
    `SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages,
            (SELECT count(*) FROM agents) AS agents, (SELECT count(*) FROM sources) AS sources`,
  );
  return rows[0];
}

describe('bad input is refused with a 4xx that names the field, and nothing is written', () => {
  const cases: Array<[string, (conv: string) => { path?: string; body: unknown; raw?: boolean }, number, string, string | undefined]> = [
    ['empty text', () => ({ body: { messageId: 'x1', text: '   ', channel: 'chat' } }), 422, 'invalid_request', 'text'],
    ['text over 8 KB', () => ({ body: { messageId: 'x2', text: 'a'.repeat(8 * 1024 + 1), channel: 'chat' } }), 413, 'payload_too_large', 'text'],
    ['text of the wrong type', () => ({ body: { messageId: 'x3', text: 42, channel: 'chat' } }), 422, 'invalid_request', 'text'],
    ['an unknown channel', () => ({ body: { messageId: 'x4', text: 'hi', channel: 'fax' } }), 422, 'invalid_request', 'channel'],
    ['a missing message id', () => ({ body: { text: 'hi', channel: 'chat' } }), 422, 'invalid_request', 'messageId'],
    ['a malformed customer email', () => ({ body: { messageId: 'x5', text: 'hi', channel: 'chat', customer: { email: 'not-an-email' } } }), 422, 'invalid_request', 'customer.email'],
    ['malformed JSON', () => ({ body: '{"messageId": "x6", "text": ', raw: true }), 400, 'malformed_json', undefined],
    ['an unknown agent', (conv) => ({ path: `/v1/agents/agt_nope/conversations/${conv}/messages`, body: { messageId: 'x7', text: 'hi', channel: 'chat' } }), 404, 'agent_not_found', 'agentId'],
    ['a conversation id with spaces', () => ({ path: `/v1/agents/${agentId}/conversations/has%20space/messages`, body: { messageId: 'x8', text: 'hi', channel: 'chat' } }), 422, 'invalid_request', 'conversationId'],
  ];

  for (const [name, make, status, code, field] of cases) {
    it(`${name} → ${status}`, async () => {
      const before = await rowCounts();
      const conv = uniqueId('bad');
      const { path, body } = make(conv);
      const res = await sys.request('POST', path ?? `/v1/agents/${agentId}/conversations/${conv}/messages`, body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (field) expect(res.body.error.field).toBe(field);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/);
      expect(await rowCounts()).toEqual(before);
    });
  }

  it('an agent without a name → 422 naming name', async () => {
    const res = await sys.request('POST', '/v1/agents', { personality: 'cheerful' });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('name');
  });

  it('a pasted source whose url is not a web address (javascript:, data:, file:) → 422 naming url, and no source is stored', async () => {
    for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.com/a']) {
      const before = await rowCounts();
      const res = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'markdown', title: 'Linked', content: 'Some text.', url });
      expect(res.status, url).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'url' });
      expect(await rowCounts()).toEqual(before);
    }
    const ok = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'markdown', title: 'Linked', content: 'Some text.', url: 'https://help.example.com/a' });
    expect(ok.status).toBe(201);
  });

  it('a source with an empty content → 422 naming content, and no source is stored', async () => {
    const before = await rowCounts();
    const res = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'markdown', title: 'Empty', content: '' });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('content');
    expect(await rowCounts()).toEqual(before);
  });
});

describe('text the database cannot store (a NUL, a lone surrogate) is refused at the edge, naming the field', () => {
  const post = (conv: string, body: unknown) => sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, body);

  const cases: Array<[string, () => Promise<{ status: number; body: any }>, string]> = [
    ['a NUL in a message', () => post(uniqueId('nul'), { messageId: 'n1', text: 'hello\u0000world', channel: 'chat' }), 'text'],
    ['a lone surrogate in a message', () => post(uniqueId('sur'), { messageId: 'n2', text: 'hello \ud800 world', channel: 'chat' }), 'text'],
    ['a NUL in the customer\'s name', () => post(uniqueId('cust'), { messageId: 'n3', text: 'hi', channel: 'chat', customer: { name: 'Ann\u0000' } }), 'customer.name'],
    ['a NUL in an agent\'s name', () => sys.request('POST', '/v1/agents', { name: 'Shop\u0000' }), 'name'],
    ['a lone surrogate in a short answer\'s alternate', () => sys.request('POST', `/v1/agents/${agentId}/short-answers`, { question: 'Hours?', answer: '9-5', alternates: ['ok', '\udc00'] }), 'alternates.1'],
    ['a NUL in a source\'s content', () => sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'text', title: 'T', content: 'a\u0000b' }), 'content'],
    ['a NUL in a path parameter', () => sys.request('GET', '/v1/agents/agt%00x'), 'agentId'],
    ['a NUL in a query parameter', () => sys.request('GET', `/v1/agents/${agentId}/sources?parentId=src%00`), 'parentId'],
    ['a NUL in an enum query parameter', () => sys.request('GET', `/v1/agents/${agentId}/sources?kind=article%00`), 'kind'],
    ['a NUL in an upload\'s title', () => upload(sys, agentId, [{ name: 'a.txt', bytes: new TextEncoder().encode('Opening hours are 9 to 5.') }], { title: 'Hours\u0000' }), 'title'],
  ];

  for (const [name, send, field] of cases) {
    it(`${name} → 422 naming ${field}, nothing written`, async () => {
      const before = await rowCounts();
      const res = await send();
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
      expect(res.body.error.message).toMatch(/NUL character or an unpaired UTF-16 surrogate/);
      expect(await rowCounts()).toEqual(before);
    });
  }

  it('the conversation a refused message was meant for answers the next message', async () => {
    const conv = uniqueId('after-nul');
    expect((await post(conv, { messageId: 'n1', text: 'How long does standard delivery\u0000 take?', channel: 'chat' })).status).toBe(422);
    const res = await post(conv, { messageId: 'n2', text: 'How long does standard delivery take?', channel: 'chat' });
    expect(res.status).toBe(200);
    expect(res.body.reply.kind).toBe('answer');
  });
});

describe('the API document', () => {
  it('describes every route with its request schema', async () => {
    const res = await sys.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const messages = res.body.paths['/v1/agents/{agentId}/conversations/{conversationId}/messages'].post;
    expect(messages.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['messageId', 'text', 'channel']));
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/agents', '/v1/agents/{agentId}/sources/{sourceId}']));
  });
});

describe('knowledge sources', () => {
  it('are listed, and a deleted one is no longer cited', async () => {
    const agent = await sys.createAgent({ articles: [SHIPPING] });
    const list = await sys.request('GET', `/v1/agents/${agent}/sources`);
    expect(list.body.sources).toHaveLength(1);
    const [source] = list.body.sources;
    expect(source).toMatchObject({ title: SHIPPING.title, chunks: expect.any(Number) });

    const del = await sys.request('DELETE', `/v1/agents/${agent}/sources/${source.id}`);
    expect(del.status).toBe(204);
    const res = await sys.request('POST', `/v1/agents/${agent}/conversations/${uniqueId('c')}/messages`, { messageId: 'q', text: 'How long does standard delivery take?', channel: 'chat' });
    expect(res.body.reply.sources).toEqual([]);
    expect(res.body.reply.kind).not.toBe('answer');
  });
});
