/**
 * A shop's own API on loopback, for action tests: records every request (method, path, headers, raw body)
 * and answers as a small order service would.
 *   GET  /orders/12345         200 JSON order (any other number: 404 JSON)
 *   POST /refunds, /echo       201 JSON echoing the body it got
 *   GET  /big                  200 JSON of about 200 KB
 *   GET  /flaky                503 the first time, then 200 JSON
 *   GET  /redirect             302 to /orders/12345
 *   GET  /nul                  200 JSON holding a NUL and a lone surrogate (jsonb refuses both)
 *   GET  /slow                 never answers
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShopRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ShopApi {
  origin: string;
  port: number;
  received: ShopRequest[];
  at(path: string): ShopRequest[];
  close(): Promise<void>;
}

export const ORDER = { status: 'shipped', order: { carrier: 'GLS', items: [{ name: 'Trail boots' }, { name: 'Wool socks' }] } };

export async function startShopApi(): Promise<ShopApi> {
  const received: ShopRequest[] = [];
  const json = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://shop.test');
      const body = Buffer.concat(parts).toString('utf8');
      received.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
      const n = received.filter((r) => r.path.split('?')[0] === url.pathname).length;
      if (url.pathname === '/orders/12345') return void json(res, 200, ORDER);
      if (url.pathname.startsWith('/orders/')) return void json(res, 404, { error: 'no such order' });
      if (url.pathname === '/refunds' || url.pathname === '/echo') return void json(res, 201, { received: body, contentType: req.headers['content-type'] ?? null });
      if (url.pathname === '/big') return void json(res, 200, { items: Array.from({ length: 4000 }, (_, i) => ({ i, name: `item ${i} ${'x'.repeat(30)}` })) });
      if (url.pathname === '/flaky') return void (n === 1 ? json(res, 503, { error: 'busy' }) : json(res, 200, { status: 'done' }));
      if (url.pathname === '/redirect') return void res.writeHead(302, { location: '/orders/12345' }).end();
      if (url.pathname === '/nul') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"note": "a\\u0000b", "half": "\\ud800"}');
      if (url.pathname === '/slow') return;
      json(res, 404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    at: (path) => received.filter((r) => r.path === path),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
