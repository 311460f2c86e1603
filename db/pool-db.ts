/** Wraps a pg.Pool as the Db seam; the same code serves a server and PGlite (pool of one). */
import type pg from 'pg';
import type { Db, PreparedStatement } from './types.js';

/**
 * Danger: inside transaction(fn), use only the tx it passes. On PGlite the pool has one connection, so
 * a db.query() issued inside fn waits for the transaction that waits for it: a deadlock.
 */
export function poolDb(pool: pg.Pool, kind: Db['kind'], onClose: () => Promise<void> = async () => {}): Db {
  return {
    kind,
    query: (text, params) => runQuery(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const out = await fn({ query: (text, params) => runQuery(client, text, params) });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
        throw err;
      } finally {
        // A connection that cannot roll back is in an unknown state: destroy it rather than reuse it.
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
      await onClose();
    },
  };
}

async function runQuery<R extends Record<string, unknown>>(
  on: pg.Pool | pg.PoolClient,
  text: string | PreparedStatement,
  params?: readonly unknown[],
): Promise<{ rows: R[]; rowCount: number | null }> {
  const res = typeof text === 'string'
    ? await on.query<R>(text, params as unknown[] | undefined)
    : await on.query<R>({ name: text.name, text: text.text, values: params as unknown[] | undefined });
  return { rows: res.rows, rowCount: res.rowCount };
}
