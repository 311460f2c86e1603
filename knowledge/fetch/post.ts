/**
 * The only way the product POSTs to a URL it was given and needs just the answer's status (webhook
 * deliveries, custom channel replies): a guarded request (request.ts) — the SSRF guard on every DNS
 * answer, the socket pinned to a checked address, redirects never followed (a 3xx is the receiver's
 * answer), the whole request bounded in time — whose response body is read up to a cap, so the receiver
 * is not cut off mid-answer, and discarded.
 */
import type { LookupAddress } from 'node:dns';
import type { FetchPolicy } from './policy.js';
import { createGuardedRequester } from './request.js';

export interface PosterOptions {
  policy: FetchPolicy;
  userAgent: string;
  /** The whole request: address check, connect, send and the answer. */
  timeoutMs?: number;
  /** Response bytes read before the connection is closed; the body is never kept. */
  maxResponseBytes?: number;
  /** Resolver seam for tests; defaults to the system resolver. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface PostRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Resolves with the receiver's status (any, 3xx included); rejects with FetchRefusedError or FetchError. */
export type Post = (req: PostRequest) => Promise<{ status: number }>;

export const DEFAULT_POST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

export function createPoster(options: PosterOptions): Post {
  const timeoutMs = options.timeoutMs ?? DEFAULT_POST_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const request = createGuardedRequester({ policy: options.policy, userAgent: options.userAgent, ...(options.resolve ? { resolve: options.resolve } : {}) });

  return async function post(req: PostRequest): Promise<{ status: number }> {
    const { status } = await request({ method: 'POST', url: req.url, headers: req.headers, body: req.body, timeoutMs, maxResponseBytes, keepBody: false });
    return { status };
  };
}
