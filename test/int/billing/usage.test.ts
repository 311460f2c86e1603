import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAgentReply } from '../../../db/bookkeeping.js';
import { RETURNS, SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace, waitFor, type TestWorkspace } from '../../support/workspace.js';

let sys: TestSystem;
let ws: TestWorkspace;
let shop: string;
let returns: string;
const chat = uniqueId('usage-chat');
const other = uniqueId('usage-other');

const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);
const dayAfterTomorrow = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);

beforeAll(async () => {
  sys = await startTestSystem('usage');
  ws = await createTestWorkspace(sys, 'usage');
  shop = await ws.createAgent({ name: 'Shop', articles: [SHIPPING], settings: { idleTimeoutSeconds: { chat: 1 } } });
  returns = await ws.createAgent({ name: 'Returns', articles: [RETURNS] });

  // Shop: one chat conversation with two replies, closed for idleness and reopened by a third message.
  expect((await ws.say(shop, chat, 'How much is express shipping?')).body.reply).not.toBeNull();
  expect((await ws.say(shop, chat, 'And how long does delivery take?')).body.reply).not.toBeNull();
  await waitFor('the idle chat closing', () => ws.request('GET', `/v1/agents/${shop}/conversations/${chat}`), (r) => r.body.status === 'closed');
  expect((await ws.say(shop, chat, 'Do you ship abroad?')).body.reply).not.toBeNull();
  // Shop: an operator's test conversation. Returns: one chat conversation.
  expect((await ws.say(shop, uniqueId('usage-test'), 'How much is express shipping?', 'test')).body.reply).not.toBeNull();
  expect((await ws.say(returns, other, 'How do refunds work?')).body.reply).not.toBeNull();
});
afterAll(async () => sys?.stop());

describe('usage', () => {
  it('a conversation costs one credit however many replies and reopenings it has; a test conversation costs nothing', async () => {
    const res = await ws.request('GET', '/v1/usage');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      credits: 2,
      conversations: 2,
      byAgent: expect.arrayContaining([
        { agentId: shop, credits: 1, conversations: 1 },
        { agentId: returns, credits: 1, conversations: 1 },
      ]),
    });
    expect(res.body.byAgent).toHaveLength(2);
  });

  it('covers the current calendar month in UTC unless asked otherwise', async () => {
    const res = await ws.request('GET', '/v1/usage');
    const now = new Date();
    expect(res.body.from).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString());
    expect(res.body.to).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
  });

  it('a later reply, or its retried bookkeeping, bills nothing more', async () => {
    const reply = { text: 'Yes, we ship abroad.', kind: 'answer' as const, sources: [], language: 'en', confidence: 1 };
    const insights = { path: [], reason: 'retried', triggers: [], scores: {}, candidates: [], responder: 'fixed_message' as const };
    await recordAgentReply(sys.db, { agentId: shop, conversationId: chat, messageId: uniqueId('retried'), reply, insights });
    expect((await ws.request('GET', '/v1/usage')).body.credits).toBe(2);
  });

  it('counts per UTC day, and a range leaves out what is outside it', async () => {
    // The Returns conversation was billed yesterday (its ledger row moved back a day).
    await sys.db.query(`UPDATE usage_ledger SET created_at = created_at - interval '1 day' WHERE conversation_id = $1`, [other]);
    const res = await ws.request('GET', `/v1/usage?from=${yesterday}&to=${dayAfterTomorrow}`);
    expect(res.status).toBe(200);
    expect(res.body.byDay).toEqual([
      { day: yesterday, credits: 1, conversations: 1 },
      { day: today, credits: 1, conversations: 1 },
    ]);
    const onlyToday = await ws.request('GET', `/v1/usage?from=${today}&to=${dayAfterTomorrow}`);
    expect(onlyToday.body).toMatchObject({ credits: 1, conversations: 1, byAgent: [{ agentId: shop, credits: 1, conversations: 1 }] });
  });

  it('another workspace sees none of it', async () => {
    const res = await sys.request('GET', '/v1/usage');
    expect(res.body).toMatchObject({ credits: 0, conversations: 0, byAgent: [], byDay: [] });
  });

  it.each([
    ['a word for a date', 'from=yesterday', 'from'],
    ['a day that does not exist', 'to=2026-02-30', 'to'],
    ['a date-time without an offset', 'from=2026-03-01T09:30:00', 'from'],
    ['an end before the start', 'from=2026-03-02&to=2026-03-01', 'to'],
    ['an empty range', 'from=2026-03-01T00:00:00Z&to=2026-03-01', 'to'],
  ])('%s → 422 naming the field', async (_name, qs, field) => {
    const res = await ws.request('GET', `/v1/usage?${qs}`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
  });

  it('is for admins: a channel key gets 403', async () => {
    const key = await ws.request('POST', '/v1/api-keys', { name: 'channel', role: 'channel' });
    const res = await sys.request('GET', '/v1/usage', undefined, { authorization: `Bearer ${key.body.key}` });
    expect(res.status).toBe(403);
  });
});
