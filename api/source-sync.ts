/**
 * URL and site sources from the API's side: create the source row, start its durable sync workflow
 * (`source-sync:<agentId>:<sourceId>`), ask for a re-sync, and show progress. The crawl runs on the
 * workers; progress is read from the source row, so any API process can answer.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from '@hono/zod-openapi';
import { newId } from '../db/ids.js';
import { getSource, saveSource, type Source } from '../db/sources.js';
import type { Db } from '../db/types.js';
import { sourceSyncWorkflowId, syncSignal, type SourceSyncInput, type SyncRequest } from '../workflows/source-sync.contract.js';
import { SyncCounts, SyncSettings } from '../workflows/source-sync.schemas.js';
import type { sourceSync } from '../workflows/source-sync.js';
import { ApiError } from './errors.js';
import { Source as SourceBody, type CreateSiteSource, type CreateUrlSource } from './schemas.js';

export interface SourceSyncClient {
  /** Starts the sync loop of a new source; it syncs at once. */
  start(agentId: string, sourceId: string, settings: SyncSettings): Promise<void>;
  /** Syncs now: signals the loop, restarting it if it had ended. */
  request(agentId: string, sourceId: string, settings: SyncSettings, reason?: string): Promise<void>;
  /** Ends the loop of a deleted source; nothing happens when there is none. Never throws. */
  stop(agentId: string, sourceId: string): Promise<void>;
  /** Hours between scheduled syncs when a source does not say. */
  defaultIntervalHours: number;
  /** The shortest interval a source may ask for. */
  minIntervalHours: number;
}

export function createSourceSyncClient(options: {
  client: Client; taskQueue: string; defaultIntervalHours: number; minIntervalHours: number;
}): SourceSyncClient {
  const { client, taskQueue } = options;
  const args = (agentId: string, sourceId: string, settings: SyncSettings, syncPending: boolean): [SourceSyncInput] =>
    [{ agentId, sourceId, settings, syncPending }];
  return {
    defaultIntervalHours: options.defaultIntervalHours,
    minIntervalHours: options.minIntervalHours,
    async start(agentId, sourceId, settings) {
      await client.workflow.start<typeof sourceSync>('sourceSync', {
        workflowId: sourceSyncWorkflowId(agentId, sourceId), taskQueue, args: args(agentId, sourceId, settings, true),
      });
    },
    async request(agentId, sourceId, settings, reason) {
      await client.workflow.signalWithStart<typeof sourceSync, [SyncRequest]>('sourceSync', {
        workflowId: sourceSyncWorkflowId(agentId, sourceId), taskQueue, args: args(agentId, sourceId, settings, false),
        signal: syncSignal, signalArgs: [reason ? { reason } : {}],
      });
    },
    async stop(agentId, sourceId) {
      try {
        await client.workflow.getHandle(sourceSyncWorkflowId(agentId, sourceId)).terminate('the source was deleted');
      } catch (err) {
        // Not fatal: a loop whose source is gone ends by itself at its next sync.
        if (!(err instanceof WorkflowNotFoundError)) console.warn(`could not stop the sync of ${sourceId}: ${(err as Error).message}`);
      }
    },
  };
}

const ZERO_PROGRESS = { discovered: 0, fetched: 0, stored: 0, unchanged: 0, skipped: 0, removed: 0 };

/** Creates a URL or site source and starts syncing it; the answer comes before the first page is read. */
export async function addSyncedSource(
  db: Db, sync: SourceSyncClient | undefined, agentId: string, body: z.infer<typeof CreateUrlSource> | z.infer<typeof CreateSiteSource>,
): Promise<z.infer<typeof SyncedSource>> {
  if (!sync) throw new ApiError('unavailable', 'URL and site sources need the sync workflow; start the API with a Temporal connection');
  const interval = body.syncIntervalHours ?? sync.defaultIntervalHours;
  if (interval > 0 && interval < sync.minIntervalHours) {
    throw new ApiError('invalid_request', `syncIntervalHours: at least ${sync.minIntervalHours} hours, or 0 to sync only on demand`, 'syncIntervalHours');
  }
  const settings = SyncSettings.parse({
    type: body.type,
    url: body.url,
    ...(body.type === 'site' && body.maxPages ? { maxPages: body.maxPages } : {}),
    ...(body.kind ? { kind: body.kind } : {}),
    syncIntervalHours: interval,
  });
  const id = newId('src');
  await saveSource(db, {
    id, agentId, type: body.type, kind: body.kind ?? (body.type === 'site' ? 'website_page' : 'url'),
    title: body.title ?? new URL(body.url).host + (body.type === 'url' ? new URL(body.url).pathname.replace(/\/$/, '') : ''),
    url: body.url, status: 'pending', chunkCount: 0,
    metadata: { sync: settings, progress: ZERO_PROGRESS },
  });
  await sync.start(agentId, id, settings);
  return SyncedSource.parse({ id, type: body.type, status: 'pending', workflowId: sourceSyncWorkflowId(agentId, id) });
}

/** Asks for a re-sync of a URL or site source now. */
export async function requestSync(db: Db, sync: SourceSyncClient | undefined, agentId: string, sourceId: string): Promise<z.infer<typeof SyncedSource>> {
  if (!sync) throw new ApiError('unavailable', 'syncing needs the sync workflow; start the API with a Temporal connection');
  const source = await getSource(db, agentId, sourceId);
  if (!source) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
  const settings = SyncSettings.safeParse(source.metadata.sync);
  if (!settings.success || (source.type !== 'url' && source.type !== 'site')) {
    const hint = source.parentId ? `; it is a page of site ${source.parentId}: sync the site` : '';
    throw new ApiError('invalid_request', `source ${sourceId} is a ${source.type} source; only url and site sources are synced${hint}`, 'sourceId');
  }
  await sync.request(agentId, sourceId, settings.data, 'requested through the API');
  return SyncedSource.parse({ id: sourceId, type: source.type, status: source.status, workflowId: sourceSyncWorkflowId(agentId, sourceId) });
}

export const SyncedSource = z.object({
  id: z.string(),
  type: z.enum(['url', 'site']),
  status: z.string(),
  workflowId: z.string(),
}).openapi('SyncedSource');

export const SyncProgress = SyncCounts;

export const SyncView = z.object({
  workflowId: z.string(),
  settings: SyncSettings,
  progress: SyncProgress,
  startedAt: z.string().optional(),
  /** The last finished sync: what was skipped and why (the first 200, and counts by reason). */
  result: z.object({
    finishedAt: z.string(),
    /** How that sync ended (the source's status may have moved on, to a next sync). */
    status: z.string().optional(),
    /** That sync's counts (`progress` above is the running sync's, once the next one starts). */
    progress: SyncProgress.optional(),
    complete: z.boolean(),
    pages: z.number().int().optional(),
    skipped: z.array(z.object({ url: z.string(), reason: z.string() })),
    /** Pages removed because they are gone or no longer linked or listed (the first 200). */
    removed: z.array(z.string()).optional(),
    skippedByReason: z.record(z.string(), z.number().int()),
  }).optional(),
});

/** A source as GET …/sources/{sourceId} shows it: url and site sources with their sync. */
export const SourceWithSync = SourceBody.extend({ sync: SyncView.optional() }).openapi('SourceWithSync');

/** The sync part of a source's representation; empty for sources that are not synced. */
export function presentSync(source: Source): { sync?: z.infer<typeof SyncView> } {
  const settings = SyncSettings.safeParse(source.metadata.sync);
  if (!settings.success) return {};
  const m = source.metadata;
  const view = SyncView.safeParse({
    workflowId: sourceSyncWorkflowId(source.agentId, source.id),
    settings: settings.data,
    progress: { ...ZERO_PROGRESS, ...(m.progress as object | undefined) },
    ...(typeof m.syncStartedAt === 'string' ? { startedAt: m.syncStartedAt } : {}),
    ...(m.result ? { result: m.result } : {}),
  });
  return view.success ? { sync: view.data } : {};
}
