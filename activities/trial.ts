/**
 * The workspace trial's side effects. Each activity is idempotent: state is written by value (setTrial),
 * events are keyed by the trial's workflow id (a retry stores nothing new), the audit entry is written
 * only by the attempt that stored the event, in the same transaction, and each reminder email is recorded
 * by its key (trial, event, recipient) once the mail server took it.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DeliveryRefused } from '../channels/channel.js';
import { renderEmail } from '../channels/email/render.js';
import type { SendPlainEmail } from '../channels/email/send.js';
import { replyMessageId } from '../channels/email/thread.js';
import { hasDeployedAgent, switchOffAgents } from '../db/agents.js';
import { recordAudit } from '../db/audit.js';
import { workspaceEmailAccount } from '../db/deployments.js';
import { recordEvent } from '../db/events.js';
import { recordNotificationEmail, recordedNotificationEmails } from '../db/notification-emails.js';
import { listUsers } from '../db/people.js';
import type { Db, Queryable } from '../db/types.js';
import { getWorkspace, setTrial } from '../db/workspaces.js';
import type { EventNotifier, EventType, WorkspaceEvent } from '../domain/events.js';
import { trialReminderText } from '../domain/trial-reminder.js';
import { trialEventId, type TrialEnd, type TrialReminderEmailResult } from '../workflows/workspace-trial.contract.js';
import { TrialReminderEmailInput } from '../workflows/workspace-trial.schemas.js';

export interface TrialActivityDeps {
  db: Db;
  /** Sends events out: the worker's webhook notifier (activities/event-notifier.ts); absent in tests that need none. */
  notifier?: EventNotifier;
  /** SMTP_URL's sender (channels/email/send.ts): the reminder email goes out through it; without it none is sent. */
  sendEmail?: SendPlainEmail;
}

/** Who the audit log names for what the trial does by itself. */
export const TRIAL_ACTOR = { id: 'system:trial', name: 'workspace trial' };

export interface TrialKey {
  workspaceId: string;
  /** The trial's workflow id: events are keyed by it. */
  trialId: string;
}

export function createTrialActivities({ db, notifier, sendEmail }: TrialActivityDeps) {
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
    /** Whether an active agent of the workspace has a live deployment: the trial starts then. */
    async hasDeployedAgent(input: { workspaceId: string }): Promise<boolean> {
      return hasDeployedAgent(db, input.workspaceId);
    },

    /**
     * The same question under its name from before deployments counted (then: any active agent). Kept
     * registered for trials that scheduled it before this worker's version; it answers today's question.
     */
    async hasActiveAgent(input: { workspaceId: string }): Promise<boolean> {
      return hasDeployedAgent(db, input.workspaceId);
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
     * Emails the reminder to the workspace's people where email is set up: through the install's SMTP_URL,
     * from the workspace's email deployment (its support address). People have no roles, so everyone of
     * the workspace is an admin here. One message per person, its Message-ID fixed by the key, recorded
     * once the server took (or refused) it: a retry sends only what did not go out. A server that is down
     * for one person fails the attempt after the others had theirs.
     */
    async emailTrialReminder(raw: TrialReminderEmailInput): Promise<TrialReminderEmailResult> {
      const parsed = TrialReminderEmailInput.safeParse(raw);
      if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid trial reminder input (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`, 'InvalidInput');
      const input = parsed.data;
      if (!sendEmail) return { skipped: 'no_smtp' };
      const workspace = await getWorkspace(db, input.workspaceId);
      if (!workspace) throw ApplicationFailure.nonRetryable(`workspace ${input.workspaceId} does not exist`, 'WorkspaceNotFound');
      const account = (await workspaceEmailAccount(db, input.workspaceId))?.toLowerCase();
      if (!account) return { skipped: 'no_sender' };
      const people = [...new Set((await listUsers(db, input.workspaceId)).map((u) => u.email.toLowerCase()))].filter((e) => e !== account);
      if (people.length === 0) return { skipped: 'no_people' };

      const keyOf = (to: string) => `${trialEventId(input.trialId, 'trial.ending_soon')}:email:${to}`;
      const recorded = await recordedNotificationEmails(db, people.map(keyOf));
      const { subject, text } = trialReminderText({ workspaceName: workspace.name, endsAt: new Date(input.endsAt) });
      const { html } = renderEmail({ text, sources: [] });
      const sent: string[] = [];
      const refused: string[] = [];
      const failed: string[] = [];
      for (const to of people) {
        const key = keyOf(to);
        const before = recorded.get(key);
        if (before) {
          (before === 'sent' ? sent : refused).push(to);
          continue;
        }
        const messageId = replyMessageId(key, account);
        try {
          await sendEmail({
            from: { address: account, name: workspace.name }, to, subject, text, html, messageId,
            headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
          });
        } catch (err) {
          if (!(err instanceof DeliveryRefused)) {
            failed.push(`${to}: ${(err as Error).message ?? String(err)}`);
            continue;
          }
          await recordNotificationEmail(db, { key, workspaceId: input.workspaceId, recipient: to, messageId, status: 'refused', detail: err.message });
          refused.push(to);
          continue;
        }
        await recordNotificationEmail(db, { key, workspaceId: input.workspaceId, recipient: to, messageId, status: 'sent' });
        sent.push(to);
      }
      if (failed.length > 0) throw ApplicationFailure.retryable(`the trial reminder did not go out to ${failed.join('; ')}`, 'TrialReminderMailUnavailable');
      return { sent, refused };
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
