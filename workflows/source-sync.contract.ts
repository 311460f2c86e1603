/**
 * The source-sync workflow's public contract: one workflow per URL or site source, id
 * `source-sync:<agentId>:<sourceId>`. Wire names (`sync`, `syncState`) live in history forever: never
 * rename them. Imported by the workflow, the API client and tests.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { SourceType } from '../domain/source.js';

/** The source types a sync workflow keeps fresh. */
export const SyncSourceType = SourceType.extract(['url', 'site']);
export type SyncSourceType = z.infer<typeof SyncSourceType>;

export const DEFAULT_MAX_PAGES = 1000;
export const MAX_MAX_PAGES = 10_000;

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

export interface SyncState {
  syncing: boolean;
  pending: boolean;
  completedSyncs: number;
  last?: SyncOutcome;
}

export const syncSignal = defineSignal<[SyncRequest]>('sync');
export const syncStateQuery = defineQuery<SyncState>('syncState');

export function sourceSyncWorkflowId(agentId: string, sourceId: string): string {
  return `source-sync:${agentId}:${sourceId}`;
}

/** Runs per workflow run before continue-as-new, so history stays short for a source synced for years. */
export const SYNCS_PER_RUN = 50;
