import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../workers/cli/index.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { sourceSyncWorkflowId, syncStateQuery } from '../../../workflows/source-sync.contract.js';
import { addSource, waitForSource, waitForSync } from '../crawl/helpers.js';
import { LOOPBACK_TEST_SITES, helpPage, serveSite, type TestSite } from '../crawl/site-server.js';

let sys: TestSystem;
let site: TestSite;

beforeAll(async () => {
  sys = await startTestSystem('cli', { FETCH_ALLOW_HOSTS: LOOPBACK_TEST_SITES, CRAWL_DELAY_MS: '20', CRAWL_CONCURRENCY: '2', SOURCE_SYNC_MIN_INTERVAL_HOURS: '0' });
  const parts = ['saddle', 'pedals', 'chain', 'brakes', 'handlebar', 'wheels', 'bell', 'lights', 'mudguards', 'kickstand', 'basket', 'mirror'];
  const many = Object.fromEntries(parts.map((part, i) => [`/guide/${i}`, helpPage(`Fitting the ${part}`, `<p>To fit the ${part}, tighten bolt number ${i + 100} by hand.</p>`)]));
  site = await serveSite({
    '/robots.txt': { status: 200, contentType: 'text/plain', body: 'User-agent: *\nDisallow: /staff/\n' },
    '/': helpPage('Bike help', '<p>Everything about assembling your bike.</p>', [...Object.keys(many), '/staff/rota', '/missing']),
    '/staff/rota': helpPage('Rota', '<p>Internal.</p>'),
    ...many,
  // Slow enough (about a second in all) that the CLI, polling every 300 ms, draws the bar more than once.
  }, { delayMs: 60 });
});
afterAll(async () => {
  await site?.close();
  await sys?.stop();
});

/** stderr as a terminal would see it: the bar is drawn there, results go to stdout. */
function terminal() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => err.push(s), isTTY: true, columns: 120 } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('customer-agent crawl and sync', () => {
  let agentId: string;
  let sourceId: string;

  beforeAll(async () => {
    agentId = await sys.createAgent({ name: 'CLI bike shop' });
  });

  it('crawl adds the site, draws its progress while it runs and ends with what was skipped and why', async () => {
    const t = terminal();
    const code = await main(['crawl', `${site.origin}/`, '--agent', agentId, '--api', sys.url, '--every', '0'], t.io, { CUSTOMER_AGENT_API_KEY: sys.rootKey });
    expect(code, t.out() + t.err()).toBe(0);
    sourceId = /added site source (src_\w+)/.exec(t.out())![1]!;
    // The bar was redrawn in place with page counts while the crawl ran.
    const bars = t.err().split('\r\x1b[2K').filter((l) => l.startsWith('['));
    expect(bars.length).toBeGreaterThan(1);
    expect(bars.some((b) => /\] \d+\/\d+ pages · \d+ stored/.test(b))).toBe(true);
    expect(t.out()).toMatch(new RegExp(`${site.origin}/: ready · 13 pages · 13 stored · 0 unchanged · 0 removed · 2 skipped`));
    expect(t.out()).toMatch(/skipped: (1 robots\.txt · 1 HTTP 404|1 HTTP 404 · 1 robots\.txt)/);
    expect(t.out()).toContain(`${site.origin}/staff/rota  disallowed by robots.txt`);

    const res = await say(sys, agentId, uniqueId('cli-q'), 'Which bolt holds the kickstand?');
    expect(res.body.reply.text).toMatch(/109/);
  });

  it('sync re-syncs now and reports the unchanged pages', async () => {
    site.pages.set('/guide/3', helpPage('Fitting the brakes', '<p>To fit the brakes, tighten bolt number 303 with the torque key.</p>'));
    const t = terminal();
    const code = await main(['sync', sourceId, '--agent', agentId, '--api', sys.url], t.io, { CUSTOMER_AGENT_API_KEY: sys.rootKey });
    expect(code, t.out() + t.err()).toBe(0);
    expect(t.out()).toMatch(/ready · 13 pages · 1 stored · 12 unchanged · 0 removed/);
  });

  it('sync asked while a sync runs waits for its own, which runs after the running one', async () => {
    const slow = await serveSite({ '/': helpPage('Tyres', '<p>Winter tyres are fitted from October.</p>', ['/a']), '/a': helpPage('Tubes', '<p>Inner tubes come in three sizes.</p>') });
    try {
      const id = await addSource(sys, agentId, { type: 'site', url: `${slow.origin}/`, syncIntervalHours: 0 });
      await waitForSync(sys, agentId, id);
      slow.delayMs = 700;
      await sys.request('POST', `/v1/agents/${agentId}/sources/${id}/sync`);
      await waitForSource(sys, agentId, id, (s) => s.status === 'syncing');
      const t = terminal();
      expect(await main(['sync', id, '--agent', agentId, '--api', sys.url], t.io, { CUSTOMER_AGENT_API_KEY: sys.rootKey })).toBe(0);
      expect(t.out()).toContain('a sync is already running; this one follows it');
      expect(t.out()).toMatch(/ready · 2 pages · 0 stored · 2 unchanged · 0 removed · 0 skipped/);
      // When the command returns, the sync it asked for has run: nothing is syncing or waiting.
      const handle = sys.client.workflow.getHandle(sourceSyncWorkflowId(agentId, id));
      let state = await handle.query(syncStateQuery);
      for (let i = 0; i < 10 && state.syncing; i++) state = await new Promise((r) => setTimeout(r, 100)).then(() => handle.query(syncStateQuery));
      expect(state).toMatchObject({ syncing: false, pending: false, completedSyncs: 3 });
    } finally {
      await slow.close();
    }
  });

  it('a crawl of a page that answers 404 exits 1 and says what went wrong', async () => {
    const t = terminal();
    const code = await main(['crawl', `${site.origin}/missing`, '--page-only', '--agent', agentId, '--api', sys.url], t.io, { CUSTOMER_AGENT_API_KEY: sys.rootKey });
    expect(code).toBe(1);
    expect(t.out()).toMatch(/failed/);
    expect(t.out()).toMatch(/error: .*HTTP 404.*check the URL/);
  });

  it('the key given with --key is the one the API sees: it wins over a stale CUSTOMER_AGENT_API_KEY, and no key at all is told how to pass one', async () => {
    const stale = { CUSTOMER_AGENT_API_KEY: 'ca_admin_revoked_long_ago_0000000000000000' };
    const refused = terminal();
    expect(await main(['crawl', `${site.origin}/guide/0`, '--page-only', '--no-wait', '--agent', agentId, '--api', sys.url], refused.io, stale)).toBe(1);
    expect(refused.err()).toMatch(/\(401 unauthorized\).*pass an admin key with --key or CUSTOMER_AGENT_API_KEY/);

    const withFlag = terminal();
    const code = await main(['crawl', `${site.origin}/guide/0`, '--page-only', '--no-wait', '--agent', agentId, '--api', sys.url, '--key', sys.rootKey], withFlag.io, stale);
    expect(code, withFlag.out() + withFlag.err()).toBe(0);
    expect(withFlag.out()).toMatch(/added url source src_\w+/);

    const none = terminal();
    expect(await main(['crawl', `${site.origin}/guide/1`, '--page-only', '--no-wait', '--agent', agentId, '--api', sys.url], none.io, {})).toBe(1);
    expect(none.err()).toMatch(/pass an admin key with --key or CUSTOMER_AGENT_API_KEY/);
  });

  it('an unknown agent is the API’s own message, exit 1', async () => {
    const t = terminal();
    expect(await main(['crawl', `${site.origin}/`, '--agent', 'agt_nobody', '--api', sys.url], t.io, { CUSTOMER_AGENT_API_KEY: sys.rootKey })).toBe(1);
    expect(t.err()).toMatch(/agt_nobody.*\(404 agent_not_found\)/);
  });
});

describe('customer-agent ingest', () => {
  it('uploads a folder, reports each file and fails with exit 1 when one file is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-ingest-'));
    try {
      await writeFile(join(dir, 'returns.md'), '# Returns\n\nBikes can be returned within 60 days with the receipt.\n');
      await writeFile(join(dir, 'broken.pdf'), 'this is not a pdf at all');
      await writeFile(join(dir, 'notes.bin'), 'ignored: not a supported extension');
      const agentId = await sys.createAgent({ name: 'CLI ingest shop' });
      const t = terminal();
      const code = await main(['ingest', dir, '--agent', agentId, '--api', sys.url], t.io, { CUSTOMER_AGENT_API_KEY: sys.rootKey });
      expect(code).toBe(1);
      expect(t.out()).toMatch(/ok {5}returns\.md → src_\w+ \(markdown, 1 chunk, "Returns"\)/);
      expect(t.out()).toMatch(/failed broken\.pdf: .*\(4\d\d \w+\)/);
      expect(t.out()).not.toContain('notes.bin');
      expect(t.out()).toMatch(/ingested 1 of 2 files \(1 chunks\)/);
      expect(t.err()).toContain('2/2 files');
      const res = await say(sys, agentId, uniqueId('cli-ingest-q'), 'How many days do I have to return a bike?');
      expect(res.body.reply.text).toMatch(/60 days/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
