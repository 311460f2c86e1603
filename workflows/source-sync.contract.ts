/**
 * The source-sync workflow's public contract: one workflow per URL or site source, id
 * `source-sync:<agentId>:<sourceId>`. Wire names (`sync`, `syncState`) live in history forever: never
 * rename them. Imported by the workflow, the API client and tests. The zod schemas of its types are in
 * source-sync.schemas.ts: this module is in the workflow bundle, which must not evaluate zod.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SyncOutcome, SyncRequest } from './source-sync.schemas.js';

export type { SourceSyncInput, SyncOutcome, SyncRequest, SyncSettings, SyncSourceType } from './source-sync.schemas.js';

export const DEFAULT_MAX_PAGES = 1000;
export const MAX_MAX_PAGES = 10_000;

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
