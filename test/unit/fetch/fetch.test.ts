import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, createTargetCheck, FetchError, FetchRefusedError } from '../../../knowledge/fetch/fetch.js';
import { parseAllowList, STRICT_POLICY, type FetchPolicy } from '../../../knowledge/fetch/policy.js';

// One loopback server for the file; each route counts its hits so a test can prove a request never left.
// A second one stands for another service on the same host (a database's port).
const hits = new Map<string, number>();
let server: http.Server;
let port: number;
let base: string;
let otherService: http.Server;
let otherPort: number;
let otherHits = 0;
/** Loopback on the test server's port only, as FETCH_ALLOW_HOSTS=127.0.0.0/8:<port> allows it. */
let loopbackAllowed: FetchPolicy;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/page') {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"v1"' }).end('<p>hello</p>');
    }
    if (path.startsWith('/redirect?to=')) {
      return void res.writeHead(302, { location: decodeURIComponent(path.slice('/redirect?to='.length)) }).end();
    }
    if (path === '/loop') return void res.writeHead(301, { location: '/loop' }).end();
    if (path === '/big') return void res.writeHead(200, { 'content-type': 'text/html' }).end('x'.repeat(200_000));
    if (path === '/bomb') {
      return void res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(20_000_000)));
    }
    if (path === '/latin1') return void res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(Buffer.from([0x62, 0xf8, 0x72]));
    if (path === '/slow') return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  loopbackAllowed = parseAllowList(`127.0.0.0/8:${port}`);
  otherService = http.createServer((_req, res) => {
    otherHits++;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('internal service');
  });
  await new Promise<void>((r) => otherService.listen(0, '127.0.0.1', r));
  otherPort = (otherService.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of [server, otherService]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});
const agent = 'customer-agent-test/1';

async function refusal(p: Promise<unknown>): Promise<FetchRefusedError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FetchRefusedError);
  return err as FetchRefusedError;
}

describe('fetching a URL safely', () => {
  it('refuses a loopback URL without the allowlist, before any request is made', async () => {
    const fetcher = createFetcher({ policy: STRICT_POLICY, userAgent: agent });
    hits.clear();
    for (const url of [`${base}/page`, `http://localhost:${port}/page`, `http://2130706433:${port}/page`, `http://0x7f.1:${port}/page`, `http://[::ffff:127.0.0.1]:${port}/page`]) {
      const err = await refusal(fetcher({ url }));
      expect(err.message).toMatch(/loopback address; add it to FETCH_ALLOW_HOSTS/);
    }
    expect(hits.get('/page')).toBeUndefined();
  });

  // Non-loopback targets are checked with the target check alone: a test never opens a socket to them.
  it('refuses private, link-local, metadata and unique-local targets and non-http schemes', async () => {
    const check = createTargetCheck(parseAllowList('127.0.0.0/8'), async (host) => [{ address: host === 'metadata.test' ? '169.254.169.254' : '10.0.0.8', family: 4 }]);
    const reason = async (url: string) => (await refusal(check(new URL(url)))).reason;
    expect(await reason('http://169.254.169.254/latest/meta-data/')).toBe('link-local');
    expect(await reason('http://metadata.test/latest/meta-data/')).toBe('link-local');
    expect(await reason('http://10.0.0.1/')).toBe('private');
    expect(await reason('http://intranet.test/')).toBe('private');
    expect(await reason('http://[fd00::1]/')).toBe('unique-local');
    expect(await reason('http://100.64.1.1/')).toBe('cgnat');
    expect(await reason('file:///etc/passwd')).toBe('scheme');
    expect(await check(new URL('http://127.0.0.1/'))).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('checks every DNS answer: one private answer among allowed ones is refused', async () => {
    const fetcher = createFetcher({
      policy: loopbackAllowed, userAgent: agent,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }, { address: '192.168.0.10', family: 4 }],
    });
    hits.clear();
    expect((await refusal(fetcher({ url: `http://shop.example.test:${port}/page` }))).reason).toBe('private');
    expect(hits.get('/page')).toBeUndefined();
  });

  it('connects to the address it checked, never resolving the name a second time', async () => {
    // The system resolver cannot resolve this name: a response proves the checked answer was used.
    const fetcher = createFetcher({
      policy: parseAllowList(`pinned.example.test:${port}`), userAgent: agent,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const res = await fetcher({ url: `http://pinned.example.test:${port}/page` });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('<p>hello</p>');
  });

  it('refuses a redirect to a loopback target the allowlist does not name, re-checking every hop', async () => {
    // The start host is allowed by name; where it redirects is not.
    const fetcher = createFetcher({
      policy: parseAllowList(`public.example.test:${port}`), userAgent: agent,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    hits.clear();
    for (const target of [`http://127.0.0.1:${port}/page`, `http://localhost:${port}/page`, `http://[::1]:${port}/page`, `http://2130706433:${port}/page`]) {
      const url = `http://public.example.test:${port}/redirect?to=${encodeURIComponent(target)}`;
      await refusal(fetcher({ url }));
    }
    expect(hits.get('/page')).toBeUndefined();
  });

  it('opens only the ports an allowlist entry names: another port of the same host is refused, also behind a redirect', async () => {
    otherHits = 0;
    // No port named: 80 and 443 only, so neither test server is reachable.
    const webPortsOnly = createFetcher({ policy: parseAllowList('127.0.0.0/8'), userAgent: agent });
    expect((await refusal(webPortsOnly({ url: `${base}/page` }))).reason).toBe('port');
    expect(await createTargetCheck(parseAllowList('127.0.0.0/8'))(new URL('http://127.0.0.1/'))).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await createTargetCheck(parseAllowList('127.0.0.0/8'))(new URL('https://127.0.0.1/'))).toEqual([{ address: '127.0.0.1', family: 4 }]);

    // The test server's port named: it is fetched, but its redirect to the other service is not followed.
    const fetcher = createFetcher({ policy: loopbackAllowed, userAgent: agent });
    expect((await fetcher({ url: `${base}/page` })).status).toBe(200);
    for (const target of [`http://127.0.0.1:${otherPort}/`, `http://localhost:${otherPort}/`, `http://[::ffff:127.0.0.1]:${otherPort}/`]) {
      const err = await refusal(fetcher({ url: `${base}/redirect?to=${encodeURIComponent(target)}` }));
      expect(err.reason, target).toMatch(/port|loopback/);
    }
    const direct = await refusal(fetcher({ url: `http://127.0.0.1:${otherPort}/` }));
    expect(direct.reason).toBe('port');
    expect(direct.message).toContain(`opens this loopback address on port ${port} only; add 127.0.0.0/8:${otherPort} if`);
    expect(otherHits).toBe(0);
  });

  it('follows allowed redirects and reports where the body came from', async () => {
    const fetcher = createFetcher({ policy: loopbackAllowed, userAgent: agent });
    const res = await fetcher({ url: `${base}/redirect?to=${encodeURIComponent('/page')}` });
    expect(res.url).toBe(`${base}/page`);
    expect(res.redirects).toEqual([`${base}/redirect?to=${encodeURIComponent('/page')}`]);
    const err = await fetcher({ url: `${base}/loop` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('too_many_redirects');
  });

  it('sends validators, so an unchanged page answers 304 with no body', async () => {
    const fetcher = createFetcher({ policy: loopbackAllowed, userAgent: agent });
    const res = await fetcher({ url: `${base}/page`, etag: '"v1"' });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
  });

  it('stops a body over the size limit, also when it only grows on decompression', async () => {
    const fetcher = createFetcher({ policy: loopbackAllowed, userAgent: agent, maxBytes: 100_000 });
    for (const path of ['/big', '/bomb']) {
      const err = await fetcher({ url: `${base}${path}` }).catch((e: unknown) => e);
      expect((err as FetchError).code, path).toBe('too_large');
    }
  });

  it('gives up on a server that does not answer in time', async () => {
    const fetcher = createFetcher({ policy: loopbackAllowed, userAgent: agent, timeoutMs: 300 });
    const err = await fetcher({ url: `${base}/slow` }).catch((e: unknown) => e);
    expect((err as FetchError).code).toBe('timeout');
  });

  it('decodes the body in the charset the response declares', async () => {
    const { decodeBody } = await import('../../../knowledge/fetch/fetch.js');
    const fetcher = createFetcher({ policy: loopbackAllowed, userAgent: agent });
    expect(decodeBody(await fetcher({ url: `${base}/latin1` }))).toBe('bør');
  });
});
