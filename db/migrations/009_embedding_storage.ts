import type { Migration } from './index.js';

/**
 * Chunk embeddings stay inside the table row (storage MAIN) instead of moving to the TOAST table.
 * A 512-dimensional embedding is 2 KB, just over the size at which PostgreSQL moves a value out of
 * line; out of line, a scan must fetch every vector from a second table, and the planner, which does
 * not count those reads, misjudges the scan against the HNSW index. Measured on PGlite with dense
 * 512-dimensional vectors, an exact scan of one agent's chunks: 1,000 chunks 5.2 → 2.6 ms,
 * 3,000 chunks 24.8 → 8.3 ms; the planner still walks the index at 3,000 (0.6–2 ms).
 * Rows written before this migration keep their storage until the table is rewritten
 * (VACUUM FULL chunks), or re-synced.
 */
export const embeddingStorage: Migration = {
  version: 9,
  name: 'embedding_storage',
  sql: () => `ALTER TABLE chunks ALTER COLUMN embedding SET STORAGE MAIN;`,
};
