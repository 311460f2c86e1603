/**
 * Crawl bench: a generated help centre of BENCH_CRAWL_PAGES pages (default 1,000) served on loopback,
 * imported as one site through the sync activity (robots.txt, sitemap, fetch, extract, chunk, embed,
 * store), then re-synced unchanged (every page a 304). Prints pages/s and peak RSS; asserts nothing.
 * Goal: the 1,000-page crawl in under 2 minutes. Run alone with `tsx bench/crawl.ts` or from bench/run.ts.
 */
import { pathToFileURL } from 'node:url';
import { createSourceSyncActivities } from '../activities/source-sync.js';
import { createAgent } from '../db/agents.js';
import { openDb } from '../db/open.js';
import { newId } from '../db/ids.js';
import { saveSource } from '../db/sources.js';
import type { Db } from '../db/types.js';
import { createEmbedder } from '../knowledge/embedders/index.js';
import { parseAllowList } from '../knowledge/fetch/policy.js';
import type { Embedder } from '../knowledge/types.js';
import { helpPage, serveSite } from '../test/int/crawl/site-server.js';
import { SyncSettings } from '../workflows/source-sync.schemas.js';
import { loadConfig } from '../workers/config.js';
import { fmt, timed } from './stats.js';

const PAGES = Number(process.env.BENCH_CRAWL_PAGES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CRAWL_CONCURRENCY ?? 4);
const DELAY_MS = Number(process.env.BENCH_CRAWL_DELAY_MS ?? 0);

const TOPICS = ['kayak', 'tent', 'boots', 'jacket', 'backpack', 'stove', 'sleeping bag', 'headlamp', 'paddle', 'compass'];
const ACTIONS = ['return', 'repair', 'wash', 'store', 'ship', 'exchange', 'insure', 'rent', 'size', 'register'];

/** Page i: three short sections of distinct text, links to the next pages and home, site chrome around. */
function page(i: number): string {
  const topic = TOPICS[i % TOPICS.length]!;
  const action = ACTIONS[Math.floor(i / TOPICS.length) % ACTIONS.length]!;
  const sections = ['Before you start', 'Step by step', 'Costs and times'].map((h, s) =>
    `<h2>${h}</h2><p>Article ${i}: how to ${action} a ${topic} (case ${s + 1}). Keep the receipt number ${10_000 + i * 7 + s}; ` +
    `our team in warehouse ${i % 13} answers within ${1 + ((i + s) % 5)} working days. ` +
    `Pack the ${topic} dry and clean; a ${topic} sent wet is returned at a fee of ${20 + (i % 9) * 5} DKK.</p>`);
  const links = [1, 2, 3, 7].map((d) => `/help/${(i + d) % PAGES}`);
  return helpPage(`How to ${action} a ${topic} (#${i})`, sections.join(''), links);
}

export async function benchCrawl(deps: { db: Db; embedder: Embedder; line: (label: string, value: string) => void }): Promise<void> {
  const { db, embedder, line } = deps;
  const pages: Record<string, string | { status: number; body: string; contentType: string }> = {};
  for (let i = 0; i < PAGES; i++) pages[`/help/${i}`] = page(i);
  const site = await serveSite(pages);
  site.pages.set('/robots.txt', { status: 200, contentType: 'text/plain', body: `User-agent: *\nDisallow: /account/\nSitemap: ${site.origin}/sitemap.xml\n` });
  site.pages.set('/sitemap.xml', {
    status: 200, contentType: 'application/xml',
    body: `<?xml version="1.0"?><urlset>${Object.keys(pages).map((p) => `<url><loc>${site.origin}${p}</loc></url>`).join('')}</urlset>`,
  });
  try {
    const agent = await createAgent(db, { name: 'Crawl bench' });
    const settings = SyncSettings.parse({ type: 'site', url: `${site.origin}/help/0`, maxPages: PAGES, syncIntervalHours: 0 });
    const sourceId = newId('src');
    await saveSource(db, { id: sourceId, agentId: agent.id, type: 'site', title: 'Bench site', url: settings.url, status: 'pending', chunkCount: 0, metadata: { sync: settings } });
    const sync = createSourceSyncActivities({
      db, embedder,
      crawl: { policy: parseAllowList(`127.0.0.0/8:${new URL(site.origin).port}`), userAgent: 'customer-agent/bench', concurrency: CONCURRENCY, delayMs: DELAY_MS },
    });
    await embedder.embed(['warm up']);

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
    const first = await timed(() => sync.syncSource({ agentId: agent.id, sourceId, settings }));
    const again = await timed(() => sync.syncSource({ agentId: agent.id, sourceId, settings }));
    clearInterval(sampler);
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM chunks WHERE agent_id = $1', [agent.id]);

    line('pages stored / skipped', `${first.value.stored} / ${first.value.skipped}${first.value.error ? ` (${first.value.error})` : ''}`);
    line('chunks stored', String(rows[0]?.n ?? 0));
    line('crawl + embed + store, s (goal < 120)', fmt(first.ms / 1000));
    line('pages/s', fmt(first.value.stored / (first.ms / 1000)));
    line('re-sync, nothing changed (304s), s', fmt(again.ms / 1000));
    line('re-sync pages/s (unchanged pages skipped)', fmt(again.value.unchanged / (again.ms / 1000)));
    line('peak RSS during crawl / before, MB', `${fmt(peak / 1024 / 1024, 0)} / ${fmt(rssBefore / 1024 / 1024, 0)}`);
  } finally {
    await site.close();
  }
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, DEMO: 'false' });
  const db = await openDb(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { memory: true });
  try {
    console.log(`\nCrawl of a generated ${PAGES}-page site on loopback (concurrency ${CONCURRENCY}, delay ${DELAY_MS} ms, ${config.EMBEDDINGS_PROVIDER} embedder)`);
    await benchCrawl({ db, embedder: createEmbedder(config), line: (label, value) => console.log(`  ${label.padEnd(46)} ${value}`) });
  } finally {
    await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(`crawl bench failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  });
}

export const CRAWL_BENCH = { pages: PAGES, concurrency: CONCURRENCY, delayMs: DELAY_MS };
