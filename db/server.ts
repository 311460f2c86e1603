/** A PostgreSQL server with pgvector, through a pg.Pool. */
import pg from 'pg';
import { migrate } from './migrate.js';
import { poolDb } from './pool-db.js';
import type { Db } from './types.js';
import { registerVectorType } from './vector-type.js';

export async function openServerDb(databaseUrl: string, embeddingDimensions: number): Promise<Db> {
  const where = `the PostgreSQL server at ${redactUrl(databaseUrl)}`;
  const types = new pg.TypeOverrides();
  const pool = new pg.Pool({ connectionString: databaseUrl, types });
  // An idle connection dropped by the server is discarded by the pool; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect().catch((err: Error) => {
      throw new Error(`Cannot connect to ${where}: ${err.message}`, { cause: err });
    });
    try {
      await migrate(client, { embeddingDimensions, where });
    } finally {
      client.release();
    }
    await registerVectorType(pool, types);
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  return poolDb(pool, 'postgres');
}

/** The URL without its password, safe for error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:[redacted]@');
}
