/**
 * A long conversation's transcript comes in pages (GET …/conversations/:id?limit=&cursor=), oldest first,
 * so reading a 2,000-entry conversation is many small answers instead of one of megabytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMessage } from '../../../db/conversations.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

let sys: TestSystem;
let agentId: string;
let conv: string;
const path = () => `/v1/agents/${agentId}/conversations/${conv}`;

/** Adds `n` customer messages straight to the transcript (as many turns would). */
async function addMessages(from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    await recordMessage(sys.db, { agentId, conversationId: conv, messageId: `bulk-${String(i).padStart(4, '0')}`, role: 'customer', text: `message ${i}` });
  }
}

async function readAll(limit?: number, between?: (page: number) => Promise<void>): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams({ ...(limit ? { limit: String(limit) } : {}), ...(cursor ? { cursor } : {}) });
    const res = await sys.request('GET', `${path()}?${params}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: conv, agentId, status: expect.any(String), workflowId: expect.any(String) });
    ids.push(...res.body.transcript.map((t: { messageId: string; role: string }) => `${t.messageId}:${t.role}`));
    pages.push(res.body.transcript.length);
    cursor = res.body.nextCursor;
    await between?.(pages.length);
  } while (cursor);
  return { ids, pages };
}

beforeAll(async () => {
  sys = await startTestSystem('transcript-pages');
  agentId = await sys.createAgent({ articles: [SHIPPING] });
  conv = uniqueId('long');
  expect((await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'first' })).status).toBe(200);
  await addMessages(0, 248);
});
afterAll(async () => sys?.stop());

describe('a long transcript', () => {
  it('comes 100 entries at a time by default, oldest first, with a cursor to the next page until the last', async () => {
    const first = await sys.request('GET', path());
    expect(first.body.transcript).toHaveLength(100);
    expect(first.body.transcript.slice(0, 2).map((t: { role: string }) => t.role)).toEqual(['customer', 'agent']);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const { ids, pages } = await readAll();
    expect(pages).toEqual([100, 100, 50]);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(ids.slice(0, 3)).toEqual(['first:customer', 'first:agent', 'bulk-0000:customer']);
    expect(ids.at(-1)).toBe('bulk-0247:customer');
  });

  it('takes a page size up to 500, and a short conversation needs no cursor', async () => {
    expect((await readAll(500)).pages).toEqual([250]);
    expect((await readAll(7)).ids).toHaveLength(250);
    const short = uniqueId('short');
    await say(sys, agentId, short, 'How long does standard delivery take?');
    const res = await sys.request('GET', `/v1/agents/${agentId}/conversations/${short}`);
    expect(res.body.transcript).toHaveLength(2);
    expect(res.body).not.toHaveProperty('nextCursor');
  });

  it('never repeats or skips an entry while messages arrive between pages', async () => {
    const { ids } = await readAll(60, async (page) => {
      if (page === 1) await addMessages(248, 5);
    });
    expect(ids).toHaveLength(255);
    expect(new Set(ids).size).toBe(255);
    expect(ids.at(-1)).toBe('bulk-0252:customer');
  });

  it('refuses a page size out of range and a cursor it did not give out, naming the parameter', async () => {
    for (const [q, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=ten', 'limit'], ['cursor=bm9wZQ', 'cursor'], ['cursor=%7B%7D', 'cursor'], ['page=2', 'page']] as const) {
      const res = await sys.request('GET', `${path()}?${q}`);
      expect(res.status, q).toBe(422);
      expect(res.body.error.code, q).toBe('invalid_request');
      if (field !== 'page') expect(res.body.error.field, q).toBe(field);
    }
  });
});
