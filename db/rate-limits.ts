/**
 * Fixed-window rate limits kept in the database, so every API process counts against the same budget
 * (nothing in memory that another process would need). One upsert per request and bucket.
 */
import type { Queryable } from './types.js';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window ends (the Retry-After of a refusal). */
  retryAfterSeconds: number;
}

export async function hit(db: Queryable, bucket: string, limit: number, windowMs: number, now = Date.now()): Promise<RateDecision> {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const { rows } = await db.query<{ count: number }>(
    `INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1
     RETURNING count`,
    [bucket, windowStart],
  );
  const count = Number(rows[0]?.count ?? 1);
  return { allowed: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}

/** Drops windows that ended before `olderThanMs`; cheap, called now and then. */
export async function pruneRateLimits(db: Queryable, olderThanMs: number): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE window_start < $1', [olderThanMs]);
}
