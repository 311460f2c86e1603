/**
 * `customer-agent crawl <url> --agent <id>` adds a site (or, with --page-only, a single page) as a synced
 * source; `customer-agent sync <sourceId> --agent <id>` re-syncs one now. Both then watch the sync through
 * the API with a progress bar, and end with what was stored, removed and skipped, and why.
 */
import { z } from 'zod';
import { ContentKind } from '../../domain/source.js';
import { SourceWithSync, SyncedSource } from '../../api/source-sync.js';
import { apiClient, type ApiClient, type Io } from './api.js';
import { barLine, terminalProgress } from './progress.js';

const Common = {
  agent: z.string({ error: '--agent <agentId> is required' }).min(1).max(128),
  api: z.url({ error: '--api must be a URL such as http://127.0.0.1:3000' }),
  key: z.string().min(1).optional(),
  wait: z.boolean(),
};

export const CrawlArgs = z.object({
  command: z.literal('crawl'),
  url: z.url({ protocol: /^https?$/, error: 'name the http(s) URL to crawl, e.g. https://help.example.com/' }),
  pageOnly: z.boolean(),
  maxPages: z.coerce.number({ error: '--max-pages must be a number' }).int().min(1, '--max-pages must be at least 1').max(10_000, '--max-pages is at most 10000').optional(),
  kind: ContentKind.optional(),
  every: z.coerce.number({ error: '--every must be a number of hours' }).min(0).max(24 * 366).optional(),
  ...Common,
}).refine((a) => !(a.pageOnly && a.maxPages), { message: '--max-pages does not go with --page-only', path: ['maxPages'] });
export type CrawlArgs = z.infer<typeof CrawlArgs>;

export const SyncArgs = z.object({
  command: z.literal('sync'),
  source: z.string({ error: 'name the source to re-sync: customer-agent sync <sourceId> --agent <agentId>' }).min(1).max(128),
  ...Common,
});
export type SyncArgs = z.infer<typeof SyncArgs>;

type SourceWithSync = z.infer<typeof SourceWithSync>;

export interface WatchOptions {
  /** Time between two looks at the source. */
  pollMs?: number;
  /** After this long still pending, say that a worker may not be running. */
  idleHintMs?: number;
  /** Least time between two plain progress lines when stderr is not a terminal. */
  plainEveryMs?: number;
}

export interface SyncReport {
  status: string;
  ok: boolean;
}

/** The source in the API: its URL is shown in the summary. */
const sourceOf = (api: ApiClient) => api.client.v1.agents[':agentId'].sources[':sourceId'];

export async function runCrawl(args: CrawlArgs, io: Io, options: WatchOptions = {}): Promise<SyncReport> {
  const api = apiClient(args.api, args.key);
  await api.reachable();
  const common = {
    url: args.url,
    ...(args.kind ? { kind: args.kind } : {}),
    ...(args.every !== undefined ? { syncIntervalHours: args.every } : {}),
  };
  const created = await api.read(api.client.v1.agents[':agentId'].sources.$post({
    param: { agentId: args.agent },
    json: args.pageOnly ? { type: 'url', ...common } : { type: 'site', ...common, ...(args.maxPages ? { maxPages: args.maxPages } : {}) },
  }), SyncedSource);
  io.out.write(`added ${created.type} source ${created.id} (workflow ${created.workflowId})\n`);
  if (!args.wait) return { status: created.status, ok: true };
  const started = performance.now();
  const done = await watchSync(api, args.agent, created.id, undefined, io, options);
  return summarise(done, sourceOf(api).$url({ param: { agentId: args.agent, sourceId: created.id } }).href, (performance.now() - started) / 1000, io);
}

export async function runSync(args: SyncArgs, io: Io, options: WatchOptions = {}): Promise<SyncReport> {
  const api = apiClient(args.api, args.key);
  await api.reachable();
  const source = sourceOf(api);
  const param = { agentId: args.agent, sourceId: args.source };
  const before = await api.read(source.$get({ param }), SourceWithSync);
  const requested = await api.read(source.sync.$post({ param }), SyncedSource);
  io.out.write(`re-syncing ${requested.type} source ${requested.id} (workflow ${requested.workflowId})\n`);
  if (!args.wait) return { status: requested.status, ok: true };
  const started = performance.now();
  let after = before.sync?.result?.finishedAt;
  if (before.status === 'syncing') {
    // The running sync ends first; the one asked for runs after it (the workflow keeps the request).
    io.out.write('a sync is already running; this one follows it\n');
    after = (await watchSync(api, args.agent, args.source, after, io, options)).sync?.result?.finishedAt ?? after;
  }
  const done = await watchSync(api, args.agent, args.source, after, io, options);
  return summarise(done, source.$url({ param }).href, (performance.now() - started) / 1000, io);
}

/** Polls the source until a sync that finished after `after` is there, drawing its progress; returns the source then. */
async function watchSync(api: ApiClient, agentId: string, sourceId: string, after: string | undefined, io: Io, options: WatchOptions): Promise<SourceWithSync> {
  const pollMs = options.pollMs ?? 300;
  const idleHintMs = options.idleHintMs ?? 30_000;
  const plainEveryMs = options.plainEveryMs ?? 5_000;
  const param = { agentId, sourceId };
  const progress = terminalProgress(io.err);
  const started = performance.now();
  let hinted = false;
  let lastPlain = 0;
  let lastLabel = '';

  for (;;) {
    const source = await api.read(sourceOf(api).$get({ param }), SourceWithSync);
    const result = source.sync?.result;
    // A sync finished after `after`; the source may already be in the next one.
    if (result && (!after || result.finishedAt > after)) {
      progress.finish();
      return source;
    }
    const counts = source.sync?.progress;
    if (counts && source.status === 'syncing') {
      const done = counts.stored + counts.unchanged + counts.skipped;
      const expected = Math.max(done, Math.min(counts.discovered, source.sync?.settings.maxPages ?? counts.discovered));
      const label = `${done}/${expected} pages · ${counts.stored} stored · ${counts.unchanged} unchanged · ${counts.skipped} skipped`;
      progress.draw((columns) => barLine(expected > 0 ? done / expected : 0, label, columns));
      const now = performance.now();
      if (!io.err.isTTY && label !== lastLabel && now - lastPlain >= plainEveryMs) {
        io.err.write(`${label}\n`);
        lastPlain = now;
        lastLabel = label;
      }
    } else if (!hinted && performance.now() - started > idleHintMs) {
      hinted = true;
      progress.log(io.err, `still ${source.status}: is a worker running (npm start, or npm run worker)?`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function summarise(source: SourceWithSync, url: string, seconds: number, io: Io): SyncReport {
  const sync = source.sync!;
  const result = sync.result!;
  const p = result.progress ?? sync.progress;
  const status = result.status ?? source.status;
  const ok = status === 'ready' || status === 'empty';
  const pages = result.pages !== undefined ? `${result.pages} page${result.pages === 1 ? '' : 's'} · ` : '';
  io.out.write(`${sync.settings.url}: ${status} · ${pages}${p.stored} stored · ${p.unchanged} unchanged · ${p.removed} removed · ${p.skipped} skipped in ${seconds.toFixed(1)} s\n`);
  if (source.error) io.out.write(`error: ${source.error}\n`);
  const reasons = Object.entries(result.skippedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    io.out.write(`skipped: ${reasons.map(([reason, n]) => `${n} ${reason}`).join(' · ')}\n`);
    const shown = result.skipped.slice(0, 20);
    for (const s of shown) io.out.write(`  ${s.url}  ${s.reason}\n`);
    if (p.skipped > shown.length) io.out.write(`  … ${p.skipped - shown.length} more (GET ${url} lists up to 200)\n`);
  }
  for (const url of (result.removed ?? []).slice(0, 20)) io.out.write(`removed ${url}\n`);
  if (!result.complete) io.out.write('the sync did not see the whole site, so nothing was removed; it is tried again at the next sync\n');
  return { status, ok };
}
