/**
 * Statements planned once per connection instead of on every call. Retrieval's queries are long CTEs:
 * PostgreSQL spent longer planning them than running them (PGlite, demo agent: 4–9 ms of planning
 * against 3–5 ms of execution per question). Prepared, PostgreSQL plans the first few calls for their
 * parameters and then keeps a generic plan when it costs no more (plan_cache_mode auto): the passage
 * query fell from 7.5–13.2 to 3.6–5.9 ms p50, with the same passages for every demo question, and a
 * demo turn in-process from ~28 to ~20 ms. At 5,548 chunks on PostgreSQL, plans forced generic or custom
 * measured alike (22.0–22.3 against 26.5 ms p50): auto, PostgreSQL's default, stays.
 *
 * SQL-level PREPARE/EXECUTE, because PGlite has no protocol-level named statements; EXECUTE takes no
 * bind parameters, so its arguments go as literals, quoted by pg's own escapeLiteral. Both databases
 * list a session's statements in pg_prepared_statements: the caller asks for `PREPARED_NAMES_SQL` in a
 * statement it runs anyway, so finding out costs no round trip.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Queryable } from './types.js';

export interface PreparedStatement {
  /** `ca_<label>_<digest of the text>`: a changed text is a new statement, never an old plan. */
  name: string;
  text: string;
}

export function preparedStatement(label: string, text: string): PreparedStatement {
  if (!/^[a-z_]+$/.test(label)) throw new Error(`preparedStatement: label ${label} must be lower-case letters and _`);
  return { name: `ca_${label}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`, text };
}

/** A scalar subquery: the names of this session's prepared statements (text[]). */
export const PREPARED_NAMES_SQL = `(SELECT coalesce(array_agg(name::text), '{}') FROM pg_prepared_statements WHERE name LIKE 'ca\\_%')`;

/** Runs the statement with `params` ($1… in its text), preparing it first where `prepared` does not name it. */
export async function executePrepared<R extends Record<string, unknown>>(
  db: Queryable, statement: PreparedStatement, params: readonly unknown[], prepared: readonly string[],
): Promise<{ rows: R[] }> {
  if (!prepared.includes(statement.name)) await db.query(`PREPARE ${statement.name} AS ${statement.text}`);
  return db.query<R>(`EXECUTE ${statement.name}(${params.map(literal).join(', ')})`);
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`executePrepared: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'string') return pg.escapeLiteral(value);
  throw new Error(`executePrepared: parameters are strings, numbers or null, not ${typeof value}`);
}
