/**
 * The zod schemas of the workspace trial's boundary, parsed by the API and activities. The workflow and its
 * contract import their types only: the workflow bundle must not evaluate zod (workflows/conversation-checks.ts
 * has the measurements); the workflow checks its input and signals by hand.
 */
import { z } from 'zod';
import { Channel } from '../domain/channel.js';

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
