import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentSettings, createAgent, ensureAgent, getAgent } from '../../../db/agents.js';
import { MIGRATIONS } from '../../../db/migrations/index.js';
import { openDb } from '../../../db/open.js';
import type { Db } from '../../../db/types.js';
import { toVectorParam } from '../../../db/vector-type.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { createTestDatabaseUrl, openTestDb, testDatabaseKind } from '../../support/db.js';
import { denseHashEmbedder, longArticle } from './helpers.js';

describe('agents', () => {
  let db: Db;
  beforeAll(async () => { db = await openTestDb(); });
  afterAll(async () => { await db?.close(); });

  it('an agent is created active in the default workspace with sensible defaults and read back in camelCase', async () => {
    const created = await createAgent(db, { name: 'Shop Assistant' });
    expect(created.id).toMatch(/^agt_[0-9a-z]{16}$/);
    const read = await getAgent(db, created.id);
    expect(read).toEqual({
      id: created.id, workspaceId: 'default', name: 'Shop Assistant', defaultLanguage: 'en', settings: {}, status: 'active',
      createdAt: expect.any(Date), updatedAt: expect.any(Date),
    });
  });

  it('per-channel idle timeouts are stored as settings; unknown channels are refused', async () => {
    const a = await createAgent(db, { name: 'Mail desk', personality: 'Warm', defaultLanguage: 'da', settings: { idleTimeoutSeconds: { email: 3600 } } });
    expect(await getAgent(db, a.id)).toMatchObject({ personality: 'Warm', defaultLanguage: 'da', settings: { idleTimeoutSeconds: { email: 3600 } } });
    expect(AgentSettings.safeParse({ idleTimeoutSeconds: { fax: 10 } }).success).toBe(false);
    await expect(createAgent(db, { name: 'Bad', settings: { idleTimeoutSeconds: { chat: -1 } } })).rejects.toThrow();
  });

  it('ensuring an agent twice keeps the first one', async () => {
    const id = `fixed-${Date.now()}`;
    await ensureAgent(db, { id, name: 'First' });
    expect((await ensureAgent(db, { id, name: 'Second' })).name).toBe('First');
    expect(await getAgent(db, 'no-such-agent')).toBeUndefined();
  });
});

describe('opening a database', () => {
  it('migrations run once and a reopened database keeps its data', async () => {
    const server = testDatabaseKind() === 'postgres' ? await createTestDatabaseUrl() : undefined;
    const dir = mkdtempSync(join(tmpdir(), 'ca-db-'));
    const target = server ? { databaseUrl: server.url } : { dataDir: join(dir, 'pglite') };
    try {
      const first = await openDb(target);
      const agent = await createAgent(first, { name: 'Persistent' });
      await first.close();
      const second = await openDb(target);
      expect((await getAgent(second, agent.id))?.name).toBe('Persistent');
      const { rows } = await second.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server?.drop();
    }
  });

  it('a database made for one embedding size refuses an embedder of another, saying how to fix it', async () => {
    const server = testDatabaseKind() === 'postgres' ? await createTestDatabaseUrl() : undefined;
    const dir = mkdtempSync(join(tmpdir(), 'ca-db-'));
    const target = server ? { databaseUrl: server.url } : { dataDir: join(dir, 'pglite') };
    try {
      await (await openDb({ ...target, embeddingDimensions: 512 })).close();
      await expect(openDb({ ...target, embeddingDimensions: 1536 }))
        .rejects.toThrow(/stores 512-dimensional embeddings but the embedder produces 1536.*EMBEDDING_DIMENSIONS=512/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server?.drop();
    }
  });

  it('PGlite has the Snowball configurations for every supported language', async () => {
    const db = await openTestDb();
    try {
      const { rows } = await db.query<{ cfg: string }>(
        `SELECT cfgname AS cfg FROM pg_ts_config WHERE cfgname IN ('english','danish','dutch','german','french','spanish') ORDER BY 1`,
      );
      expect(rows.map((r) => r.cfg)).toEqual(['danish', 'dutch', 'english', 'french', 'german', 'spanish']);
      const stem = await db.query<{ v: string }>(`SELECT to_tsvector('danish', 'Hvornår kommer pakkerne?')::text AS v`);
      expect(stem.rows[0]!.v).toBe(`'hvornår':1 'kom':2 'pak':3`);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(testDatabaseKind() === 'pglite')('the embedded database as knowledge grows', () => {
  it('keeps its planner statistics and vacuums, so nearest-neighbour search walks the HNSW index instead of every chunk', async () => {
    const db = await openTestDb();
    try {
      // Dense vectors, as a real embedder's: 3,000 chunks, where the index is several times faster.
      const embedder = denseHashEmbedder();
      const agent = await createAgent(db, { name: 'Big help centre' });
      for (let a = 0; a < 30; a++) {
        await ingestSource(db, embedder, { agentId: agent.id, type: 'markdown', title: `Topic ${a}`, content: longArticle(`topic ${a}`, 100) });
      }
      const { rows: [stats] } = await db.query<{ estimated: number }>(`SELECT reltuples::int AS estimated FROM pg_class WHERE relname = 'chunks'`);
      expect(stats!.estimated).toBeGreaterThan(2500);
      const [vector] = await embedder.embed(['detail about topic 7']);
      const plan = await db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)`);
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(
          'EXPLAIN SELECT id FROM chunks WHERE agent_id = $1 ORDER BY embedding <=> $2::vector LIMIT 40',
          [agent.id, toVectorParam(vector!)],
        );
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan.replace(/'\[[^\]]*\]'/g, '<vector>'), 'the query plan').toContain('chunks_embedding_idx');
      // Vacuumed as well, as autovacuum would: pages marked all-visible let full-text search count a
      // term's chunks from the index without reading each row.
      const { rows: [pages] } = await db.query<{ visible: number; total: number }>(
        `SELECT relallvisible::int AS visible, relpages::int AS total FROM pg_class WHERE relname = 'chunks'`,
      );
      expect(pages!.visible / pages!.total, 'share of the table\'s pages marked all-visible').toBeGreaterThan(0.5);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe.runIf(testDatabaseKind() === 'postgres')('a PostgreSQL server', () => {
  it('two processes starting at once both migrate the same fresh database without a race', async () => {
    const server = await createTestDatabaseUrl();
    try {
      const dbs = await Promise.all([openDb({ databaseUrl: server.url }), openDb({ databaseUrl: server.url }), openDb({ databaseUrl: server.url })]);
      const { rows } = await dbs[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]!.n).toBe(MIGRATIONS.length);
      await Promise.all(dbs.map((d) => d.close()));
    } finally {
      await server.drop();
    }
  });

  it('an unreachable server gives an error naming it without the password', async () => {
    await expect(openDb({ databaseUrl: 'postgres://app:hunter2@127.0.0.1:9/app' }))
      .rejects.toThrow(/^Cannot connect to the PostgreSQL server at postgres:\/\/app:\[redacted\]@127\.0\.0\.1:9\/app/);
  });
});
