/**
 * The zod schemas of the source-sync workflow's boundary, parsed by the API before it starts or signals a
 * sync. The workflow and its contract import their types only: the workflow bundle must not evaluate zod
 * (workflows/conversation-checks.ts has the measurements); the workflow checks its input by hand.
 */
import { z } from 'zod';
import { SourceType } from '../domain/source.js';
import { DEFAULT_MAX_PAGES, MAX_MAX_PAGES } from './source-sync.contract.js';

/** The source types a sync workflow keeps fresh. */
export const SyncSourceType = SourceType.extract(['url', 'site']);
export type SyncSourceType = z.infer<typeof SyncSourceType>;

/** How a source is synced; stored on the source (metadata.sync) so the API can restart its workflow. */
export const SyncSettings = z.object({
  type: SyncSourceType,
  url: z.string().url(),
  maxPages: z.number().int().min(1).max(MAX_MAX_PAGES).default(DEFAULT_MAX_PAGES),
  kind: z.string().min(1).max(64).optional(),
  /** Hours between scheduled re-syncs; 0 (or absent) syncs only on demand. */
  syncIntervalHours: z.number().min(0).max(24 * 366).default(0),
});
export type SyncSettings = z.infer<typeof SyncSettings>;

export const SourceSyncInput = z.object({
  agentId: z.string().min(1),
  sourceId: z.string().min(1),
  settings: SyncSettings,
  /** Carried through continue-as-new: a sync was asked for and has not run yet. */
  syncPending: z.boolean().default(true),
  /** Carried through continue-as-new: syncs completed by earlier runs. */
  completedSyncs: z.number().int().min(0).default(0),
});
export type SourceSyncInput = z.input<typeof SourceSyncInput>;

/** A request to sync now; `reason` shows up in history for operators. */
export const SyncRequest = z.object({ reason: z.string().max(200).optional() });
export type SyncRequest = z.infer<typeof SyncRequest>;

/** Page counts of a sync, while it runs and when it is done. */
export const SyncCounts = z.object({
  discovered: z.number().int(),
  fetched: z.number().int(),
  stored: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  removed: z.number().int(),
});

/** What one sync did, as the activity reports it back to the workflow. */
export const SyncOutcome = SyncCounts.extend({
  /** The source no longer exists (deleted): the workflow ends. */
  gone: z.boolean(),
  status: z.string(),
  error: z.string().optional(),
});
export type SyncOutcome = z.infer<typeof SyncOutcome>;
