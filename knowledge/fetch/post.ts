/**
 * The only way the product POSTs to a URL it was given (webhook deliveries, later actions).
 *
 * The same SSRF guard as fetch.ts: the target is checked by createTargetCheck (scheme, every DNS answer
 * against the policy) and the socket connects only to a checked address (pinnedLookup). Unlike a fetch,
 * redirects are never followed: a 3xx is the receiver's answer like any other status, since replaying a
 * signed body to another host is not ours to decide. The whole request is bounded in time, and the
 * response body is read (so the receiver is not cut off mid-answer) up to a cap, then discarded.
 */
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { createTargetCheck, FetchError, pinnedLookup } from './fetch.js';
import type { FetchPolicy } from './policy.js';

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
  const check = createTargetCheck(options.policy, options.resolve);

  return async function post(req: PostRequest): Promise<{ status: number }> {
    const signal = AbortSignal.timeout(timeoutMs);
    const url = new URL(req.url);
    // A resolver that hangs counts against the same deadline as the receiver.
    const addresses = await Promise.race([check(url), new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(timeoutError(url, signal, timeoutMs)), { once: true });
    })]);
    const body = Buffer.from(req.body, 'utf8');
    const headers = { 'user-agent': options.userAgent, ...req.headers, 'content-length': String(body.length) };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(signal.aborted ? timeoutError(url, signal, timeoutMs) : new FetchError('network', `posting to ${url.href} failed: ${err.message}`));
      };
      if (signal.aborted) {
        fail(new Error('aborted'));
        return;
      }
      const request = client.request(url, { method: 'POST', headers, lookup: pinnedLookup(addresses), signal, agent: false }, (res) => {
        const status = res.statusCode ?? 0;
        const done = () => {
          if (settled) return;
          settled = true;
          resolve({ status });
        };
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // Enough read: the status is what counts; an endless answer must not hold the attempt open.
          if (size > maxResponseBytes) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', (err) => (settled ? undefined : fail(err)));
      });
      request.on('error', fail);
      request.end(body);
    });
  };
}

function timeoutError(url: URL, signal: AbortSignal, timeoutMs: number): FetchError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new FetchError('timeout', `${url.href} did not answer within ${timeoutMs} ms`)
    : new FetchError('network', `posting to ${url.href} was cancelled`);
}
