import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, FetchRefusedError } from '../../../knowledge/fetch/fetch.js';
import { parseAllowList, STRICT_POLICY } from '../../../knowledge/fetch/policy.js';
import { createPoster } from '../../../knowledge/fetch/post.js';

// One loopback receiver; every request is recorded, so a test can prove that none was made.
const received: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(parts).toString('utf8') });
      if (path === '/ok') return void res.writeHead(204).end();
      if (path === '/refuse') return void res.writeHead(410).end('gone');
      if (path === '/redirect') return void res.writeHead(307, { location: '/ok' }).end();
      if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(16 * 1024, 'x');
        const pump = () => { while (res.write(chunk)) { /* fill the buffer */ } };
        res.on('drain', pump);
        pump();
        return;
      }
      if (path === '/slow') return; // never answers
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

// Loopback test servers listen on a random high port: the allowlist names the range, as a deployment names its port.
const loopbackAllowed = parseAllowList('127.0.0.0/8:1024-65535');
const event = JSON.stringify({ id: 'evt_1', type: 'message.created', data: { text: 'Grüße' } });

describe('a guarded POST', () => {
  it('sends the body and headers as given, with its user agent and length, and resolves with the status', async () => {
    const post = createPoster({ policy: loopbackAllowed, userAgent: 'customer-agent-webhooks/test' });
    received.length = 0;
    expect(await post({ url: `${base}/ok`, body: event, headers: { 'content-type': 'application/json', 'x-signature': 't=1,v1=ab' } })).toEqual({ status: 204 });
    expect(await post({ url: `${base}/refuse`, body: event, headers: {} })).toEqual({ status: 410 });
    expect(received[0]).toMatchObject({
      method: 'POST', path: '/ok', body: event,
      headers: { 'content-type': 'application/json', 'x-signature': 't=1,v1=ab', 'user-agent': 'customer-agent-webhooks/test', 'content-length': String(Buffer.byteLength(event)) },
    });
  });

  it('refuses loopback, private and link-local targets before any request, unless the allowlist names them', async () => {
    const post = createPoster({ policy: STRICT_POLICY, userAgent: 'test', resolve: async () => [{ address: '10.0.0.8', family: 4 }] });
    received.length = 0;
    for (const url of [`${base}/ok`, `http://localhost:${port}/ok`, `http://[::ffff:127.0.0.1]:${port}/ok`, 'http://169.254.169.254/latest', 'http://hooks.internal.test/ok', 'file:///etc/passwd']) {
      const err = await post({ url, body: event, headers: {} }).then(() => undefined, (e: unknown) => e);
      expect(err, url).toBeInstanceOf(FetchRefusedError);
    }
    expect(received).toEqual([]);
  });

  it('never follows a redirect: the 3xx is the answer', async () => {
    const post = createPoster({ policy: loopbackAllowed, userAgent: 'test' });
    received.length = 0;
    expect(await post({ url: `${base}/redirect`, body: event, headers: {} })).toEqual({ status: 307 });
    expect(received.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('gives up on a receiver that does not answer in time, and stops reading an endless answer', async () => {
    const post = createPoster({ policy: loopbackAllowed, userAgent: 'test', timeoutMs: 300, maxResponseBytes: 64 * 1024 });
    const started = Date.now();
    const err = await post({ url: `${base}/slow`, body: event, headers: {} }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await post({ url: `${base}/endless`, body: event, headers: {} })).toEqual({ status: 200 });
  });
});
