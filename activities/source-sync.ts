/**
 * Syncing a URL or site source: crawl, store what is new or changed, remove what is gone. Idempotent:
 * a page is stored under a stable id (its site and URL), a page whose content hash is unchanged is not
 * re-embedded, and a changed page's chunks are replaced in one transaction (ingestSource), so an answer
 * never mixes the old and new version. Progress is heartbeated and written to the source row, where the
 * API reads it while the crawl runs.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  clearSourceContent, deleteChildSources, getSource, listChildSources, markFetched, updateSyncState, type Source,
} from '../db/sources.js';
import type { Db } from '../db/types.js';
import { batchingEmbedder } from '../knowledge/crawl/batching-embedder.js';
import { crawl, type CrawlProgress, type CrawledPage } from '../knowledge/crawl/crawler.js';
import { createFetcher, type FetcherOptions } from '../knowledge/fetch/fetch.js';
import type { FetchPolicy } from '../knowledge/fetch/policy.js';
import { contentHash, ingestSource } from '../knowledge/ingest.js';
import type { Embedder } from '../knowledge/types.js';
import type { SyncOutcome } from '../workflows/source-sync.contract.js';
import { SyncSettings } from '../workflows/source-sync.schemas.js';

export interface CrawlSettings {
  policy: FetchPolicy;
  userAgent: string;
  concurrency: number;
  delayMs: number;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface SourceSyncDeps {
  db: Db;
  embedder: Embedder;
  crawl: CrawlSettings;
}

export interface SyncSourceInput {
  agentId: string;
  sourceId: string;
  settings: SyncSettings;
}

/** Links kept per page for the next sync (a 304 has no body to read them from). */
const LINKS_KEPT = 500;
const PROGRESS_WRITE_MS = 500;
const HEARTBEAT_MS = 10_000;
/** URLs listed in a sync's result; counts cover the rest. */
const LIST_LIMIT = 200;
const ZERO: CrawlProgress = { discovered: 0, fetched: 0, stored: 0, unchanged: 0, skipped: 0 };

export function createSourceSyncActivities(deps: SourceSyncDeps) {
  const { db } = deps;
  return {
    async syncSource(input: SyncSourceInput): Promise<SyncOutcome> {
      const parsed = SyncSettings.safeParse(input.settings);
      if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid sync settings: ${parsed.error.message}`, 'InvalidSyncSettings');
      const settings = parsed.data;
      const { agentId, sourceId } = input;
      const source = await getSource(db, agentId, sourceId);
      if (!source) return { gone: true, status: 'deleted', ...ZERO, removed: 0 };

      const ctx = activityContext();
      const site = settings.type === 'site';
      const embedder = batchingEmbedder(deps.embedder);
      const startedAt = new Date().toISOString();
      await updateSyncState(db, agentId, sourceId, { status: 'syncing', metadata: { progress: { ...ZERO, removed: 0 }, syncStartedAt: startedAt } });

      const known = new Map<string, Source>();
      if (site) for (const page of await listChildSources(db, agentId, sourceId)) if (page.url) known.set(page.url, page);
      if (!site && source.contentHash) known.set(settings.url, source);

      // Progress writes are serialised and throttled; the final state is written after the last one.
      let writes: Promise<unknown> = Promise.resolve();
      let lastWrite = 0;
      const onProgress = (p: CrawlProgress) => {
        ctx?.heartbeat(p);
        const now = Date.now();
        if (now - lastWrite < PROGRESS_WRITE_MS) return;
        lastWrite = now;
        writes = writes.then(() => updateSyncState(db, agentId, sourceId, { metadata: { progress: { ...p, removed: 0 } } })).catch(() => {});
      };

      const onPage = async (page: CrawledPage): Promise<'stored' | 'unchanged'> => {
        // A single URL keeps its row even when the page now lives behind a redirect.
        const previous = site ? known.get(page.url) : (source.contentHash ? source : undefined);
        const id = site ? (previous?.id ?? childSourceId(sourceId, page.url)) : sourceId;
        const links = page.links.slice(0, LINKS_KEPT);
        const hash = contentHash({ type: 'url', title: page.title, url: page.url, blocks: page.blocks });
        const validators = { etag: page.etag ?? null, lastModified: page.lastModified ?? null, fetchedAt: page.fetchedAt };
        if (previous?.contentHash === hash && previous.id === id) {
          await updateSyncState(db, agentId, id, { ...validators, metadata: { links } });
          return 'unchanged';
        }
        // A single-URL source deleted mid-sync must not be written back into existence.
        if (!site && !(await getSource(db, agentId, sourceId))) throw ApplicationFailure.nonRetryable('the source was deleted during its sync', 'SourceNotFound');
        await ingestSource(db, embedder, {
          agentId,
          type: 'url',
          title: page.title,
          url: page.url,
          blocks: page.blocks,
          kind: settings.kind ?? (site ? 'website_page' : 'url'),
          sourceId: id,
          ...(site ? { parentId: sourceId } : {}),
          ...(page.etag ? { etag: page.etag } : {}),
          ...(page.lastModified ? { lastModified: page.lastModified } : {}),
          fetchedAt: page.fetchedAt,
          metadata: site ? { links } : { ...source.metadata, links },
        });
        return 'stored';
      };

      const fetcherOptions: FetcherOptions = {
        policy: deps.crawl.policy,
        userAgent: deps.crawl.userAgent,
        ...(deps.crawl.timeoutMs ? { timeoutMs: deps.crawl.timeoutMs } : {}),
        ...(deps.crawl.maxBytes ? { maxBytes: deps.crawl.maxBytes } : {}),
      };
      // Heartbeats also while robots.txt and sitemaps are read, before the first page reports progress.
      let latest: CrawlProgress = ZERO;
      const beat = setInterval(() => ctx?.heartbeat(latest), HEARTBEAT_MS);
      let result;
      try {
        result = await crawl({
          startUrl: settings.url,
          mode: settings.type,
          maxPages: site ? settings.maxPages : 1,
          concurrency: deps.crawl.concurrency,
          delayMs: deps.crawl.delayMs,
          robotsAgent: deps.crawl.userAgent.split('/')[0]!,
          fetcher: createFetcher(fetcherOptions),
          known: (url) => {
            const page = known.get(url);
            if (!page) return undefined;
            const links = page.metadata.links;
            return {
              ...(page.etag ? { etag: page.etag } : {}),
              ...(page.lastModified ? { lastModified: page.lastModified } : {}),
              links: Array.isArray(links) ? links.filter((l): l is string => typeof l === 'string') : [],
            };
          },
          onPage,
          onProgress: (p) => {
            latest = p;
            onProgress(p);
          },
          ...(ctx ? { signal: ctx.cancellationSignal } : {}),
        });
      } catch (err) {
        clearInterval(beat);
        await writes;
        await updateSyncState(db, agentId, sourceId, { status: 'failed', error: `the sync failed: ${(err as Error).message}` }).catch(() => {});
        throw err;
      }
      clearInterval(beat);
      await writes;
      await markFetched(db, agentId, result.notModified.flatMap(({ url, fetchedAt }) => {
        const page = site ? known.get(url) : source;
        return page ? [{ id: page.id, fetchedAt }] : [];
      }));

      let removed = 0;
      let removedUrls: string[] = [];
      if (site && result.complete) {
        const live = new Set(result.live);
        const failed = new Set(result.failed);
        const stale = [...known.values()].filter((p) => !live.has(p.url!) && !failed.has(p.url!));
        removed = await deleteChildSources(db, agentId, sourceId, stale.map((p) => p.id));
        removedUrls = stale.map((p) => p.url!).slice(0, LIST_LIMIT);
      }
      if (!site && result.gone.length > 0 && result.live.length === 0) {
        removed = source.chunkCount > 0 ? 1 : 0;
        await db.transaction((tx) => clearSourceContent(tx, agentId, sourceId, 'failed',
          result.error ?? `${settings.url} is gone or may not be fetched: ${result.skipped[0]?.reason ?? 'no content'}`));
      }

      const pages = site ? result.live.length : undefined;
      const status = !result.complete ? 'failed'
        : site ? (result.live.length > 0 ? 'ready' : 'empty')
          : result.live.length > 0 ? 'ready' : 'failed';
      const error = result.error ?? (status === 'failed' ? noContentReason(result.skipped[0]?.reason) : undefined);
      const progress = { ...result.progress, removed };
      await updateSyncState(db, agentId, sourceId, {
        status,
        error: error ?? null,
        metadata: {
          progress,
          result: {
            finishedAt: new Date().toISOString(),
            status,
            progress,
            complete: result.complete,
            ...(pages !== undefined ? { pages } : {}),
            skipped: result.skipped,
            removed: removedUrls,
            skippedByReason: result.skippedByReason,
          },
        },
      });
      return { gone: false, status, ...progress, ...(error ? { error } : {}) };
    },
  };
}

export type SourceSyncActivities = ReturnType<typeof createSourceSyncActivities>;

/** A stable id for a site's page, so a retried or repeated sync updates the same row. */
export function childSourceId(siteId: string, url: string): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const bytes = createHash('sha256').update(`${siteId}\n${url}`).digest().subarray(0, 16);
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return `src_${out}`;
}

function noContentReason(reason: string | undefined): string {
  return reason ? `the page was not stored: ${reason}` : 'the page has no text content to answer from';
}

/** The activity context, or undefined when called outside an activity (unit tests, the bench). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
