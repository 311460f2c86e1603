/**
 * The workspace trial's side effects. Each activity is idempotent: state is written by value (setTrial),
 * events are keyed by the trial's workflow id (a retry stores nothing new), and the audit entry is written
 * only by the attempt that stored the event, in the same transaction.
 */
import { ApplicationFailure } from '@temporalio/common';
import { countActiveAgents, switchOffAgents } from '../db/agents.js';
import { recordAudit } from '../db/audit.js';
import { recordEvent } from '../db/events.js';
import type { Db, Queryable } from '../db/types.js';
import { setTrial } from '../db/workspaces.js';
import type { EventNotifier, EventType, WorkspaceEvent } from '../domain/events.js';
import { trialEventId, type TrialEnd } from '../workflows/workspace-trial.contract.js';

export interface TrialActivityDeps {
  db: Db;
  /** Sends events out: the worker's webhook notifier (activities/event-notifier.ts); absent in tests that need none. */
  notifier?: EventNotifier;
}

/** Who the audit log names for what the trial does by itself. */
export const TRIAL_ACTOR = { id: 'system:trial', name: 'workspace trial' };

export interface TrialKey {
  workspaceId: string;
  /** The trial's workflow id: events are keyed by it. */
  trialId: string;
}

export function createTrialActivities({ db, notifier }: TrialActivityDeps) {
  /** Stores the event, and audits it when this attempt stored it. */
  async function record(tx: Queryable, key: TrialKey, type: Extract<EventType, `trial.${string}`>, data: Record<string, unknown>): Promise<WorkspaceEvent> {
    const { event, recorded } = await recordEvent(tx, { id: trialEventId(key.trialId, type), workspaceId: key.workspaceId, type, data });
    if (recorded) {
      await recordAudit(tx, {
        workspaceId: key.workspaceId, actor: TRIAL_ACTOR, action: type, target: { type: 'workspace', id: key.workspaceId }, details: data,
      });
    }
    return event;
  }

  return {
    /** Until channels and deployments exist, an active agent counts as deployed to chat. */
    async hasActiveAgent(input: { workspaceId: string }): Promise<boolean> {
      return (await countActiveAgents(db, input.workspaceId)) > 0;
    },

    async activateTrial(input: TrialKey & { startedAt: string; endsAt: string; reminderAt: string }): Promise<void> {
      const event = await db.transaction(async (tx) => {
        await lockWorkspace(tx, input.workspaceId);
        await setTrial(tx, input.workspaceId, {
          status: 'active', startedAt: new Date(input.startedAt), endsAt: new Date(input.endsAt), reminderAt: new Date(input.reminderAt),
        });
        return record(tx, input, 'trial.started', { startedAt: input.startedAt, endsAt: input.endsAt, reminderAt: input.reminderAt });
      });
      await notifier?.notify(event);
    },

    async remindTrialEnding(input: TrialKey & { endsAt: string }): Promise<void> {
      const event = await db.transaction(async (tx) => {
        await lockWorkspace(tx, input.workspaceId);
        const event = await record(tx, input, 'trial.ending_soon', { endsAt: input.endsAt });
        await setTrial(tx, input.workspaceId, { status: 'active', remindedAt: event.createdAt });
        return event;
      });
      await notifier?.notify(event);
    },

    /**
     * Ends the trial: unless credits are enabled, every active agent of the workspace is switched off with
     * off reason `trial_ended` (turning credits on later switches exactly those back on). The workspace row
     * is locked first, so a concurrent change of credits lands wholly before or after. A retry after the
     * commit switches off only agents activated since, still without credits: the same rule.
     */
    async endTrial(input: TrialKey): Promise<TrialEnd> {
      const { result, event } = await db.transaction(async (tx) => {
        const { creditsEnabled } = await lockWorkspace(tx, input.workspaceId);
        const switchedOff = creditsEnabled ? [] : await switchOffAgents(tx, input.workspaceId, 'trial_ended');
        await setTrial(tx, input.workspaceId, { status: 'ended' });
        const result: TrialEnd = { creditsEnabled, switchedOff };
        return { result, event: await record(tx, input, 'trial.ended', result) };
      });
      await notifier?.notify(event);
      return result;
    },
  };
}

async function lockWorkspace(tx: Queryable, workspaceId: string): Promise<{ creditsEnabled: boolean }> {
  const { rows } = await tx.query<{ credits_enabled: boolean }>('SELECT credits_enabled FROM workspaces WHERE id = $1 FOR UPDATE', [workspaceId]);
  if (!rows[0]) throw ApplicationFailure.nonRetryable(`workspace ${workspaceId} does not exist`, 'WorkspaceNotFound');
  return { creditsEnabled: rows[0].credits_enabled };
}

export type TrialActivities = ReturnType<typeof createTrialActivities>;
