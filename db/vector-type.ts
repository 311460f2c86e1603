import type pg from 'pg';
import pgvector from 'pgvector/pg';

/**
 * Parses `vector` columns into number[] for every client of one pool. Per pool, not global: a server
 * and PGlite give the type different OIDs, and both may be open in one process.
 */
export async function registerVectorType(pool: pg.Pool, types: pg.TypeOverrides): Promise<void> {
  await pgvector.registerTypes({
    query: (text: string, params: unknown[]) => pool.query(text, params),
    setTypeParser: (oid: number, format: 'text', parse: (v: string) => unknown) => types.setTypeParser(oid, format, parse),
  });
}

/** A vector as a SQL parameter (cast with `$n::vector`). */
export function toVectorParam(v: readonly number[]): string {
  return pgvector.toSql(v as number[]) as string;
}
