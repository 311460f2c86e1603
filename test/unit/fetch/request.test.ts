import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchRefusedError } from '../../../knowledge/fetch/fetch.js';
import { parseAllowList, STRICT_POLICY } from '../../../knowledge/fetch/policy.js';
import { createGuardedRequester } from '../../../knowledge/fetch/request.js';

const received: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(parts).toString('utf8') });
      if (path === '/json') return void res.writeHead(200, { 'content-type': 'application/json', 'x-trace': 'abc' }).end('{"ok":true}');
      if (path === '/big') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('y'.repeat(100_000));
      if (path === '/bomb') return void res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(5_000_000, 'z')));
      if (path === '/moved') return void res.writeHead(302, { location: '/json' }).end();
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const loopbackAllowed = parseAllowList('127.0.0.0/8:1024-65535');
const request = createGuardedRequester({ policy: loopbackAllowed, userAgent: 'customer-agent-test/1' });
const limits = { timeoutMs: 2000, maxResponseBytes: 1024 };

describe('a guarded request of any method', () => {
  it('sends the method, headers and body, and gives back the status, headers and body', async () => {
    received.length = 0;
    const res = await request({ method: 'PUT', url: `${base}/json`, headers: { 'x-one': '1' }, body: 'hello', ...limits });
    expect(res).toMatchObject({ status: 200, truncated: false });
    expect(res.headers['x-trace']).toBe('abc');
    expect(res.body.toString()).toBe('{"ok":true}');
    expect(received[0]).toMatchObject({ method: 'PUT', body: 'hello', headers: { 'x-one': '1', 'user-agent': 'customer-agent-test/1', 'content-length': '5' } });
    const get = await request({ method: 'GET', url: `${base}/json`, headers: {}, ...limits });
    expect(get.status).toBe(200);
    expect(received[1]!.headers['content-length']).toBeUndefined();
  });

  it('stops reading past the cap and says the answer was cut, also for a compressed one', async () => {
    const big = await request({ method: 'GET', url: `${base}/big`, headers: {}, ...limits });
    expect(big).toMatchObject({ status: 200, truncated: true });
    expect(big.body.length).toBe(1024);
    const bomb = await request({ method: 'GET', url: `${base}/bomb`, headers: {}, ...limits });
    expect(bomb.truncated).toBe(true);
    expect(bomb.body.toString()).toBe('z'.repeat(1024));
  });

  it('answers a redirect with its status instead of following it', async () => {
    received.length = 0;
    expect((await request({ method: 'POST', url: `${base}/moved`, headers: {}, body: '{}', ...limits })).status).toBe(302);
    expect(received.map((r) => r.path)).toEqual(['/moved']);
  });

  it('refuses a target the policy does not allow before anything is sent', async () => {
    received.length = 0;
    const strict = createGuardedRequester({ policy: STRICT_POLICY, userAgent: 'test' });
    const err = await strict({ method: 'DELETE', url: `${base}/json`, headers: {}, ...limits }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FetchRefusedError);
    expect(received).toEqual([]);
  });
});
