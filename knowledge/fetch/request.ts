/**
 * One guarded HTTP request, any method, to a URL the product was given: webhook deliveries (post.ts),
 * custom channel replies and actions (actions/http.ts) are built on it.
 *
 * The same SSRF guard as fetch.ts: the target is checked by createTargetCheck (scheme, every DNS answer
 * against the policy) and the socket connects only to a checked address (pinnedLookup). Redirects are
 * never followed: a 3xx is the server's answer like any other status, since sending the same request (a
 * signed body, secret headers) to another host is not ours to decide. The whole request, address check
 * included, is bounded in time. The response body is read up to a cap (after decompression, so a zip
 * bomb stops early); past it, reading stops and the answer is marked truncated. It is never an error:
 * what a cut-off answer means is the caller's to decide.
 */
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { createTargetCheck, FetchError, pinnedLookup } from './fetch.js';
import type { FetchPolicy } from './policy.js';

export interface GuardedRequestOptions {
  policy: FetchPolicy;
  userAgent: string;
  /** Resolver seam for tests; defaults to the system resolver. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface GuardedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The whole request: address check, connect, send and the answer. */
  timeoutMs: number;
  /** Response bytes read, after decompression; then reading stops and the answer is `truncated`. */
  maxResponseBytes: number;
  /** false: the body is read up to the cap and dropped (a webhook needs only the status). Default true. */
  keepBody?: boolean;
}

export interface GuardedResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** At most maxResponseBytes; empty when keepBody is false. */
  body: Buffer;
  /** More than maxResponseBytes came: the body holds its first maxResponseBytes. */
  truncated: boolean;
}

/** Resolves with any status (3xx included); rejects with FetchRefusedError or FetchError ('timeout' | 'network'). */
export type GuardedRequester = (req: GuardedRequest) => Promise<GuardedResponse>;

export function createGuardedRequester(options: GuardedRequestOptions): GuardedRequester {
  const check = createTargetCheck(options.policy, options.resolve);

  return async function request(req: GuardedRequest): Promise<GuardedResponse> {
    const signal = AbortSignal.timeout(req.timeoutMs);
    const url = new URL(req.url);
    const what = `${req.method} ${url.href}`;
    // A resolver that hangs counts against the same deadline as the server.
    const addresses = await Promise.race([check(url), new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(abortError(what, url, signal, req.timeoutMs)), { once: true });
    })]);
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    const headers: Record<string, string> = { 'user-agent': options.userAgent, ...req.headers };
    if (body) headers['content-length'] = String(body.length);
    const keepBody = req.keepBody ?? true;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(signal.aborted ? abortError(what, url, signal, req.timeoutMs) : new FetchError('network', `${what} failed: ${err.message}`));
      };
      if (signal.aborted) {
        fail(new Error('aborted'));
        return;
      }
      const outgoing = client.request(url, { method: req.method, headers, lookup: pinnedLookup(addresses), signal, agent: false }, (res) => {
        const status = res.statusCode ?? 0;
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
        const stream = keepBody ? decoded(res, flat['content-encoding']) : res;
        const parts: Buffer[] = [];
        let size = 0;
        const done = (truncated: boolean) => {
          if (settled) return;
          settled = true;
          resolve({ status, headers: flat, body: Buffer.concat(parts), truncated });
        };
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = req.maxResponseBytes - size;
          size += chunk.length;
          if (keepBody) parts.push(room >= chunk.length ? chunk : chunk.subarray(0, Math.max(0, room)));
          // Enough read: an endless answer must not hold the request open.
          if (size > req.maxResponseBytes) {
            done(true);
            res.destroy();
            if (stream !== res) stream.destroy();
          }
        });
        stream.on('end', () => done(false));
        stream.on('error', (err) => fail(err));
        res.on('error', (err) => fail(err));
      });
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  };
}

/** The body as sent, or inflated when the server compressed it (only if asked: we never send Accept-Encoding). */
function decoded(res: http.IncomingMessage, encoding: string | undefined): Readable {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'gzip' || e === 'x-gzip') return res.pipe(zlib.createGunzip());
  if (e === 'deflate') return res.pipe(zlib.createInflate());
  if (e === 'br') return res.pipe(zlib.createBrotliDecompress());
  return res;
}

function abortError(what: string, url: URL, signal: AbortSignal, timeoutMs: number): FetchError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new FetchError('timeout', `${url.href} did not answer within ${timeoutMs} ms`)
    : new FetchError('network', `${what} was cancelled`);
}
