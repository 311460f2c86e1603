import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { addSource, pagesOf, waitForSync } from './helpers.js';
import { helpPage, serveSite, type TestSite } from './site-server.js';

// The allowlist names only the host `localhost`, on the site's port: 127.0.0.1 written as an address,
// [::1] and every other loopback spelling stay refused, and so does every other port of localhost (the
// database beside the wiki), also when an allowed page redirects to them.
let sys: TestSystem;
let site: TestSite;
let otherService: TestSite;
let port: string;

beforeAll(async () => {
  site = await serveSite({
    '/start': helpPage('Start', '<p>Links to a page behind a redirect.</p>', ['/to-internal']),
    '/to-internal': { status: 302, location: '' },
    '/internal': helpPage('Internal admin', '<p>Admin password reset codes.</p>'),
  });
  port = new URL(site.origin).port;
  site.pages.set('/to-internal', { status: 302, location: `http://127.0.0.1:${port}/internal` });
  otherService = await serveSite({ '/': helpPage('Another service', '<p>Not meant to be fetched.</p>') });
  site.pages.set('/to-other-port', { status: 302, location: `http://localhost:${new URL(otherService.origin).port}/` });
  sys = await startTestSystem('ssrf', { FETCH_ALLOW_HOSTS: `localhost:${port}`, CRAWL_DELAY_MS: '0' });
});
afterAll(async () => {
  await sys?.stop();
  await site?.close();
  await otherService?.close();
});

describe('fetching refuses internal targets the allowlist does not name', () => {
  it('a loopback URL is refused before any request, and the source says how to allow it', async () => {
    const agentId = await sys.createAgent({ name: 'SSRF shop' });
    for (const url of [`http://127.0.0.1:${port}/internal`, `http://[::1]:${port}/internal`, `http://2130706433:${port}/internal`]) {
      const id = await addSource(sys, agentId, { type: 'url', url, syncIntervalHours: 0 });
      const done = await waitForSync(sys, agentId, id);
      expect(done.status, url).toBe('failed');
      expect(done.error).toMatch(/loopback address; add it to FETCH_ALLOW_HOSTS/);
      expect(done.chunks).toBe(0);
    }
    expect(site.hits.get('/internal')).toBeUndefined();
  });

  it('an allowed page that redirects to a refused address is not followed there', async () => {
    const agentId = await sys.createAgent({ name: 'SSRF redirect shop' });
    const url = await addSource(sys, agentId, { type: 'url', url: `http://localhost:${port}/to-internal`, syncIntervalHours: 0 });
    const single = await waitForSync(sys, agentId, url);
    expect(single.status).toBe('failed');
    expect(single.error).toMatch(/refused to fetch 127\.0\.0\.1.*loopback/);

    const siteId = await addSource(sys, agentId, { type: 'site', url: `http://localhost:${port}/start`, syncIntervalHours: 0 });
    const crawled = await waitForSync(sys, agentId, siteId);
    expect([...(await pagesOf(sys, siteId)).keys()]).toEqual([`http://localhost:${port}/start`]);
    expect(crawled.sync.result.skipped).toContainEqual({
      url: `http://localhost:${port}/to-internal`, reason: expect.stringMatching(/refused to fetch 127\.0\.0\.1.*loopback/),
    });
    expect(site.hits.get('/to-internal')).toBe(2);
    expect(site.hits.get('/internal')).toBeUndefined();
  });

  it('another port of the allowed host is refused, directly and behind a redirect', async () => {
    const agentId = await sys.createAgent({ name: 'SSRF port shop' });
    const otherPort = new URL(otherService.origin).port;
    const direct = await waitForSync(sys, agentId, await addSource(sys, agentId, { type: 'url', url: `http://localhost:${otherPort}/`, syncIntervalHours: 0 }));
    expect(direct.status).toBe('failed');
    expect(direct.error).toContain(`FETCH_ALLOW_HOSTS opens this loopback address on port ${port} only; add localhost:${otherPort}`);

    const redirected = await waitForSync(sys, agentId, await addSource(sys, agentId, { type: 'url', url: `http://localhost:${port}/to-other-port`, syncIntervalHours: 0 }));
    expect(redirected.status).toBe('failed');
    expect(redirected.error).toMatch(new RegExp(`refused to fetch localhost:${otherPort}`));
    expect(site.hits.get('/to-other-port')).toBe(1);
    expect(otherService.hits.size).toBe(0);
  });
});
