/**
 * Opens the database a process was configured with and brings its schema up to date. The embedded
 * database is imported only when used: PGlite's WebAssembly module costs a process on PostgreSQL about
 * 38 MB of RSS it never needs (measured: importing db/pglite.ts alone, 75 → 113 MB).
 */
import { openServerDb } from './server.js';
import type { Db } from './types.js';

export interface OpenDbOptions {
  /** A PostgreSQL server with pgvector; wins over dataDir/memory. */
  databaseUrl?: string;
  /** Embedded PGlite persisted here. */
  dataDir?: string;
  /** Embedded PGlite in memory (also the default when neither databaseUrl nor dataDir is given). */
  memory?: boolean;
  /** Dimension of the chunks.embedding column; must match the embedder for the life of the database. */
  embeddingDimensions?: number;
}

export const DEFAULT_EMBEDDING_DIMENSIONS = 512;

export async function openDb(opts: OpenDbOptions = {}): Promise<Db> {
  const embeddingDimensions = opts.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  if (opts.databaseUrl) return openServerDb(opts.databaseUrl, embeddingDimensions);
  const dataDir = opts.memory ? undefined : opts.dataDir;
  const { openPglite } = await import('./pglite.js');
  const { db } = await openPglite({ ...(dataDir ? { dataDir } : {}), embeddingDimensions });
  return db;
}
