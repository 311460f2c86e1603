/**
 * In a large knowledge base the full-text side weighs only the chunks that have one of the question's
 * selective words (knowledge/retrieve.ts POOL_TERM_MAX_DF): a question made mostly of words every
 * article has must still find the one article its rare word points to, and a question of common words
 * alone must still be answered from them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import type { Db } from '../../../db/types.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { createRetriever } from '../../../knowledge/retrieve.js';
import { openTestDb } from '../../support/db.js';
import { hashEmbedder } from './helpers.js';

const embedder = hashEmbedder();
let db: Db;
let agentId: string;

/** 600 sections that all speak of orders and days, as a large shop's help centre does. */
const ORDERS = Array.from({ length: 600 }, (_, i) => `## Order topic ${i + 1}\n\nYour order number ${i + 1} ships within ${i % 9 + 1} days of the order.`).join('\n\n');

beforeAll(async () => {
  db = await openTestDb();
  agentId = (await createAgent(db, { name: 'Large shop' })).id;
  await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Orders in detail', content: ORDERS });
  await ingestSource(db, embedder, {
    agentId, type: 'markdown', title: 'Cancelling', content: '# Cancelling\n\nYou can cancel free of charge for two weeks after buying.',
  });
}, 120_000);
afterAll(async () => { await db?.close(); });

// Full text alone: the embedding side must not make up for a full-text side that missed.
const ask = async (text: string) => createRetriever({ db, embedder, mode: 'fulltext' }).retrieve({ agentId, text });

describe('a question to a knowledge base of hundreds of chunks that share its common words', () => {
  it('finds the one article its rare word names, first', async () => {
    const passages = await ask('Can I cancel my order after a few days?');
    expect(passages[0]?.title).toBe('Cancelling');
  });

  it('still answers from the common words when the question has nothing rarer', async () => {
    const passages = await ask('order days');
    expect(passages.length).toBeGreaterThan(0);
    expect(passages[0]?.title).toBe('Orders in detail');
  });
});
