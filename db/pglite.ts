/**
 * Embedded PostgreSQL (PGlite + pgvector) behind the same pg code path as a server: a pg.Pool of one
 * connection over createPgConfig. A data directory belongs to one process at a time.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import { migrate } from './migrate.js';
import { poolDb } from './pool-db.js';
import type { Db } from './types.js';
import { registerVectorType } from './vector-type.js';

export interface PgliteOptions {
  /** Persist under this directory; absent means in memory. */
  dataDir?: string;
  /** Start from a dump made by dumpDataDir() (tests: skips initdb). */
  loadDataDir?: Blob | File;
  embeddingDimensions: number;
}

export async function openPglite(opts: PgliteOptions): Promise<{ db: Db; pglite: PGlite }> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { vector },
  });
  const types = new pg.TypeOverrides();
  // One connection: PGlite is single-session. Never idle it out; reconnecting buys nothing here.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0, types });
  try {
    const client = await pool.connect();
    try {
      await migrate(client, {
        embeddingDimensions: opts.embeddingDimensions,
        where: opts.dataDir ? `PGlite at ${opts.dataDir}` : 'in-memory PGlite',
      });
    } finally {
      client.release();
    }
    await registerVectorType(pool, types);
  } catch (err) {
    await pool.end().catch(() => {});
    await pglite.close().catch(() => {});
    throw err;
  }
  return { db: poolDb(pool, 'pglite', () => pglite.close()), pglite };
}
