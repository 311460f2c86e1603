import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import { listSources } from '../../../db/sources.js';
import type { Db } from '../../../db/types.js';
import { createFileExtractor } from '../../../knowledge/extract/index.js';
import { createFileIngestor } from '../../../knowledge/extract/ingest-file.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { createRetriever } from '../../../knowledge/retrieve.js';
import { makePdf } from '../../fixtures/files/pdf.js';
import { openTestDb } from '../../support/db.js';
import { hashEmbedder } from './helpers.js';

const embedder = hashEmbedder();
let db: Db;

beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });

const newAgent = async () => (await createAgent(db, { name: 'Hygiene test' })).id;
const texts = async (agentId: string, question: string) =>
  (await createRetriever({ db, embedder }).retrieve({ agentId, text: question })).map((p) => p.text).join('\n');

describe('knowledge hygiene: adding the same thing again updates it instead of adding a duplicate', () => {
  it('re-adding an article with the same title replaces its content in place', async () => {
    const agentId = await newAgent();
    const first = await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'markdown', title: 'Kayak rental', content: '# Kayak rental\n\nA sea kayak costs 300 DKK per day.' });
    const again = await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'markdown', title: 'Kayak rental', content: '# Kayak rental\n\nA sea kayak costs 350 DKK per day.' });
    expect(first.updated).toBeUndefined();
    expect(again).toMatchObject({ id: first.id, updated: true });
    expect((await listSources(db, agentId)).map((s) => s.id)).toEqual([first.id]);
    const found = await texts(agentId, 'how much does a sea kayak cost per day?');
    expect(found).toContain('350 DKK');
    expect(found).not.toContain('300 DKK');
  });

  it('the same article again is not re-embedded, and the same URL under a new title updates its source', async () => {
    const agentId = await newAgent();
    const content = 'Our Aarhus store is open on weekdays from 9 to 17.';
    const first = await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'text', title: 'Opening hours', content });
    const calls = embedder.calls;
    expect(await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'text', title: 'Opening hours', content })).toEqual({ id: first.id, chunks: first.chunks, updated: true });
    expect(embedder.calls).toBe(calls);
    const url = await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'text', title: 'Store hours', url: 'https://help.example.test/hours', content: `${content} Saturdays 10 to 14.` });
    const sameUrl = await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'text', title: 'Hours of the store', url: 'https://help.example.test/hours', content: `${content} Saturdays 10 to 15.` });
    expect(sameUrl).toMatchObject({ id: url.id, updated: true });
    expect((await listSources(db, agentId)).map((s) => s.title).sort()).toEqual(['Hours of the store', 'Opening hours']);
  });

  it('a different article stays a separate source', async () => {
    const agentId = await newAgent();
    await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'text', title: 'Kayak rental', content: 'Kayaks cost 300 DKK per day.' });
    await ingestSource(db, embedder, { agentId, replaceSame: true, type: 'text', title: 'Canoe rental', content: 'Canoes cost 250 DKK per day.' });
    expect(await listSources(db, agentId)).toHaveLength(2);
  });

  it('a programmatic load (paragraphs of one page sharing its title) keeps each as its own source', async () => {
    const agentId = await newAgent();
    await ingestSource(db, embedder, { agentId, type: 'text', title: 'Super Bowl 50', content: 'The Panthers defense gave up 308 points.' });
    await ingestSource(db, embedder, { agentId, type: 'text', title: 'Super Bowl 50', content: 'The game was played in Santa Clara.' });
    expect(await listSources(db, agentId)).toHaveLength(2);
  });

  it('re-uploading a file replaces the stored one, and a junk PDF title is replaced by its first heading', async () => {
    const agentId = await newAgent();
    const files = createFileIngestor({ db, embedder, extractor: createFileExtractor({ maxBytes: 256 * 1024 }) });
    const pdf = (days: string) => makePdf([[
      { text: 'Bornholm deliveries', size: 20 },
      { text: `Parcels to Bornholm take ${days} working days by ferry.` },
    ]], { trailerExtra: '/Info << /Title (about:blank) >>' });
    const store = async (bytes: Uint8Array) => {
      const extracted = await files.extract({ name: 'bornholm.pdf', bytes });
      return files.store({ agentId, fileName: 'bornholm.pdf', size: bytes.length, extracted });
    };
    const first = await store(pdf('three'));
    expect(first).toMatchObject({ title: 'Bornholm deliveries' });
    expect(first.updated).toBeUndefined();
    const again = await store(pdf('four'));
    expect(again).toMatchObject({ id: first.id, title: 'Bornholm deliveries', updated: true });
    expect(await listSources(db, agentId)).toEqual([expect.objectContaining({ id: first.id, type: 'file', title: 'Bornholm deliveries' })]);
    const found = await texts(agentId, 'How long do parcels to Bornholm take?');
    expect(found).toContain('four working days');
    expect(found).not.toContain('three working days');
    await files.close();
  });
});
