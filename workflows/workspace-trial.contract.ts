/**
 * The workspace trial's public contract: one workflow per workspace, id `trial:<workspaceId>`, started when
 * the workspace opts in. Wire names (`workspaceTrial`, `deployed`, `trialState`) live in history forever:
 * never rename them. Imported by the workflow, the API's trial client, activities and tests.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { Channel } from '../domain/channel.js';

export const WORKSPACE_TRIAL_WORKFLOW = 'workspaceTrial';

export function trialWorkflowId(workspaceId: string): string {
  return `trial:${workspaceId}`;
}

/** The durations are settings (TRIAL_DAYS, …), fixed for a workspace when it opts in. */
export const WorkspaceTrialInput = z.object({
  workspaceId: z.string().min(1),
  durationMs: z.number().int().min(1),
  /** How long before the end `trial.ending_soon` is recorded; 0 records it at the end. */
  reminderBeforeMs: z.number().int().min(0),
}).refine((i) => i.reminderBeforeMs < i.durationMs, { message: 'the reminder must come after the trial starts', path: ['reminderBeforeMs'] });
export type WorkspaceTrialInput = z.infer<typeof WorkspaceTrialInput>;

/**
 * An active agent of the workspace has a live deployment: sent by the API when a change made it so (a
 * deployment created, an agent created or switched on), naming the agent and, for a new deployment, its
 * channel. Signals from before deployments counted carry no fields.
 */
export const Deployment = z.object({ agentId: z.string().min(1).optional(), channel: Channel.optional() });
export type Deployment = z.infer<typeof Deployment>;

export const TrialPhase = z.enum(['pending', 'active', 'ended']);
export type TrialPhase = z.infer<typeof TrialPhase>;

/** The trial as the workflow sees it (ISO times), for operators through the query. */
export interface TrialStateView {
  phase: TrialPhase;
  deployed: boolean;
  reminded: boolean;
  startedAt?: string;
  endsAt?: string;
  reminderAt?: string;
}

/** What the end did: with credits enabled no agent is switched off. */
export const TrialEnd = z.object({
  creditsEnabled: z.boolean(),
  /** The agents the end switched off (paused, off reason `trial_ended`). */
  switchedOff: z.array(z.string()),
});
export type TrialEnd = z.infer<typeof TrialEnd>;

/** The reminder email to the workspace's people; `endsAt` is the trial's end (ISO), as the event says. */
export const TrialReminderEmailInput = z.object({
  workspaceId: z.string().min(1),
  trialId: z.string().min(1),
  endsAt: z.iso.datetime(),
});
export type TrialReminderEmailInput = z.infer<typeof TrialReminderEmailInput>;

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
