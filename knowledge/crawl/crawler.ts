/**
 * The crawl engine: one URL, or a whole site ("import related URLs") — same site only, robots.txt obeyed,
 * sitemap.xml (and sitemap indexes) used when present, links followed breadth-first up to a page limit,
 * polite concurrency and spacing between requests. Canonical URLs, redirects and pages with the same
 * content are collapsed to one page each. Storage is the caller's: every page with content goes to
 * `onPage`; pages the server says are unchanged (304) never leave the crawler.
 *
 * The result says which pages are live, which are gone (404/410, refused) and which failed for a reason
 * that may pass (timeouts, 5xx): a caller removes only the gone and the no-longer-found, never the failed,
 * and removes nothing at all when the crawl is not `complete`.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Block } from '../blocks.js';
import { decodeBody, FetchError, FetchRefusedError, mediaType, type Fetcher, type FetchResponse } from '../fetch/fetch.js';
import { parsePage } from './page.js';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type RobotsRules } from './robots.js';
import { parseSitemap } from './sitemap.js';
import { nonPageExtension, normaliseUrl, robotsPath, sameSite } from './urls.js';

export type CrawlMode = 'url' | 'site';

export interface KnownPage {
  etag?: string;
  lastModified?: string;
  /** Links the page made when it was last read: a 304 has no body to read them from. */
  links?: readonly string[];
}

export interface CrawledPage {
  url: string;
  title: string;
  blocks: Block[];
  links: string[];
  etag?: string;
  lastModified?: string;
  fetchedAt: Date;
}

export interface CrawlProgress {
  discovered: number;
  fetched: number;
  /** Pages new or changed, stored again. */
  stored: number;
  /** Pages that did not change (304 or the same content). */
  unchanged: number;
  skipped: number;
}

export interface Skipped {
  url: string;
  reason: string;
}

export interface CrawlResult {
  progress: CrawlProgress;
  /** Pages the source has after this crawl. */
  live: string[];
  /** Pages that answered 404/410, are not HTML, or may not be fetched (robots.txt, refused): remove them. */
  gone: string[];
  /** Pages that failed for a reason that may pass: keep their last good version. */
  failed: string[];
  /** Pages the server said are unchanged (304), with when it said so: their content is kept, their check time moves. */
  notModified: Array<{ url: string; fetchedAt: Date }>;
  /** The first skipped URLs with the reason; `skippedByReason` counts all of them. */
  skipped: Skipped[];
  skippedByReason: Record<string, number>;
  /** False when the crawl could not see the site as it is (robots.txt unreachable, start page failed, cancelled). */
  complete: boolean;
  error?: string;
}

export interface CrawlOptions {
  startUrl: string;
  mode: CrawlMode;
  maxPages: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Least time between the starts of two requests; robots.txt Crawl-delay raises it. */
  delayMs: number;
  /** Product token matched against robots.txt user-agent lines. */
  robotsAgent: string;
  fetcher: Fetcher;
  known?: (url: string) => KnownPage | undefined;
  /** Stores a page that has content; says whether it was new/changed or the same as before. */
  onPage: (page: CrawledPage) => Promise<'stored' | 'unchanged'>;
  onProgress?: (progress: CrawlProgress) => void;
  signal?: AbortSignal;
  /** Cap on robots.txt Crawl-delay, so a hostile file cannot stall a sync for days. */
  maxDelayMs?: number;
  maxSitemaps?: number;
  clock?: () => Date;
}

const SKIPPED_LIST_LIMIT = 200;
const FRONTIER_FACTOR = 20;

export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const start = normaliseUrl(options.startUrl);
  if (!start) throw new TypeError(`${options.startUrl} is not an http(s) URL`);
  const site = options.mode === 'site';
  const clock = options.clock ?? (() => new Date());
  const progress: CrawlProgress = { discovered: 0, fetched: 0, stored: 0, unchanged: 0, skipped: 0 };
  const result: CrawlResult = { progress, live: [], gone: [], failed: [], notModified: [], skipped: [], skippedByReason: {}, complete: true };
  const report = () => options.onProgress?.({ ...progress });

  const seen = new Set<string>();
  const done = new Set<string>();
  const byContent = new Map<string, string>();
  const queue: string[] = [];
  let taken = 0;
  const frontierLimit = Math.max(options.maxPages * FRONTIER_FACTOR, 100);

  const skip = (url: string, reason: string, key = reason) => {
    progress.skipped++;
    result.skippedByReason[key] = (result.skippedByReason[key] ?? 0) + 1;
    if (result.skipped.length < SKIPPED_LIST_LIMIT) result.skipped.push({ url, reason });
  };

  // Politeness: request starts are spaced by `delay`, whatever the concurrency.
  let delay = options.delayMs;
  let nextSlot = 0;
  // A slot is claimed when a request actually starts, not when it was scheduled: a worker that wakes
  // late must not shorten the gap to the next one.
  const polite = async () => {
    for (;;) {
      const now = Date.now();
      if (now >= nextSlot) {
        nextSlot = now + delay;
        return;
      }
      await sleep(nextSlot - now, options.signal);
    }
  };
  const get = async (req: Parameters<Fetcher>[0]): Promise<FetchResponse> => {
    await polite();
    return options.fetcher({ ...req, ...(options.signal ? { signal: options.signal } : {}) });
  };

  const robots = await readRobots(start, get, options.robotsAgent);
  if (robots.error) {
    result.complete = false;
    result.error = robots.error;
    return result;
  }
  if (robots.rules.crawlDelaySeconds !== undefined) {
    delay = Math.max(delay, Math.min(robots.rules.crawlDelaySeconds * 1000, options.maxDelayMs ?? 30_000));
  }

  const enqueue = (href: string) => {
    const url = normaliseUrl(href);
    if (!url || seen.has(url) || !sameSite(url, start)) return;
    if (seen.size >= frontierLimit) return;
    seen.add(url);
    progress.discovered = seen.size;
    const ext = nonPageExtension(url);
    if (ext) return skip(url, `not an HTML page (.${ext})`, 'not HTML');
    if (!robots.rules.isAllowed(robotsPath(url))) {
      result.gone.push(url); // a page we may no longer read is removed like a missing one
      return skip(url, 'disallowed by robots.txt', 'robots.txt');
    }
    queue.push(url);
  };

  enqueue(start);
  if (site) {
    for (const url of await readSitemaps(start, robots.rules, get, options.maxSitemaps ?? 20)) enqueue(url);
  }
  report();

  const visit = async (url: string): Promise<void> => {
    const known = options.known?.(url);
    let res: FetchResponse;
    try {
      res = await get({ url, ...(known?.etag ? { etag: known.etag } : {}), ...(known?.lastModified ? { lastModified: known.lastModified } : {}) });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      progress.fetched++;
      if (err instanceof FetchRefusedError) {
        result.gone.push(url);
        return skip(url, err.message, 'refused');
      }
      if (err instanceof FetchError && err.code === 'too_large') {
        result.gone.push(url);
        return skip(url, err.message, 'too large');
      }
      result.failed.push(url);
      if (url === start) {
        result.complete = false;
        result.error = `the start page could not be fetched: ${(err as Error).message}`;
      }
      return skip(url, (err as Error).message, err instanceof FetchError ? err.code : 'error');
    }
    progress.fetched++;

    let pageUrl = url;
    if (res.redirects.length > 0) {
      const final = normaliseUrl(res.url);
      if (!final || !sameSite(final, start)) return skip(url, `redirects to another site (${res.url})`, 'redirect off-site');
      if (final !== url) {
        if (done.has(final)) return skip(url, `redirects to ${final}, already read`, 'duplicate');
        if (!robots.rules.isAllowed(robotsPath(final))) return skip(url, `redirects to ${final}, disallowed by robots.txt`, 'robots.txt');
        seen.add(final);
        done.add(final);
        pageUrl = final;
      }
    }

    if (res.status === 304 && known) {
      progress.unchanged++;
      result.live.push(pageUrl);
      result.notModified.push({ url: pageUrl, fetchedAt: clock() });
      if (site) for (const l of known.links ?? []) enqueue(l);
      return;
    }
    if (res.status === 404 || res.status === 410) {
      result.gone.push(pageUrl);
      if (url === start && !site) result.error = `${url} answered HTTP ${res.status}: the page is gone; check the URL`;
      return skip(pageUrl, `HTTP ${res.status}`, `HTTP ${res.status}`);
    }
    if (res.status < 200 || res.status >= 300) {
      result.failed.push(pageUrl);
      if (url === start) {
        result.complete = false;
        result.error = `the start page answered HTTP ${res.status}`;
      }
      return skip(pageUrl, `HTTP ${res.status}`, `HTTP ${res.status}`);
    }
    const type = mediaType(res);
    if (type && type !== 'text/html' && type !== 'application/xhtml+xml') {
      result.gone.push(pageUrl);
      return skip(pageUrl, `not an HTML page (${type})`, 'not HTML');
    }

    const page = parsePage(decodeBody(res), pageUrl);
    if (site && !page.nofollow) for (const l of page.links) enqueue(l);
    if (site && page.canonical && page.canonical !== pageUrl && sameSite(page.canonical, start)) {
      enqueue(page.canonical);
      return skip(pageUrl, `its canonical URL is ${page.canonical}`, 'canonical');
    }
    if (page.noindex) return skip(pageUrl, 'the page asks not to be indexed (noindex)', 'noindex');
    if (!page.blocks.some((b) => b.kind === 'text')) return skip(pageUrl, 'no text content', 'empty');
    const key = createHash('sha256').update(JSON.stringify(page.blocks)).digest('hex');
    const twin = byContent.get(key);
    if (twin) return skip(pageUrl, `same content as ${twin}`, 'duplicate');
    byContent.set(key, pageUrl);

    const outcome = await options.onPage({
      url: pageUrl,
      title: page.title,
      blocks: page.blocks,
      links: page.links.filter((l) => sameSite(l, start)),
      ...(res.headers.etag ? { etag: res.headers.etag } : {}),
      ...(res.headers['last-modified'] ? { lastModified: res.headers['last-modified'] } : {}),
      fetchedAt: clock(),
    });
    progress[outcome]++;
    result.live.push(pageUrl);
  };

  // A small pool: workers take URLs breadth-first; an idle worker waits while others may still find links.
  // The first error (a storage failure) stops every worker: none may go on writing after the crawl failed.
  let active = 0;
  let wake: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted || failure) return;
      const url = queue.shift();
      if (url === undefined) {
        if (active === 0) {
          wake?.();
          return;
        }
        await new Promise<void>((r) => { const prev = wake; wake = () => { prev?.(); r(); }; });
        continue;
      }
      if (done.has(url)) continue;
      if (taken >= options.maxPages) {
        skip(url, `over the limit of ${options.maxPages} pages`, 'limit');
        continue;
      }
      taken++;
      done.add(url);
      active++;
      try {
        await visit(url);
      } catch (error) {
        failure ??= { error };
      } finally {
        active--;
        report();
        const w = wake;
        wake = undefined;
        w?.();
      }
    }
  };
  await Promise.all(Array.from({ length: site ? Math.max(1, options.concurrency) : 1 }, worker));
  if (failure && !options.signal?.aborted) throw failure.error;
  if (options.signal?.aborted) {
    result.complete = false;
    result.error = 'the crawl was cancelled';
  }
  report();
  return result;
}

async function readRobots(
  start: string, get: (req: { url: string; accept?: string }) => Promise<FetchResponse>, agent: string,
): Promise<{ rules: RobotsRules; error?: string }> {
  const url = new URL('/robots.txt', start).href;
  try {
    const res = await get({ url, accept: 'text/plain,*/*;q=0.5' });
    if (res.status >= 200 && res.status < 300) return { rules: parseRobots(decodeBody(res), agent) };
    // RFC 9309: a missing file (4xx) allows everything; a server error means "assume disallowed".
    if (res.status >= 400 && res.status < 500) return { rules: ALLOW_ALL };
    return { rules: DISALLOW_ALL, error: `robots.txt answered HTTP ${res.status}; the site is not crawled until it answers` };
  } catch (err) {
    if (err instanceof FetchRefusedError) return { rules: DISALLOW_ALL, error: err.message };
    return { rules: DISALLOW_ALL, error: `robots.txt could not be fetched (${(err as Error).message}); try again later` };
  }
}

/** Page URLs from the site's sitemaps (robots.txt Sitemap lines, else /sitemap.xml), indexes followed. */
async function readSitemaps(
  start: string, robots: RobotsRules, get: (req: { url: string; accept?: string }) => Promise<FetchResponse>, maxFiles: number,
): Promise<string[]> {
  const pending = robots.sitemaps.map((s) => normaliseUrl(s)).filter((s): s is string => !!s && sameSite(s, start));
  if (pending.length === 0) pending.push(new URL('/sitemap.xml', start).href);
  const read = new Set<string>();
  const pages: string[] = [];
  while (pending.length > 0 && read.size < maxFiles) {
    const url = pending.shift()!;
    if (read.has(url)) continue;
    read.add(url);
    let res: FetchResponse;
    try {
      res = await get({ url, accept: 'application/xml,text/xml;q=0.9,*/*;q=0.5' });
    } catch {
      continue; // A sitemap is a hint: without it, links still lead to the pages.
    }
    if (res.status < 200 || res.status >= 300) continue;
    let body = res.body;
    if (body[0] === 0x1f && body[1] === 0x8b) {
      try {
        body = gunzipSync(body, { maxOutputLength: 50 * 1024 * 1024 });
      } catch {
        continue;
      }
    }
    const sitemap = parseSitemap(decodeBody({ headers: {}, body }));
    if (!sitemap) continue;
    for (const loc of sitemap.locations) {
      const abs = normaliseUrl(loc, url);
      if (!abs || !sameSite(abs, start)) continue;
      if (sitemap.kind === 'index') pending.push(abs);
      else pages.push(abs);
    }
  }
  return pages;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal?.reason as Error); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
