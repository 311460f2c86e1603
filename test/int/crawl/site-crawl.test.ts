import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { addSource, pagesOf, waitForSource, waitForSync } from './helpers.js';
import { LOOPBACK_TEST_SITES, helpPage, serveSite, type SitePage, type TestSite } from './site-server.js';

let sys: TestSystem;
let site: TestSite;

const RETURNS = '<h2>Return window</h2><p>You can return any item within 30 days of delivery. Refunds reach your card within 5 working days.</p>';
const SHIPPING = '<h2>Delivery times</h2><p>Parcels to Denmark arrive in 1 to 2 working days; to the rest of Europe in 3 to 6.</p>';

function shop(o: string): Record<string, SitePage> {
  return {
    // Our own group applies, so the '*' group's blanket Disallow does not.
    '/robots.txt': { status: 200, contentType: 'text/plain', body: [
      'User-agent: *', 'Disallow: /', '',
      'User-agent: customer-agent', 'Disallow: /private/', 'Allow: /private/open-hours', '',
      `Sitemap: ${o}/sitemap-index.xml`,
    ].join('\n') },
    '/sitemap-index.xml': { status: 200, contentType: 'application/xml', body: `<?xml version="1.0"?><sitemapindex><sitemap><loc>${o}/sitemap-pages.xml</loc></sitemap></sitemapindex>` },
    '/sitemap-pages.xml': { status: 200, contentType: 'application/xml', body: `<?xml version="1.0"?><urlset>${
      ['/', '/returns', '/only-in-sitemap', '/private/secret'].map((p) => `<url><loc>${o}${p}</loc></url>`).join('')}</urlset>` },
    '/': helpPage('Fjeldspor help centre', '<p>Answers about orders, returns and delivery.</p>', [
      '/returns', '/shipping', '/old-warranty', '/missing', '/manual.pdf', '/price-list', '/returns?utm=mail', '/shipping-copy',
      '/private/open-hours', '/private/secret', 'https://elsewhere.example/partner',
    ]),
    '/returns': helpPage('Returns and refunds', RETURNS, ['/', '/shipping']),
    '/returns?utm=mail': helpPage('Returns and refunds', RETURNS, ['/'], `<link rel="canonical" href="${o}/returns">`),
    '/shipping': helpPage('Delivery', SHIPPING, ['/returns']),
    '/shipping-copy': helpPage('Delivery', SHIPPING, ['/returns']),
    '/old-warranty': { status: 301, location: '/warranty' },
    '/warranty': helpPage('Warranty', '<p>Jackets and boots carry a two-year warranty against manufacturing faults.</p>', ['/']),
    '/only-in-sitemap': helpPage('Gift cards', '<p>Gift cards are valid for three years and can be used online and in stores.</p>'),
    '/private/open-hours': helpPage('Store opening hours', '<p>Our Aarhus store opens at 10:00 on weekdays.</p>'),
    '/private/secret': helpPage('Staff notes', '<p>Internal discount code STAFF50.</p>'),
    '/price-list': { status: 200, contentType: 'application/pdf', body: '%PDF-1.4 not a page' },
    '/manual.pdf': { status: 200, contentType: 'application/pdf', body: '%PDF-1.4' },
  };
}

beforeAll(async () => {
  site = await serveSite({});
  for (const [path, page] of Object.entries(shop(site.origin))) site.pages.set(path, page);
  sys = await startTestSystem('crawl', { FETCH_ALLOW_HOSTS: LOOPBACK_TEST_SITES, CRAWL_DELAY_MS: '5', CRAWL_CONCURRENCY: '2' });
});
afterAll(async () => {
  await sys?.stop();
  await site?.close();
});

describe('importing a website', () => {
  let agentId: string;
  let siteId: string;
  let synced: any;

  beforeAll(async () => {
    agentId = await sys.createAgent({ name: 'Crawl shop' });
    siteId = await addSource(sys, agentId, { type: 'site', url: `${site.origin}/`, syncIntervalHours: 0 });
    synced = await waitForSync(sys, agentId, siteId);
  });

  it('reads the pages found through the sitemap index and links, each once despite link cycles', async () => {
    const o = site.origin;
    expect(synced).toMatchObject({ id: siteId, type: 'site', kind: 'website_page', status: 'ready' });
    const pages = await pagesOf(sys, siteId);
    expect([...pages.keys()].sort()).toEqual(
      [`${o}/`, `${o}/only-in-sitemap`, `${o}/private/open-hours`, `${o}/returns`, `${o}/shipping`, `${o}/warranty`].sort(),
    );
    for (const ids of pages.values()) expect(ids.length).toBeGreaterThan(0);
    for (const path of ['/', '/returns', '/shipping', '/warranty', '/only-in-sitemap']) expect(site.hits.get(path), path).toBe(1);
    expect(synced.sync.progress).toMatchObject({ stored: 6, unchanged: 0, removed: 0 });
    expect(synced.sync.result.pages).toBe(6);

    const children = await sys.request('GET', `/v1/agents/${agentId}/sources?parentId=${siteId}`);
    expect(children.body.sources).toHaveLength(6);
    expect(children.body.sources.every((s: any) => s.type === 'url' && s.parentId === siteId)).toBe(true);
  });

  it('obeys robots.txt, skips non-HTML links, records 404s and collapses redirects, canonical URLs and duplicates', async () => {
    const o = site.origin;
    const reasons = Object.fromEntries(synced.sync.result.skipped.map((s: any) => [s.url, s.reason]));
    expect(reasons).toMatchObject({
      [`${o}/private/secret`]: 'disallowed by robots.txt',
      [`${o}/manual.pdf`]: 'not an HTML page (.pdf)',
      [`${o}/price-list`]: 'not an HTML page (application/pdf)',
      [`${o}/missing`]: 'HTTP 404',
      [`${o}/returns?utm=mail`]: `its canonical URL is ${o}/returns`,
      [`${o}/shipping-copy`]: `same content as ${o}/shipping`,
    });
    expect(site.hits.get('/private/secret')).toBeUndefined();
    expect(site.hits.get('/manual.pdf')).toBeUndefined();
    expect(site.hits.get('/old-warranty')).toBe(1);
    expect(synced.sync.result.skippedByReason).toMatchObject({ 'robots.txt': 1, 'HTTP 404': 1, 'not HTML': 2, canonical: 1, duplicate: 1 });
    expect(JSON.stringify(synced.sync.result)).not.toContain('elsewhere.example');
  });

  it('stores only the main content: navigation, site header, cookie banner and footer are left out', async () => {
    const { rows } = await sys.db.query<{ text: string }>(
      `SELECT c.text FROM chunks c JOIN sources s ON s.id = c.source_id WHERE s.parent_id = $1`, [siteId],
    );
    const all = rows.map((r) => r.text).join('\n');
    expect(all).toContain('within 30 days of delivery');
    for (const chrome of ['We use cookies', 'Accept all', 'Imprint', 'Sign in']) expect(all).not.toContain(chrome);
  });

  it('answers a question citing the crawled page by its URL', async () => {
    const res = await say(sys, agentId, uniqueId('crawl-q'), 'How many days do I have to return an item?');
    expect(res.status).toBe(200);
    expect(res.body.reply.kind).toBe('answer');
    expect(res.body.reply.text).toMatch(/30 days/);
    expect(res.body.reply.sources[0]).toMatchObject({ title: 'Returns and refunds', url: `${site.origin}/returns` });
  });

  it('disabling the site takes all its pages out of answers, and enabling brings them back', async () => {
    const ask = () => say(sys, agentId, uniqueId('crawl-off'), 'How many days do I have to return an item?');
    expect((await sys.request('PATCH', `/v1/agents/${agentId}/sources/${siteId}`, { enabled: false })).status).toBe(200);
    const off = await ask();
    expect(off.body.reply.sources.map((s: { url?: string }) => s.url)).not.toContain(`${site.origin}/returns`);
    expect((await sys.request('PATCH', `/v1/agents/${agentId}/sources/${siteId}`, { enabled: true })).status).toBe(200);
    expect((await ask()).body.reply.sources[0]).toMatchObject({ url: `${site.origin}/returns` });
  });
});

describe('limits and progress', () => {
  it('stops at the page limit and says what it left out', async () => {
    const chain = await serveSite(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [
      i === 0 ? '/' : `/p${i}`, helpPage(`Topic ${i}`, `<p>Fact number ${i} about kayaks and paddles.</p>`, [`/p${i + 1}`]),
    ])));
    try {
      const agentId = await sys.createAgent({ name: 'Limit shop' });
      const id = await addSource(sys, agentId, { type: 'site', url: `${chain.origin}/`, maxPages: 3, syncIntervalHours: 0 });
      const done = await waitForSync(sys, agentId, id);
      expect(done.status).toBe('ready');
      expect((await pagesOf(sys, id)).size).toBe(3);
      expect(done.sync.result.skippedByReason.limit).toBeGreaterThanOrEqual(1);
      expect(done.sync.result.skipped).toContainEqual({ url: `${chain.origin}/p3`, reason: 'over the limit of 3 pages' });
      expect(chain.hits.get('/p3')).toBeUndefined();
    } finally {
      await chain.close();
    }
  });

  it('shows progress while the crawl runs', async () => {
    const slow = await serveSite(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [
      i === 0 ? '/' : `/p${i}`, helpPage(`Slow topic ${i}`, `<p>Slow fact ${i} about tents.</p>`, [`/p${i + 1}`]),
    ])), { delayMs: 300 });
    try {
      const agentId = await sys.createAgent({ name: 'Slow shop' });
      const id = await addSource(sys, agentId, { type: 'site', url: `${slow.origin}/`, syncIntervalHours: 0 });
      const running = await waitForSource(sys, agentId, id, (s) => s.status === 'syncing' && s.sync.progress.fetched >= 2);
      expect(running.sync.progress.fetched).toBeLessThan(8);
      expect(running.sync.progress.discovered).toBeGreaterThanOrEqual(running.sync.progress.fetched);
      const done = await waitForSync(sys, agentId, id);
      expect(done.sync.progress).toMatchObject({ fetched: 9, stored: 8, skipped: 1 }); // /p8 is a 404
    } finally {
      await slow.close();
    }
  });
});

describe('syncing one URL', () => {
  it('keeps one page as a source of its own, titled from the page', async () => {
    const agentId = await sys.createAgent({ name: 'One page shop' });
    const id = await addSource(sys, agentId, { type: 'url', url: `${site.origin}/warranty`, kind: 'article', syncIntervalHours: 0 });
    const done = await waitForSync(sys, agentId, id);
    expect(done).toMatchObject({ type: 'url', kind: 'article', title: 'Warranty', url: `${site.origin}/warranty`, status: 'ready' });
    expect(done.chunks).toBeGreaterThan(0);
    const res = await say(sys, agentId, uniqueId('url-q'), 'How long is the warranty on boots?');
    expect(res.body.reply.sources[0]?.url).toBe(`${site.origin}/warranty`);
  });

  it('refuses a URL or interval it cannot use, naming the field', async () => {
    const agentId = await sys.createAgent({ name: 'Bad input shop' });
    const ftp = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'url', url: 'ftp://example.com/x' });
    expect(ftp.status).toBe(422);
    expect(ftp.body.error.field).toBe('url');
    const limit = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'site', url: 'https://example.com/', maxPages: 0 });
    expect(limit.body.error.field).toBe('maxPages');
    const often = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'url', url: 'https://example.com/', syncIntervalHours: 0.01 });
    expect(often.status).toBe(422);
    expect(often.body.error.field).toBe('syncIntervalHours');
  });
});
