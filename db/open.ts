/** Opens the database a process was configured with and brings its schema up to date. */
import { openPglite } from './pglite.js';
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
  const { db } = await openPglite({ ...(dataDir ? { dataDir } : {}), embeddingDimensions });
  return db;
}
