import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import { listSources } from '../../../db/sources.js';
import type { Db } from '../../../db/types.js';
import { DEFAULT_THRESHOLDS, rankPassages } from '../../../graphs/turn/relevance.js';
import { DEMO_AGENT_ID, loadDemo } from '../../../knowledge/demo/load.js';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { createRetriever } from '../../../knowledge/retrieve.js';
import type { Passage, Retriever } from '../../../knowledge/types.js';
import { openTestDb } from '../../support/db.js';

const embedder = createOfflineEmbedder();
let db: Db;
let retriever: Retriever;

beforeAll(async () => {
  db = await openTestDb();
  retriever = createRetriever({ db, embedder });
  await loadDemo(db, embedder);
});
afterAll(async () => { await db?.close(); });

const ask = (text: string, agentId = DEMO_AGENT_ID): Promise<Passage[]> => retriever.retrieve({ agentId, text, limit: 5 });

describe('answering from the demo help centre (offline embedder)', () => {
  it.each([
    ['can I get my money back', 'Returns and refunds'],
    ['my zip broke', 'Warranty and repairs'],
    ['do you take mobilepay', 'Payment methods'],
    ['how do I wash my rain jacket', 'Product care'],
    ['what size boots should I get', 'Size guide'],
    ['can I pick up in the store', 'Click and collect in our stores'],
    ['my parcel never showed up', 'Tracking your order'],
    ['is my gift card still valid', 'Gift cards'],
  ])('an ingested article is found by a paraphrased question: "%s"', async (question, title) => {
    const [top] = await ask(question);
    expect(top?.title).toBe(title);
    expect(top?.url).toMatch(/^https:\/\/help\.fjeldspor\.example\/articles\//);
  });

  it('a question full of quotes, backslashes and SQL finds its article like any other, asked again and again', async () => {
    // Retrieval's statements are prepared once per connection (db/prepared.ts): whatever a customer
    // types goes as a value, on the first call and on the calls that reuse the plan.
    const questions = [
      "I'd like my money back \\ what's the 'refund' policy?",
      "refund'); DROP TABLE chunks; --",
      'refund $1 $2 E\'\\x00\' "quoted" ::text',
    ];
    for (let round = 0; round < 3; round++) {
      for (const question of questions) {
        const [top] = await ask(question);
        expect(top?.title, question).toBe('Returns and refunds');
      }
    }
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM chunks WHERE agent_id = $1`, [DEMO_AGENT_ID]);
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  it('the best passage is the section that answers, with its heading', async () => {
    const [top] = await ask('I forgot my password');
    expect(top).toMatchObject({ title: 'Your account and password', heading: 'I forgot my password', language: 'en', coverage: 1 });
    expect(top!.text).toContain('valid for 60 minutes');
    expect(top!.similarity).toBeGreaterThan(0.5);
  });

  it('a Danish question finds the Danish article', async () => {
    const [refund] = await ask('Hvornår får jeg mine penge tilbage?');
    expect(refund).toMatchObject({ title: 'Returnering og refundering', heading: 'Hvornår får jeg mine penge tilbage?', language: 'da', coverage: 1 });
    const [freight] = await ask('hvad koster fragten');
    expect(freight).toMatchObject({ title: 'Levering og fragt', heading: 'Fragtpris', language: 'da', coverage: 1 });
  });

  it('a German question finds the German article, and the answer comes from its section on delivery times', async () => {
    const question = 'Wie lange dauert der Versand nach Deutschland?';
    const passages = await ask(question);
    expect(passages[0]).toMatchObject({ title: 'Versand und Lieferung nach Deutschland', language: 'de' });
    const [best] = rankPassages(passages, DEFAULT_THRESHOLDS, question, { languages: ['de', 'en'] });
    expect(best?.passage).toMatchObject({ title: 'Versand und Lieferung nach Deutschland', heading: 'Lieferzeit' });
  });

  it('an unrelated question comes back with low similarity and no coverage', async () => {
    const passages = await ask('who won the football world cup');
    expect(passages.length).toBeGreaterThan(0);
    for (const p of passages) {
      expect(p.coverage).toBe(0);
      expect(p.similarity).toBeLessThan(0.3);
    }
  });

  it('stop words do not count toward coverage', async () => {
    const [parcel] = await ask('where is my parcel');
    expect(parcel?.coverage).toBe(1);
    for (const p of await ask('how are you doing?')) expect(p.coverage).toBe(0);
  });

  it('every passage carries its fusion evidence', async () => {
    for (const p of await ask('what are your opening hours')) {
      expect(p.score).toBeGreaterThan(0);
      expect(p.similarity).toBeGreaterThanOrEqual(0);
      expect(p.similarity).toBeLessThanOrEqual(1);
      expect(p.ftsRank ?? p.vectorRank).toBeDefined();
    }
  });

  it('loading the demo again changes nothing', async () => {
    const before = await listSources(db, DEMO_AGENT_ID);
    const again = await loadDemo(db, embedder);
    expect(again).toMatchObject({ articles: 15, ingested: 0, chunks: before.reduce((n, s) => n + s.chunkCount, 0) });
    expect((await listSources(db, DEMO_AGENT_ID)).map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
    const languages = new Set(before.flatMap((s) => s.metadata.languages as string[]));
    expect([...languages].sort()).toEqual(['da', 'de', 'en']);
  });
});

describe('an HTML help page', () => {
  it('is found by its content, never by its navigation or footer', async () => {
    const agentId = (await createAgent(db, { name: 'HTML shop' })).id;
    await ingestSource(db, embedder, {
      agentId, type: 'html', title: 'Resetting your password', url: 'https://shop.example.test/help/password',
      content: `<html><body><nav><a href="/careers">Careers</a> | <a href="/press">Press</a></nav>
        <h1>Resetting your password</h1><p>Click "Forgot password" and we email you a reset link, valid for one hour.</p>
        <footer>Imprint · Cookie policy</footer></body></html>`,
    });
    const [found] = await ask('reset link', agentId);
    expect(found).toMatchObject({ title: 'Resetting your password', coverage: 1 });
    for (const p of await ask('careers press imprint cookie policy', agentId)) expect(p.coverage).toBe(0);
  });
});
