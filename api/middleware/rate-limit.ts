/**
 * Rate limits per key and, for widget keys, per client address too: 429 with Retry-After. Counted in
 * the database, so they hold across any number of API processes.
 */
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { hit, pruneRateLimits } from '../../db/rate-limits.js';
import type { Queryable } from '../../db/types.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';

export interface RateLimitOptions {
  db: Queryable;
  /** Requests per minute per key (root is not limited). 0 turns limits off. */
  perKey: number;
  /** Requests per minute per widget key and client address. */
  perWidgetClient: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
}

const WINDOW_MS = 60_000;

export function rateLimit(o: RateLimitOptions): MiddlewareHandler<AppEnv> {
  let lastPrune = 0;
  return async (c, next) => {
    const p = c.get('principal');
    if (p.role === 'root' || o.perKey <= 0) return next();
    const now = Date.now();
    if (now - lastPrune > WINDOW_MS) {
      lastPrune = now;
      await pruneRateLimits(o.db, now - 2 * WINDOW_MS);
    }
    const checks: Array<[string, number]> = [[`key:${p.keyId}`, o.perKey]];
    if (p.role === 'widget') checks.push([`client:${p.keyId}:${clientAddress(c, o.trustProxy)}`, o.perWidgetClient]);
    for (const [bucket, limit] of checks) {
      const d = await hit(o.db, bucket, limit, WINDOW_MS, now);
      if (!d.allowed) {
        throw new ApiError('rate_limited', `too many requests: at most ${limit} a minute${bucket.startsWith('client:') ? ' from one address' : ' for this key'}; retry in ${d.retryAfterSeconds} s`,
          undefined, { 'Retry-After': String(d.retryAfterSeconds) });
      }
    }
    await next();
  };
}

function clientAddress(c: Parameters<MiddlewareHandler<AppEnv>>[0], trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
