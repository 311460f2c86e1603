/**
 * Brings a database to the current schema. Safe to run from several processes at once: everything
 * happens under one session advisory lock, and applied versions are recorded in schema_migrations.
 */
import type pg from 'pg';
import { MIGRATIONS, type MigrationOptions } from './migrations/index.js';

/** Arbitrary but fixed: every customer-agent process contends for the same lock. */
const MIGRATION_LOCK_KEY = 7_302_019_661;

export class PgvectorMissingError extends Error {
  override name = 'PgvectorMissingError';
}

/** The database was created for another embedder: its vectors cannot be compared with this one's. */
export class EmbeddingDimensionMismatchError extends Error {
  override name = 'EmbeddingDimensionMismatchError';
}

export async function migrate(client: pg.ClientBase, opts: MigrationOptions & { where: string }): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await createVectorExtension(client, opts.where);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql(opts));
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
      }
    }
    await checkEmbeddingDimensions(client, opts.embeddingDimensions);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

async function createVectorExtension(client: pg.ClientBase, where: string): Promise<void> {
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (err) {
    const cause = (err as Error).message;
    throw new PgvectorMissingError(
      `The pgvector extension is not available on ${where} (${cause}). ` +
        'Install pgvector on the server (Debian/Ubuntu: run .ci/install-pgvector.sh as root, which builds it from ' +
        "Debian's source package; elsewhere see https://github.com/pgvector/pgvector#installation), or on a managed " +
        'service enable the "vector" extension, then restart. Creating the extension once needs a role allowed to ' +
        'CREATE EXTENSION.',
      { cause: err },
    );
  }
}

/** The column's dimension is fixed at creation; a different embedder would corrupt every search. */
async function checkEmbeddingDimensions(client: pg.ClientBase, expected: number): Promise<void> {
  const { rows } = await client.query<{ dims: number }>(
    `SELECT atttypmod AS dims FROM pg_attribute WHERE attrelid = 'chunks'::regclass AND attname = 'embedding'`,
  );
  const dims = rows[0]?.dims;
  if (dims !== undefined && dims !== expected) {
    throw new EmbeddingDimensionMismatchError(
      `This database stores ${dims}-dimensional embeddings but the embedder produces ${expected} ` +
        `(EMBEDDING_DIMENSIONS=${expected}); vectors of different models cannot be searched together. Either go back ` +
        `to the embedder that filled it (the offline embedder makes 512; for an OpenAI-compatible one set ` +
        `EMBEDDINGS_PROVIDER=openai, its EMBEDDINGS_MODEL and EMBEDDING_DIMENSIONS=${dims}), or start a new database ` +
        '(another DATA_DIR or DATABASE_URL) and add the sources again so they are re-embedded.',
    );
  }
}
