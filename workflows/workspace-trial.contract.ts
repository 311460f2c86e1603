/**
 * The workspace trial's public contract: one workflow per workspace, id `trial:<workspaceId>`, started when
 * the workspace opts in. Wire names (`workspaceTrial`, `deployed`, `trialState`) live in history forever:
 * never rename them. Imported by the workflow, the API's trial client, activities and tests. The zod
 * schemas of its types are in workspace-trial.schemas.ts: this module is in the workflow bundle, which
 * must not evaluate zod.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Deployment, TrialPhase } from './workspace-trial.schemas.js';

export type { Deployment, TrialEnd, TrialPhase, TrialReminderEmailInput, WorkspaceTrialInput } from './workspace-trial.schemas.js';

export const WORKSPACE_TRIAL_WORKFLOW = 'workspaceTrial';

export function trialWorkflowId(workspaceId: string): string {
  return `trial:${workspaceId}`;
}

/** The trial as the workflow sees it (ISO times), for operators through the query. */
export interface TrialStateView {
  phase: TrialPhase;
  deployed: boolean;
  reminded: boolean;
  startedAt?: string;
  endsAt?: string;
  reminderAt?: string;
}

/**
 * What the reminder email did: `skipped` when email is not set up for the workspace (no SMTP_URL, no
 * email deployment to send from, nobody to send to); else the addresses that have it (this attempt or an
 * earlier one) and those the mail server refused for good.
 */
export type TrialReminderEmailResult =
  | { skipped: 'no_smtp' | 'no_sender' | 'no_people' }
  | { sent: string[]; refused: string[] };

export const deployedSignal = defineSignal<[Deployment]>('deployed');
export const trialStateQuery = defineQuery<TrialStateView>('trialState');

/** Ids of the events the trial records, derived from its workflow id so a retried activity stores each once. */
export function trialEventId(trialId: string, type: 'trial.started' | 'trial.ending_soon' | 'trial.ended'): string {
  return `${trialId}:${type}`;
}
