/**
 * A small website on loopback for crawl tests and the crawl bench. Pages are mutable between requests
 * (to test re-sync), answer conditional requests (ETag / Last-Modified → 304) like a real server, and
 * every request is counted per path and status, so a test can prove what was (not) fetched.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SitePage =
  | string
  | { status: number; body?: string; contentType?: string; location?: string; conditional?: boolean };

export interface TestSite {
  /** http://127.0.0.1:<port> */
  origin: string;
  pages: Map<string, SitePage>;
  /** Requests per path. */
  hits: Map<string, number>;
  /** Statuses answered per path, in order. */
  answers: Map<string, number[]>;
  /** Milliseconds every answer waits (a slow site). */
  delayMs: number;
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Tue, 06 Jan 2026 10:00:00 GMT';

/**
 * FETCH_ALLOW_HOSTS for tests whose sites start after the system: they listen on random unprivileged
 * loopback ports, so those ports are named (an entry without a port would open only 80 and 443).
 */
export const LOOPBACK_TEST_SITES = '127.0.0.0/8:1024-65535';

export async function serveSite(pages: Record<string, SitePage>, options: { delayMs?: number } = {}): Promise<TestSite> {
  const site: TestSite = {
    origin: '',
    pages: new Map(Object.entries(pages)),
    hits: new Map(),
    answers: new Map(),
    delayMs: options.delayMs ?? 0,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    site.hits.set(path, (site.hits.get(path) ?? 0) + 1);
    const answer = (status: number, headers: Record<string, string> = {}, body?: string) => {
      site.answers.set(path, [...(site.answers.get(path) ?? []), status]);
      res.writeHead(status, headers).end(body);
    };
    setTimeout(() => {
      const page = site.pages.get(path);
      if (page === undefined) return answer(404, { 'content-type': 'text/html' }, '<h1>Not found</h1>');
      const p = typeof page === 'string' ? { status: 200, body: page, contentType: 'text/html; charset=utf-8', conditional: true } : page;
      if (p.location) return answer(p.status, { location: p.location });
      const body = p.body ?? '';
      const headers: Record<string, string> = { 'content-type': p.contentType ?? 'text/html; charset=utf-8' };
      if (p.conditional !== false && p.status === 200) {
        headers.etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
        headers['last-modified'] = LAST_MODIFIED;
        if (req.headers['if-none-match'] === headers.etag) return answer(304, { etag: headers.etag });
      }
      return answer(p.status, headers, body);
    }, site.delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return site;
}

/** A help-centre page with site chrome around the content, linking to `links`. */
export function helpPage(title: string, body: string, links: string[] = [], extraHead = ''): string {
  return `<!doctype html><html><head><title>${title}</title>${extraHead}</head><body>
<header class="site-header"><a href="/">Fjeldspor</a> Sign in</header>
<nav><a href="/">Home</a> ${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</nav>
<div id="cookie-banner">We use cookies to improve the shop. <button>Accept all</button></div>
<main><h1>${title}</h1>${body}
<p>${links.map((l) => `<a href="${l}">Read more: ${l}</a>`).join(' ')}</p></main>
<footer>Fjeldspor ApS · Imprint · Privacy</footer></body></html>`;
}
