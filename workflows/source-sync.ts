/**
 * One durable sync loop per URL or site source. Reads as a lifecycle: register handlers, then sync when
 * asked (the first run syncs at once) or when the source's interval has passed, and continue-as-new after
 * a bounded number of syncs. The crawl itself is one heartbeating activity: it is idempotent (pages are
 * stored under stable ids, unchanged ones skipped), so a retry after a crash redoes little.
 */
import {
  allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { SourceSyncActivities } from '../activities/source-sync.js';
import {
  DEFAULT_MAX_PAGES, MAX_MAX_PAGES, SYNCS_PER_RUN, syncSignal, syncStateQuery, type SourceSyncInput, type SyncOutcome, type SyncSettings,
} from './source-sync.contract.js';
import { isObject, num, refuseIf, str, type Problems } from './shape-checks.js';

// A crawl of a big site takes long; the heartbeat notices a dead worker within a minute, and a crawl
// that keeps failing waits for the next request or interval rather than retrying for ever.
const crawl = proxyActivities<SourceSyncActivities>({
  startToCloseTimeout: '6h',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '5m', maximumAttempts: 5, nonRetryableErrorTypes: ['SourceNotFound', 'InvalidSyncSettings'] },
});

export async function sourceSync(rawInput: SourceSyncInput): Promise<void> {
  const input = readInput(rawInput);
  const { agentId, sourceId, settings } = input;
  let pending = input.syncPending;
  let syncing = false;
  let completed = input.completedSyncs;
  let last: SyncOutcome | undefined;

  setHandler(syncSignal, (request) => {
    if (!isObject(request) || (request.reason !== undefined && (typeof request.reason !== 'string' || request.reason.length > 200))) {
      log.warn('dropped an invalid sync request');
      return;
    }
    pending = true;
  });
  setHandler(syncStateQuery, () => ({ syncing, pending, completedSyncs: completed, ...(last ? { last } : {}) }));

  const intervalMs = settings.syncIntervalHours * 3_600_000;
  for (let runSyncs = 0; ; ) {
    if (!pending) {
      if (intervalMs > 0) await condition(() => pending, intervalMs);
      else await condition(() => pending);
    }
    pending = false;
    syncing = true;
    try {
      last = await crawl.syncSource({ agentId, sourceId, settings });
    } catch (err) {
      // The activity recorded the failure on the source; the next request or interval tries again.
      log.error('source sync failed after retries', { sourceId, error: String(err) });
      last = undefined;
    } finally {
      syncing = false;
    }
    if (last?.gone) {
      log.info('source deleted; its sync loop ends', { sourceId });
      return;
    }
    completed++;
    runSyncs++;
    if (runSyncs >= SYNCS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof sourceSync>({ agentId, sourceId, settings, syncPending: pending, completedSyncs: completed });
    }
  }
}

/**
 * The input as its schema (source-sync.schemas.ts) says, checked by hand and with the schema's defaults
 * filled in (the bundle carries no zod): the settings go to the crawl activity as the parse gave them.
 */
function readInput(input: SourceSyncInput): { agentId: string; sourceId: string; settings: SyncSettings; syncPending: boolean; completedSyncs: number } {
  if (!isObject(input)) return refuseIf('input', ['not an object']) as never;
  const problems: Problems = [];
  str(problems, input, 'agentId', { min: 1 });
  str(problems, input, 'sourceId', { min: 1 });
  const settings: unknown = input.settings;
  if (!isObject(settings)) problems.push('settings: not an object');
  else {
    if (settings.type !== 'url' && settings.type !== 'site') problems.push('settings.type: url or site');
    str(problems, settings, 'url', { min: 1 });
    num(problems, settings, 'maxPages', { int: true, min: 1, max: MAX_MAX_PAGES, required: false });
    str(problems, settings, 'kind', { min: 1, max: 64, required: false });
    num(problems, settings, 'syncIntervalHours', { min: 0, max: 24 * 366, required: false });
  }
  if (input.syncPending !== undefined && typeof input.syncPending !== 'boolean') problems.push('syncPending: not a boolean');
  num(problems, input, 'completedSyncs', { int: true, min: 0, required: false });
  refuseIf('input', problems);
  const s = input.settings;
  return {
    agentId: input.agentId,
    sourceId: input.sourceId,
    settings: {
      type: s.type, url: s.url, maxPages: s.maxPages ?? DEFAULT_MAX_PAGES, ...(s.kind !== undefined ? { kind: s.kind } : {}),
      syncIntervalHours: s.syncIntervalHours ?? 0,
    },
    syncPending: input.syncPending ?? true,
    completedSyncs: input.completedSyncs ?? 0,
  };
}
