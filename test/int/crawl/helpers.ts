/** Waiting for URL and site syncs through the API, as a client would. */
import { expect } from 'vitest';
import type { TestSystem } from '../../support/system.js';

/** Polls the source until `done` holds (or fails after `timeoutMs`), returning the last representation. */
export async function waitForSource(
  sys: TestSystem, agentId: string, sourceId: string, done: (source: any) => boolean, timeoutMs = 90_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const res = await sys.request('GET', `/v1/agents/${agentId}/sources/${sourceId}`);
    expect(res.status).toBe(200);
    last = res.body;
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`source ${sourceId} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** Waits for a sync that finished after `after` (an ISO time, or any when absent). */
export function waitForSync(sys: TestSystem, agentId: string, sourceId: string, after?: string): Promise<any> {
  return waitForSource(sys, agentId, sourceId, (s) =>
    s.status !== 'syncing' && s.status !== 'pending' && !!s.sync?.result && (!after || s.sync.result.finishedAt > after));
}

export async function addSource(sys: TestSystem, agentId: string, body: Record<string, unknown>): Promise<string> {
  const res = await sys.request('POST', `/v1/agents/${agentId}/sources`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id as string;
}

/** The site's pages as url → chunk ids, from the database. */
export async function pagesOf(sys: TestSystem, siteId: string): Promise<Map<string, string[]>> {
  const { rows } = await sys.db.query<{ url: string; ids: string[] | null }>(
    `SELECT s.url, array_agg(c.id ORDER BY c.ord) FILTER (WHERE c.id IS NOT NULL) AS ids
     FROM sources s LEFT JOIN chunks c ON c.source_id = s.id WHERE s.parent_id = $1 GROUP BY s.url`,
    [siteId],
  );
  return new Map(rows.map((r) => [r.url, r.ids ?? []]));
}
