import { describe, expect, it } from 'vitest';
import { batchingEmbedder } from '../../../knowledge/crawl/batching-embedder.js';
import { crawl, type CrawledPage } from '../../../knowledge/crawl/crawler.js';
import { FetchError, type Fetcher, type FetchResponse } from '../../../knowledge/fetch/fetch.js';
import type { Embedder } from '../../../knowledge/types.js';

const O = 'https://shop.example';

/** A fake site: path → response (or an error to throw); everything else is a 404. */
function fakeSite(routes: Record<string, Partial<FetchResponse> | Error>): { fetcher: Fetcher; requested: string[] } {
  const requested: string[] = [];
  const fetcher: Fetcher = async (req) => {
    const path = new URL(req.url).pathname + new URL(req.url).search;
    requested.push(path);
    const r = routes[path];
    if (r instanceof Error) throw r;
    if (!r) return { url: req.url, status: 404, headers: {}, body: Buffer.alloc(0), redirects: [] };
    return { url: req.url, status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.alloc(0), redirects: [], ...r };
  };
  return { fetcher, requested };
}

const html = (body: string) => ({ body: Buffer.from(`<html><body><main>${body}</main></body></html>`) });

async function run(routes: Record<string, Partial<FetchResponse> | Error>, options: { known?: Record<string, { etag?: string; links?: string[] }> } = {}) {
  const site = fakeSite(routes);
  const pages: CrawledPage[] = [];
  const result = await crawl({
    startUrl: `${O}/`, mode: 'site', maxPages: 100, concurrency: 3, delayMs: 0, robotsAgent: 'customer-agent', fetcher: site.fetcher,
    known: (url) => options.known?.[url],
    onPage: async (p) => { pages.push(p); return 'stored'; },
  });
  return { result, pages, requested: site.requested };
}

describe('crawling a site', () => {
  it('does not treat a site it could not see as empty: robots.txt failing with 5xx stops the crawl, incomplete', async () => {
    const { result, requested } = await run({ '/robots.txt': { status: 503 }, '/': html('<p>Home</p>') });
    expect(result.complete).toBe(false);
    expect(result.error).toMatch(/robots.txt answered HTTP 503/);
    expect(requested).toEqual(['/robots.txt']);
  });

  it('a start page that cannot be reached leaves the crawl incomplete, so nothing is removed', async () => {
    const { result } = await run({ '/': new FetchError('timeout', 'https://shop.example/ did not answer within 15000 ms') });
    expect(result.complete).toBe(false);
    expect(result.failed).toEqual([`${O}/`]);
    expect(result.error).toMatch(/start page could not be fetched/);
  });

  it('keeps a page that failed for a passing reason, and follows the links a 304 page had last time', async () => {
    const { result } = await run({
      '/': { status: 304 },
      '/a': html('<p>Alpha</p>'),
      '/b': { status: 500 },
    }, { known: { [`${O}/`]: { etag: '"x"', links: [`${O}/a`, `${O}/b`] } } });
    expect(result.complete).toBe(true);
    expect(result.live.sort()).toEqual([`${O}/`, `${O}/a`]);
    expect(result.failed).toEqual([`${O}/b`]);
    expect(result.progress).toMatchObject({ unchanged: 1, stored: 1 });
  });

  it('skips pages that ask not to be indexed but follows their links unless told not to', async () => {
    const { pages, result } = await run({
      '/': html('<meta name="robots" content="noindex"><p>Hub</p><a href="/a">a</a>'),
      '/a': html('<meta name="robots" content="nofollow"><p>Alpha</p><a href="/b">b</a>'),
      '/b': html('<p>Beta</p>'),
    });
    expect(pages.map((p) => p.url)).toEqual([`${O}/a`]);
    expect(result.skipped).toContainEqual({ url: `${O}/`, reason: 'the page asks not to be indexed (noindex)' });
  });
});

describe('politeness', () => {
  it('spaces requests by the Crawl-delay robots.txt asks for, even with several workers', async () => {
    const starts: number[] = [];
    const site = fakeSite({
      '/robots.txt': { headers: { 'content-type': 'text/plain' }, body: Buffer.from('User-agent: *\nCrawl-delay: 0.1\n') },
      '/': html('<p>Home</p><a href="/a">a</a><a href="/b">b</a><a href="/c">c</a>'),
      '/a': html('<p>A</p>'), '/b': html('<p>B</p>'), '/c': html('<p>C</p>'),
    });
    await crawl({
      startUrl: `${O}/`, mode: 'site', maxPages: 10, concurrency: 4, delayMs: 0, robotsAgent: 'customer-agent',
      fetcher: async (req) => { starts.push(performance.now()); return site.fetcher(req); },
      onPage: async () => 'stored',
    });
    expect(starts).toHaveLength(6); // robots.txt, sitemap.xml, /, /a, /b, /c
    const gaps = starts.slice(2).map((t, i) => t - starts[i + 1]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(95);
  });
});

describe('a crawl whose storage fails', () => {
  it('stops every worker and fails, so nothing is written after the failure', async () => {
    const routes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i === 0 ? '/' : `/p${i}`, html(`<p>Page ${i}</p>${Array.from({ length: 19 }, (_, j) => `<a href="/p${j + 1}">x</a>`).join('')}`)]));
    const site = fakeSite(routes);
    let stored = 0;
    const crawling = crawl({
      startUrl: `${O}/`, mode: 'site', maxPages: 100, concurrency: 3, delayMs: 0, robotsAgent: 'customer-agent', fetcher: site.fetcher,
      onPage: async () => {
        if (++stored === 3) throw new Error('the database is gone');
        return 'stored';
      },
    });
    await expect(crawling).rejects.toThrow('the database is gone');
    const after = stored;
    await new Promise((r) => setTimeout(r, 50));
    expect(stored).toBe(after);
    expect(stored).toBeLessThan(6);
  });
});

describe('embedding a crawl in batches', () => {
  it('gathers calls that arrive while a batch runs into the next one and hands each caller its own vectors', async () => {
    const batches: string[][] = [];
    const inner: Embedder = {
      dimensions: 1, model: 'len',
      async embed(texts) {
        batches.push(texts);
        await new Promise((r) => setTimeout(r, 10));
        return texts.map((t) => [t.length]);
      },
    };
    const e = batchingEmbedder(inner, 4);
    const out = await Promise.all([e.embed(['a']), e.embed(['bb', 'ccc']), e.embed(['dddd']), e.embed(['eeeee', 'ffffff'])]);
    expect(out).toEqual([[[1]], [[2], [3]], [[4]], [[5], [6]]]);
    expect(batches).toEqual([['a'], ['bb', 'ccc', 'dddd'], ['eeeee', 'ffffff']]);
  });
});
