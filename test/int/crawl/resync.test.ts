import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSyncWorkflowId, syncStateQuery } from '../../../workflows/source-sync.contract.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { addSource, pagesOf, waitForSource, waitForSync } from './helpers.js';
import { LOOPBACK_TEST_SITES, helpPage, serveSite, type TestSite } from './site-server.js';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem('resync', {
    FETCH_ALLOW_HOSTS: LOOPBACK_TEST_SITES, CRAWL_DELAY_MS: '5', CRAWL_CONCURRENCY: '2', SOURCE_SYNC_MIN_INTERVAL_HOURS: '0',
  });
});
afterAll(async () => sys?.stop());

/** A page long enough to be several chunks, each saying which version it is. */
function rentalPage(version: string): string {
  const sections = ['Prices', 'Deposit', 'Opening hours'].map((h, i) =>
    `<h2>${h}</h2><p>Bike rental ${h.toLowerCase()} rule ${i + 1}, version ${version}. ${'Helmets and locks are included with every rental bike. '.repeat(6)}</p>`);
  return helpPage('Bike rental', sections.join(''));
}

describe('re-syncing a site', () => {
  let site: TestSite;
  let agentId: string;
  let siteId: string;

  beforeAll(async () => {
    site = await serveSite({
      '/': helpPage('Help', '<p>Start here for rentals and repairs.</p>', ['/a', '/b', '/c', '/e']),
      '/a': helpPage('Repairs', '<h2>Punctures</h2><p>We fix a punctured tyre while you wait for 90 DKK.</p><h2>Brakes</h2><p>Brake tuning costs 150 DKK.</p>'),
      '/b': rentalPage('alpha'),
      '/c': helpPage('Winter storage', '<p>We store your bike over winter for 400 DKK.</p>'),
      '/e': helpPage('Old campaign', '<p>Spring campaign: free bell with every service.</p>'),
    });
    agentId = await sys.createAgent({ name: 'Resync shop' });
    siteId = await addSource(sys, agentId, { type: 'site', url: `${site.origin}/`, syncIntervalHours: 0 });
  });
  afterAll(async () => site?.close());

  it('keeps unchanged pages, replaces changed ones whole, removes vanished ones and adds new ones, and answers never mix versions', async () => {
    const o = site.origin;
    const first = await waitForSync(sys, agentId, siteId);
    expect(first.status).toBe('ready');
    const before = await pagesOf(sys, siteId);
    expect([...before.keys()].sort()).toEqual([`${o}/`, `${o}/a`, `${o}/b`, `${o}/c`, `${o}/e`]);
    expect(before.get(`${o}/b`)!.length).toBeGreaterThan(1);
    const { rows: [aBefore] } = await sys.db.query<{ id: string; updated_at: Date }>('SELECT id, updated_at FROM sources WHERE url = $1 AND parent_id = $2', [`${o}/a`, siteId]);
    const aShownBefore = (await sys.request('GET', `/v1/agents/${agentId}/sources/${aBefore!.id}`)).body;
    expect(aShownBefore.fetchedAt).toEqual(expect.any(String));

    // The site changes: /b is rewritten, /c is gone (404), /e is no longer linked, /d is new.
    site.pages.set('/', helpPage('Help', '<p>Start here for rentals and repairs.</p>', ['/a', '/b', '/c', '/d']));
    site.pages.set('/b', rentalPage('omega'));
    site.pages.delete('/c');
    site.pages.set('/d', helpPage('Gift vouchers', '<p>Service vouchers never expire.</p>'));
    site.delayMs = 50;

    // While the re-sync runs, every answer about rentals sees one version of /b, never both.
    let watching = true;
    const seen: string[] = [];
    const look = async () => {
      const passages = await sys.runtime.retriever.retrieve({ agentId, text: 'bike rental prices deposit opening hours version', limit: 10 });
      const versions = new Set(passages.filter((p) => p.url === `${o}/b`).map((p) => (/version (alpha|omega)/.exec(p.text)?.[1]) ?? '?'));
      seen.push([...versions].sort().join('+'));
    };
    const watcher = (async () => {
      while (watching) {
        await look();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const res = await sys.request('POST', `/v1/agents/${agentId}/sources/${siteId}/sync`);
    expect(res.status).toBe(202);
    expect(res.body.workflowId).toBe(`source-sync:${agentId}:${siteId}`);
    const second = await waitForSync(sys, agentId, siteId, first.sync.result.finishedAt);
    watching = false;
    await watcher;
    // The watcher's last search may have started before the sync committed: one more, after it.
    await look();

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((v) => v.includes('+'))).toEqual([]);
    expect(seen.at(-1)).toBe('omega');

    const after = await pagesOf(sys, siteId);
    expect([...after.keys()].sort()).toEqual([`${o}/`, `${o}/a`, `${o}/b`, `${o}/d`]);
    // Unchanged: the server answered 304 and neither the chunks nor the row's content were rewritten.
    expect(site.answers.get('/a')).toEqual([200, 304]);
    expect(after.get(`${o}/a`)).toEqual(before.get(`${o}/a`));
    // Changed: all of its chunks were replaced together.
    expect(after.get(`${o}/b`)!.some((id) => before.get(`${o}/b`)!.includes(id))).toBe(false);
    const { rows } = await sys.db.query<{ text: string }>('SELECT c.text FROM chunks c JOIN sources s ON s.id = c.source_id WHERE s.url = $1 AND s.parent_id = $2', [`${o}/b`, siteId]);
    expect(rows.every((r) => r.text.includes('version omega'))).toBe(true);
    expect(second.sync.progress).toMatchObject({ unchanged: 1, removed: 2 });
    expect(second.sync.result.skipped).toContainEqual({ url: `${o}/c`, reason: 'HTTP 404' });
    expect(second.sync.result.removed.sort()).toEqual([`${o}/c`, `${o}/e`]);
    const { rows: [aAfter] } = await sys.db.query<{ updated_at: Date }>('SELECT updated_at FROM sources WHERE url = $1 AND parent_id = $2', [`${o}/a`, siteId]);
    expect(aAfter!.updated_at).toEqual(aBefore!.updated_at);
    // …but the page shows it was checked again.
    const aShownAfter = (await sys.request('GET', `/v1/agents/${agentId}/sources/${aBefore!.id}`)).body;
    expect(aShownAfter.updatedAt).toBe(aShownBefore.updatedAt);
    expect(Date.parse(aShownAfter.fetchedAt)).toBeGreaterThan(Date.parse(aShownBefore.fetchedAt));

    const answer = await say(sys, agentId, uniqueId('resync-q'), 'Do service vouchers expire?');
    expect(answer.body.reply.sources[0]?.url).toBe(`${o}/d`);
    const gone = await say(sys, agentId, uniqueId('resync-gone'), 'How much is winter storage for my bike?');
    expect(gone.body.reply.sources.map((s: any) => s.url)).not.toContain(`${o}/c`);

    const state = await sys.client.workflow.getHandle(sourceSyncWorkflowId(agentId, siteId)).query(syncStateQuery);
    expect(state).toMatchObject({ completedSyncs: 2, syncing: false });
  });

  it('deleting the site removes its pages and ends its sync loop', async () => {
    const del = await sys.request('DELETE', `/v1/agents/${agentId}/sources/${siteId}`);
    expect(del.status).toBe(204);
    expect((await pagesOf(sys, siteId)).size).toBe(0);
    const description = await sys.client.workflow.getHandle(sourceSyncWorkflowId(agentId, siteId)).describe();
    expect(description.status.name).toBe('TERMINATED');
  });
});

describe('re-syncing on a schedule and single URLs', () => {
  it('re-syncs by itself when its interval has passed', async () => {
    const site = await serveSite({ '/': helpPage('Tours', '<p>Guided kayak tours leave at 09:00.</p>') });
    try {
      const agentId = await sys.createAgent({ name: 'Schedule shop' });
      const id = await addSource(sys, agentId, { type: 'url', url: `${site.origin}/`, syncIntervalHours: 2 / 3600 });
      const first = await waitForSync(sys, agentId, id);
      site.pages.set('/', helpPage('Tours', '<p>Guided kayak tours leave at 11:30.</p>'));
      await waitForSource(sys, agentId, id, (s) => s.status === 'ready' && s.sync.result.finishedAt > first.sync.result.finishedAt && s.sync.progress.stored === 1);
      const res = await say(sys, agentId, uniqueId('schedule-q'), 'When do the guided kayak tours leave?');
      expect(res.body.reply.text).toMatch(/11:30/);
      expect(res.body.reply.text).not.toMatch(/09:00/);
    } finally {
      await site.close();
    }
  });

  it('a source re-synced many times continues as new, keeping its count, and never re-reads an unchanged page', async () => {
    const site = await serveSite({ '/': helpPage('Ferry', '<p>The ferry to the island leaves every hour.</p>') });
    try {
      const agentId = await sys.createAgent({ name: 'Often shop' });
      const id = await addSource(sys, agentId, { type: 'url', url: `${site.origin}/`, syncIntervalHours: 0.3 / 3600 });
      const handle = sys.client.workflow.getHandle(sourceSyncWorkflowId(agentId, id));
      const firstRun = (await handle.describe()).runId;
      const deadline = Date.now() + 60_000;
      let state = await handle.query(syncStateQuery);
      let runId = firstRun;
      while ((state.completedSyncs < 10 || runId === firstRun) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        try {
          runId = (await handle.describe()).runId;
          state = await handle.query(syncStateQuery);
        } catch {
          // Between two runs a query may find no running workflow for a moment.
        }
      }
      expect(runId).not.toBe(firstRun);
      expect(state.completedSyncs).toBeGreaterThanOrEqual(10);
      const answers = site.answers.get('/')!;
      expect(answers[0]).toBe(200);
      expect(answers.slice(1).every((status) => status === 304)).toBe(true);
      expect((await sys.request('DELETE', `/v1/agents/${agentId}/sources/${id}`)).status).toBe(204);
    } finally {
      await site.close();
    }
  });

  it('a synced URL that starts answering 404 is emptied and says why', async () => {
    const site = await serveSite({ '/faq': helpPage('Sauna', '<p>The sauna is open until 22:00.</p>') });
    try {
      const agentId = await sys.createAgent({ name: 'Gone shop' });
      const id = await addSource(sys, agentId, { type: 'url', url: `${site.origin}/faq`, syncIntervalHours: 0 });
      const first = await waitForSync(sys, agentId, id);
      expect(first.chunks).toBeGreaterThan(0);
      site.pages.delete('/faq');
      expect((await sys.request('POST', `/v1/agents/${agentId}/sources/${id}/sync`)).status).toBe(202);
      const gone = await waitForSync(sys, agentId, id, first.sync.result.finishedAt);
      expect(gone).toMatchObject({ status: 'failed', chunks: 0 });
      expect(gone.error).toMatch(/HTTP 404/);
      const res = await say(sys, agentId, uniqueId('gone-q'), 'How late is the sauna open?');
      expect(res.body.reply.sources).toEqual([]);
    } finally {
      await site.close();
    }
  });

  it('re-syncing a source that is not synced from the web is refused with what to do instead', async () => {
    const agentId = await sys.createAgent({ name: 'Text shop' });
    const text = await sys.request('POST', `/v1/agents/${agentId}/sources`, { type: 'text', title: 'Note', content: 'Bikes are blue.' });
    const res = await sys.request('POST', `/v1/agents/${agentId}/sources/${text.body.id}/sync`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/only url and site sources are synced/);
  });
});
