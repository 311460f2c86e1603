import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import type { Db } from '../../../db/types.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { createRetriever } from '../../../knowledge/retrieve.js';
import { openTestDb } from '../../support/db.js';
import { askAgent, hashEmbedder } from './helpers.js';

const embedder = hashEmbedder();
let db: Db;
let agentId: string;

// A Danish shop whose help centre is mostly English: pickup is explained only in English, and its one
// Danish article is about something else but shares the customer's everyday words.
const PICKUP = `# Click and collect

## Picking up your order

Order online and pick up your order in our Aarhus store. We email you when the order is ready, usually
within two hours. Bring the order number; the store keeps the order for seven days.`;
const ABOUT_DA = `# Om Fjeldspor

Fjeldspor er en lille familievirksomhed fra Aarhus. Vi elsker at gå på tur, og vi tester selv alt, hvad
vi sælger. Du kan altid skrive til os, hvis du har spørgsmål til din ordre eller vores historie.`;

beforeAll(async () => {
  db = await openTestDb();
  agentId = (await createAgent(db, { name: 'Cross-language test', defaultLanguage: 'da' })).id;
  await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Click and collect', content: PICKUP });
  await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Om Fjeldspor', content: ABOUT_DA });
});
afterAll(async () => { await db?.close(); });

const ask = (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'da' }, text);

describe('a question finds its answer in another language when its own has none', () => {
  it('a Danish question is answered in Danish from the English article, saying the article is in English', async () => {
    const result = await ask('Kan jeg hente min ordre i jeres butik?');
    expect(result.reply?.kind, result.reply?.text).toBe('answer');
    expect(result.reply?.language).toBe('da');
    expect(result.reply?.sources[0]?.title).toBe('Click and collect');
    expect(result.reply?.text).toContain('artiklen er på engelsk');
    expect(result.reply?.text).toMatch(/pick up your order in our Aarhus store/);
  });

  it('the unrelated article in the customer\'s language does not outrank the relevant one in English', async () => {
    const retriever = createRetriever({ db, embedder });
    const passages = await retriever.retrieve({ agentId, text: 'Kan jeg hente min ordre i jeres butik?', language: 'da' });
    expect(passages[0]?.title).toBe('Click and collect');
    const unbridged = await createRetriever({ db, embedder, bridge: false }).retrieve({ agentId, text: 'Kan jeg hente min ordre i jeres butik?', language: 'da' });
    expect(unbridged[0]?.title).toBe('Om Fjeldspor');
  });
});
