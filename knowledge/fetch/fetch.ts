/**
 * The only way the product fetches a URL it was given (page sync, crawl, and later actions).
 *
 * SSRF guard: the host is resolved once, EVERY answer is checked against the policy, and the socket is
 * opened to a checked address through `lookup` — so a DNS answer that changes between check and connect
 * (rebinding) cannot reach a private address. Redirects are followed by hand and each hop is checked the
 * same way. Bodies are limited in bytes (after decompression, so a zip bomb stops early) and every
 * request in time.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { formatIp, parseIp } from './address.js';
import { checkAddress, FetchRefusedError, literalAddress, normaliseHost, urlPort, type FetchPolicy } from './policy.js';

export { FetchRefusedError } from './policy.js';

export interface FetcherOptions {
  policy: FetchPolicy;
  userAgent: string;
  /** Whole request, redirects included. */
  timeoutMs?: number;
  /** Body bytes after decompression. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Resolver seam for tests; defaults to the system resolver. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface FetchRequest {
  url: string;
  /** Sent only to the first URL: validators belong to it, not to where it redirects. */
  etag?: string;
  lastModified?: string;
  accept?: string;
  signal?: AbortSignal;
}

export interface FetchResponse {
  /** Where the body came from, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Every URL before the final one. */
  redirects: string[];
}

export type FetchFailureCode = 'refused' | 'too_large' | 'timeout' | 'too_many_redirects' | 'network';

export class FetchError extends Error {
  override name = 'FetchError';
  constructor(readonly code: FetchFailureCode, message: string) {
    super(message);
  }
}

export type Fetcher = (req: FetchRequest) => Promise<FetchResponse>;

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createFetcher(options: FetcherOptions): Fetcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const checkedAddresses = createTargetCheck(options.policy, options.resolve);

  return async function fetchUrl(req: FetchRequest): Promise<FetchResponse> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const redirects: string[] = [];
    let url = new URL(req.url);
    for (let hop = 0; ; hop++) {
      const addresses = await checkedAddresses(url);
      const headers: Record<string, string> = {
        'user-agent': options.userAgent,
        accept: req.accept ?? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
      };
      if (hop === 0 && req.etag) headers['if-none-match'] = req.etag;
      if (hop === 0 && req.lastModified) headers['if-modified-since'] = req.lastModified;
      const res = await requestOnce(url, headers, addresses, signal, maxBytes, timeoutMs);
      const location = res.headers.location;
      if (REDIRECTS.has(res.status) && location) {
        if (hop >= maxRedirects) throw new FetchError('too_many_redirects', `more than ${maxRedirects} redirects from ${req.url}`);
        redirects.push(url.href);
        url = new URL(location, url);
        continue;
      }
      return { url: url.href, status: res.status, headers: res.headers, body: res.body, redirects };
    }
  };
}

/**
 * The SSRF check of one hop (createFetcher runs it for the first URL and for every redirect): the URL's
 * scheme, then its host — an address literal as it is, a name by EVERY answer of the resolver — on the
 * URL's port. Returns the checked addresses, the only ones a connection may use.
 */
export function createTargetCheck(
  policy: FetchPolicy, resolver?: (host: string) => Promise<LookupAddress[]>,
): (url: URL) => Promise<LookupAddress[]> {
  const resolve = resolver ?? ((host: string) => new Promise<LookupAddress[]>((ok, fail) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? fail(err) : ok(addresses)));
  }));
  return async (url) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefusedError(url.href, 'scheme');
    const literal = literalAddress(url.hostname);
    if (literal) {
      checkAddress(policy, url.hostname, literal, urlPort(url));
      return [{ address: formatIp(literal), family: literal.family }];
    }
    let answers: LookupAddress[];
    try {
      answers = await resolve(normaliseHost(url.hostname));
    } catch (err) {
      throw new FetchError('network', `could not resolve ${url.hostname}: ${(err as Error).message}`);
    }
    if (answers.length === 0) throw new FetchRefusedError(url.hostname, 'no-address');
    for (const a of answers) {
      const ip = parseIp(a.address);
      if (!ip) throw new FetchRefusedError(`${url.hostname} (${a.address})`, 'no-address');
      checkAddress(policy, url.hostname, ip, urlPort(url));
    }
    return answers;
  };
}

/**
 * A `lookup` for http(s).request that answers only with addresses createTargetCheck returned: the socket
 * connects to a checked address and no second DNS lookup happens (a rebinding answer never reaches it).
 */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_host, opts, callback) => {
    const cb = callback as (err: Error | null, address: string | LookupAddress[], family?: number) => void;
    if ((opts as { all?: boolean }).all) cb(null, addresses);
    else cb(null, addresses[0]!.address, addresses[0]!.family);
  };
}

function requestOnce(
  url: URL, headers: Record<string, string>, addresses: LookupAddress[], signal: AbortSignal, maxBytes: number, timeoutMs: number,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const lookup = pinnedLookup(addresses);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(url, signal, timeoutMs));
      return;
    }
    const req = client.request(url, { method: 'GET', headers, lookup, signal, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
      if (REDIRECTS.has(status) || status === 304 || status === 204 || status === 404 || status === 410) {
        res.resume();
        resolve({ status, headers: flat, body: Buffer.alloc(0) });
        return;
      }
      const declared = Number(flat['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.destroy();
        reject(new FetchError('too_large', `${url.href} is ${declared} bytes, more than the limit of ${maxBytes}`));
        return;
      }
      const encoding = (flat['content-encoding'] ?? '').trim().toLowerCase();
      const stream = encoding === 'gzip' || encoding === 'x-gzip' ? res.pipe(zlib.createGunzip())
        : encoding === 'deflate' ? res.pipe(zlib.createInflate())
          : encoding === 'br' ? res.pipe(zlib.createBrotliDecompress())
            : res;
      const parts: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy();
          stream.destroy();
          reject(new FetchError('too_large', `${url.href} is larger than the limit of ${maxBytes} bytes`));
          return;
        }
        parts.push(chunk);
      });
      stream.on('end', () => resolve({ status, headers: flat, body: Buffer.concat(parts) }));
      stream.on('error', (err) => reject(signal.aborted ? abortError(url, signal, timeoutMs) : new FetchError('network', `reading ${url.href} failed: ${err.message}`)));
      res.on('error', (err) => reject(signal.aborted ? abortError(url, signal, timeoutMs) : new FetchError('network', `reading ${url.href} failed: ${err.message}`)));
    });
    req.on('error', (err) => reject(signal.aborted ? abortError(url, signal, timeoutMs) : new FetchError('network', `fetching ${url.href} failed: ${err.message}`)));
    req.end();
  });
}

function abortError(url: URL, signal: AbortSignal, timeoutMs: number): Error {
  const reason = signal.reason as { name?: string } | undefined;
  if (reason?.name === 'TimeoutError') return new FetchError('timeout', `${url.href} did not answer within ${timeoutMs} ms`);
  return new FetchError('network', `fetching ${url.href} was cancelled`);
}

/** The body as text, in the charset the response or the page declares (UTF-8 when unknown). */
export function decodeBody(res: Pick<FetchResponse, 'headers' | 'body'>): string {
  const declared = /charset\s*=\s*["']?([\w.:-]+)/i.exec(res.headers['content-type'] ?? '')?.[1]
    ?? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(res.body.subarray(0, 2048).toString('latin1'))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(res.body);
  } catch {
    return new TextDecoder('utf-8').decode(res.body);
  }
}

/** The media type without parameters, lower case ('text/html'). */
export function mediaType(res: Pick<FetchResponse, 'headers'>): string {
  return (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
