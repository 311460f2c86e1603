/**
 * Where an agent is deployed: a channel (and the account on it: a support address, a phone number id, a
 * page id), the channel's settings, the hours the agent answers there, and what customers get outside
 * them. Secrets in settings are stored encrypted and never returned (db/deployments.ts).
 */
import { z } from 'zod';
import { Channel } from './channel.js';
import { PerLanguage } from './handoff.js';
import { ALL_HOURS, WorkingHours } from './hours.js';

/** Channels that are deployed; `test` always works and is never deployed. */
export const DeployableChannel = Channel.exclude(['test', 'voice']);
export type DeployableChannel = z.infer<typeof DeployableChannel>;

export const WhenUnavailable = z.discriminatedUnion('action', [
  /** The away text (one for every language, or per language); the agent answers when its hours start. */
  z.object({ action: z.literal('message'), message: z.union([z.string().trim().min(1).max(2000), PerLanguage]).optional() }).strict(),
  /** Straight to the team (the agent's handoff settings say to whom). */
  z.object({ action: z.literal('handoff') }).strict(),
]);
export type WhenUnavailable = z.infer<typeof WhenUnavailable>;

export const DEFAULT_WHEN_UNAVAILABLE: WhenUnavailable = { action: 'message' };

/** What the workflow needs to know about the deployment a message came through. */
export const Availability = z.object({
  /** False: the agent is not deployed on this channel (the message is kept, nobody answers). */
  deployed: z.boolean(),
  deploymentId: z.string().optional(),
  hours: WorkingHours.default(ALL_HOURS),
  whenUnavailable: WhenUnavailable.default(DEFAULT_WHEN_UNAVAILABLE),
});
export type Availability = z.infer<typeof Availability>;

export { answersAt } from './availability.js';
