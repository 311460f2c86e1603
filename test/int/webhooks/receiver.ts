/** A webhook receiver on loopback for tests: records every request with its raw body, answers per path. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllowList } from '../../../knowledge/fetch/policy.js';

export interface Reception {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Exactly the bytes received: signatures are verified on these. */
  rawBody: string;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  origin: string;
  received: Reception[];
  /** How a path answers its n-th request (1-based); default 200. */
  answer(path: string, status: (n: number) => number): void;
  at(path: string): Reception[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Reception[] = [];
  const answers = new Map<string, (n: number) => number>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = received.filter((r) => r.path === path).length + 1;
      const status = answers.get(path)?.(n) ?? 200;
      received.push({ path, headers: req.headers, rawBody: Buffer.concat(parts).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    answer: (path, status) => answers.set(path, status),
    at: (path) => received.filter((r) => r.path === path),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * FETCH_ALLOW_HOSTS for receivers on random loopback ports. Where allowlist entries carry ports (an entry
 * without one then opens only 80 and 443), the unprivileged range is named; before that, the CIDR alone.
 */
export const LOOPBACK_RECEIVERS = ((withPorts: string) => {
  try {
    parseAllowList(withPorts);
    return withPorts;
  } catch {
    return '127.0.0.0/8';
  }
})('127.0.0.0/8:1024-65535');
