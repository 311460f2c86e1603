/**
 * The business's own API, on loopback, as a real one behaves: it records every request, and a request
 * whose Idempotency-Key it has seen gets the first answer again without doing the work twice.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BusinessRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body: unknown;
  /** Wait this long before answering (a slow system, a worker killed mid-call). */
  delayMs?: number;
}

export interface BusinessApi {
  origin: string;
  /** Every request received, retries included. */
  requests: BusinessRequest[];
  /** Work done: one per distinct Idempotency-Key (or per request without one). */
  effects: BusinessRequest[];
  route(method: string, path: RegExp, answer: (req: BusinessRequest, match: RegExpMatchArray) => Answer): void;
  close(): Promise<void>;
}

export async function startBusinessApi(): Promise<BusinessApi> {
  const requests: BusinessRequest[] = [];
  const effects: BusinessRequest[] = [];
  const done = new Map<string, Answer>();
  const routes: { method: string; path: RegExp; answer: (req: BusinessRequest, m: RegExpMatchArray) => Answer }[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const r: BusinessRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(parts).toString('utf8') };
      requests.push(r);
      const key = req.headers['idempotency-key'];
      const reply = (a: Answer) => setTimeout(() => {
        if (!res.destroyed) res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
      }, a.delayMs ?? 0);
      const earlier = typeof key === 'string' ? done.get(key) : undefined;
      if (earlier) return reply({ ...earlier, delayMs: 0 });
      for (const route of routes) {
        const m = route.method === r.method ? r.path.match(route.path) : null;
        if (!m) continue;
        const answer = route.answer(r, m);
        if (answer.status < 500) {
          effects.push(r);
          if (typeof key === 'string') done.set(key, answer);
        }
        return reply(answer);
      }
      reply({ status: 404, body: { error: 'no such route' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    effects,
    route: (method, path, answer) => { routes.push({ method, path, answer }); },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
