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
  SourceSyncInput, SYNCS_PER_RUN, SyncRequest, syncSignal, syncStateQuery, type SyncOutcome,
} from './source-sync.contract.js';

// A crawl of a big site takes long; the heartbeat notices a dead worker within a minute, and a crawl
// that keeps failing waits for the next request or interval rather than retrying for ever.
const crawl = proxyActivities<SourceSyncActivities>({
  startToCloseTimeout: '6h',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '5m', maximumAttempts: 5, nonRetryableErrorTypes: ['SourceNotFound', 'InvalidSyncSettings'] },
});

export async function sourceSync(rawInput: SourceSyncInput): Promise<void> {
  const input = SourceSyncInput.parse(rawInput);
  const { agentId, sourceId, settings } = input;
  let pending = input.syncPending;
  let syncing = false;
  let completed = input.completedSyncs;
  let last: SyncOutcome | undefined;

  setHandler(syncSignal, (request) => {
    if (!SyncRequest.safeParse(request).success) {
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
