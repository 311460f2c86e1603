import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import { deleteSource, getSource, listSources, setSourceEnabled } from '../../../db/sources.js';
import type { Db } from '../../../db/types.js';
import { ingestSource, type IngestProgress } from '../../../knowledge/ingest.js';
import { createRetriever } from '../../../knowledge/retrieve.js';
import { openTestDb } from '../../support/db.js';
import { hashEmbedder, longArticle } from './helpers.js';

const embedder = hashEmbedder();
let db: Db;

beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });

const KAYAK = {
  type: 'markdown' as const,
  title: 'Kayak rental',
  url: 'https://help.example.test/kayak',
  content: '# Kayak rental\n\n## Prices\n\nA sea kayak costs 300 DKK per day, paddles and life jacket included.',
};

async function newAgent(name = 'Sources test'): Promise<string> {
  return (await createAgent(db, { name })).id;
}

async function titlesFound(agentId: string, text: string): Promise<string[]> {
  const passages = await createRetriever({ db, embedder }).retrieve({ agentId, text });
  return [...new Set(passages.map((p) => p.title))];
}

describe('knowledge sources', () => {
  it('an ingested article is searchable as soon as ingestion returns, and listed with its chunk count', async () => {
    const agentId = await newAgent();
    const { id, chunks } = await ingestSource(db, embedder, { agentId, ...KAYAK });
    expect(id).toMatch(/^src_/);
    expect(chunks).toBe(1);
    expect(await titlesFound(agentId, 'how much is a sea kayak per day?')).toEqual(['Kayak rental']);
    expect(await listSources(db, agentId)).toEqual([expect.objectContaining({
      id, type: 'markdown', title: 'Kayak rental', url: KAYAK.url, status: 'ready', enabled: true, chunkCount: 1,
    })]);
  });

  it('a deleted source no longer appears in answers', async () => {
    const agentId = await newAgent();
    const { id } = await ingestSource(db, embedder, { agentId, ...KAYAK });
    expect(await deleteSource(db, agentId, id)).toBe(true);
    expect(await titlesFound(agentId, 'sea kayak price')).toEqual([]);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks WHERE source_id = $1', [id]);
    expect(rows[0]!.n).toBe(0);
    expect(await deleteSource(db, agentId, id)).toBe(false);
  });

  it('a disabled source is left out of answers until it is enabled again', async () => {
    const agentId = await newAgent();
    const { id } = await ingestSource(db, embedder, { agentId, ...KAYAK });
    expect(await setSourceEnabled(db, agentId, id, false)).toBe(true);
    expect(await titlesFound(agentId, 'sea kayak price')).toEqual([]);
    await setSourceEnabled(db, agentId, id, true);
    expect(await titlesFound(agentId, 'sea kayak price')).toEqual(['Kayak rental']);
  });

  it("one agent never sees, deletes or disables another agent's knowledge", async () => {
    const owner = await newAgent('Owner');
    const other = await newAgent('Other');
    const { id } = await ingestSource(db, embedder, { agentId: owner, ...KAYAK });
    expect(await titlesFound(other, 'sea kayak price')).toEqual([]);
    expect(await getSource(db, other, id)).toBeUndefined();
    expect(await deleteSource(db, other, id)).toBe(false);
    expect(await setSourceEnabled(db, other, id, false)).toBe(false);
    await expect(ingestSource(db, embedder, { agentId: other, ...KAYAK, sourceId: id })).rejects.toThrow(/belongs to another agent/);
    expect(await titlesFound(owner, 'sea kayak price')).toEqual(['Kayak rental']);
  });

  it('an ingestion that fails half-way through storing leaves nothing behind', async () => {
    const agentId = await newAgent();
    const stages: IngestProgress[] = [];
    const failing = ingestSource(db, embedder, {
      agentId, type: 'markdown', title: 'Canoe trips', content: longArticle('canoe trips', 70),
      onProgress: (p) => {
        stages.push(p);
        if (p.stage === 'stored' && p.done < p.total) throw new Error('worker lost its database connection');
      },
    });
    await expect(failing).rejects.toThrow('worker lost its database connection');
    expect(stages.filter((s) => s.stage === 'stored')).toEqual([{ stage: 'stored', done: 32, total: 70 }]);
    expect(await listSources(db, agentId)).toEqual([]);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks WHERE agent_id = $1', [agentId]);
    expect(rows[0]!.n).toBe(0);
    expect(await titlesFound(agentId, 'canoe trips')).toEqual([]);
  });

  it('an ingestion whose embedder fails stores nothing and leaves the database usable', async () => {
    const agentId = await newAgent();
    const broken = { ...embedder, embed: async () => { throw new Error('model crashed'); } };
    await expect(ingestSource(db, broken, { agentId, ...KAYAK })).rejects.toThrow('model crashed');
    expect(await listSources(db, agentId)).toEqual([]);
    await ingestSource(db, embedder, { agentId, ...KAYAK });
    expect(await titlesFound(agentId, 'sea kayak price')).toEqual(['Kayak rental']);
  });

  it('re-ingesting a source replaces its chunks instead of adding to them', async () => {
    const agentId = await newAgent();
    const { id } = await ingestSource(db, embedder, { agentId, ...KAYAK });
    const updated = { ...KAYAK, content: '# Kayak rental\n\n## Prices\n\nA touring canoe costs 450 DKK per day.\n\n## Safety\n\nLife jackets are mandatory.' };
    expect(await ingestSource(db, embedder, { agentId, ...updated, sourceId: id })).toEqual({ id, chunks: 2 });
    const passages = await createRetriever({ db, embedder }).retrieve({ agentId, text: 'kayak canoe price life jacket' });
    expect(passages.map((p) => p.text).sort()).toEqual(['A touring canoe costs 450 DKK per day.', 'Life jackets are mandatory.']);
    expect((await getSource(db, agentId, id))?.chunkCount).toBe(2);
  });

  it('ingestion reports its progress through chunking, embedding and storing', async () => {
    const agentId = await newAgent();
    const stages: IngestProgress[] = [];
    await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Tents', content: longArticle('tents', 20), onProgress: (p) => stages.push(p) });
    expect(stages).toEqual([
      { stage: 'chunked', done: 20, total: 20 },
      { stage: 'embedded', done: 16, total: 20 },
      { stage: 'embedded', done: 20, total: 20 },
      { stage: 'stored', done: 20, total: 20 },
    ]);
  });

  it('the chunk counts that weigh a word\'s rarity follow every ingestion, replacement, deletion and failed ingestion', async () => {
    const agentId = await newAgent();
    const counted = async () => (await db.query<{ n: number }>('SELECT coalesce(sum(n), 0)::int AS n FROM chunk_counts WHERE agent_id = $1', [agentId])).rows[0]!.n;
    const stored = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks WHERE agent_id = $1', [agentId])).rows[0]!.n;
    const { id } = await ingestSource(db, embedder, { agentId, ...KAYAK });
    await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Tents', content: longArticle('tents', 20) });
    await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Zelte', content: '# Zelte\n\nEin Zelt für zwei Personen kostet 200 DKK pro Tag.' });
    expect([await counted(), await stored()]).toEqual([22, 22]);
    await ingestSource(db, embedder, { agentId, ...KAYAK, sourceId: id, content: '# Kayak rental\n\n## Prices\n\n300 DKK.\n\n## Safety\n\nLife jackets.' });
    expect([await counted(), await stored()]).toEqual([23, 23]);
    const failing = ingestSource(db, embedder, {
      agentId, type: 'markdown', title: 'Canoe trips', content: longArticle('canoe trips', 70),
      onProgress: (p) => { if (p.stage === 'stored' && p.done < p.total) throw new Error('connection lost'); },
    });
    await expect(failing).rejects.toThrow('connection lost');
    expect([await counted(), await stored()]).toEqual([23, 23]);
    expect(await deleteSource(db, agentId, id)).toBe(true);
    expect([await counted(), await stored()]).toEqual([21, 21]);
    expect((await titlesFound(agentId, 'Zelt für zwei Personen'))[0]).toBe('Zelte');
  });

  it('ingesting for an agent that does not exist is refused', async () => {
    await expect(ingestSource(db, embedder, { agentId: 'agt_missing', ...KAYAK })).rejects.toThrow('agent agt_missing does not exist');
  });
});
