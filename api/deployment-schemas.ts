/** Request and response schemas of the deployments routes (channel settings are checked per channel: channels/settings.ts). */
import { z } from '@hono/zod-openapi';
import { DeployableChannel, WhenUnavailable as Unavailable } from '../domain/deployment.js';
import { WorkingHours as Hours } from '../domain/hours.js';

const WorkingHours = Hours.meta({ id: 'WorkingHours' });
const WhenUnavailable = Unavailable.meta({ id: 'WhenUnavailable' });

export const DeploymentParams = z.object({ agentId: z.string().min(1).max(128), deploymentId: z.string().min(1).max(128) });

const Settings = z.record(z.string(), z.unknown());

export const CreateDeployment = z.object({
  channel: DeployableChannel,
  /** email: the support address; whatsapp: the phone number id; messenger: the page id. */
  account: z.string().trim().min(1).max(320).optional(),
  /**
   * Per channel. email: {signature?, replyAll?, ignore?}; whatsapp and messenger: {verifyToken, appSecret,
   * accessToken}; custom: {url, secret?}. Secrets are stored encrypted and never returned.
   */
  settings: Settings.optional(),
  /** Absent: all hours. */
  hours: WorkingHours.optional(),
  /** Outside the hours: the away message (default) or a handoff to the team. */
  whenUnavailable: WhenUnavailable.optional(),
}).strict();
export type CreateDeployment = z.infer<typeof CreateDeployment>;

/** Partial update; `settings` are merged into the stored ones (a secret set to '' is removed). */
export const UpdateDeployment = z.object({
  account: z.string().trim().min(1).max(320).optional(),
  settings: Settings.optional(),
  hours: WorkingHours.optional(),
  whenUnavailable: WhenUnavailable.optional(),
}).strict().refine((u) => Object.keys(u).length > 0, { message: 'give at least one of account, settings, hours or whenUnavailable' });

export const Deployment = z.object({
  id: z.string(),
  agentId: z.string(),
  channel: DeployableChannel,
  account: z.string().optional(),
  /** The settings that are not secret. */
  settings: Settings,
  /** Which secret settings are stored (their values are never returned). */
  secretsSet: z.array(z.string()),
  hours: WorkingHours,
  whenUnavailable: WhenUnavailable,
  /** Where the channel's webhooks go (whatsapp, messenger) or where its messages are sent (custom, email). */
  endpoints: z.record(z.string(), z.string()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Deployment');
export const DeploymentList = z.object({ deployments: z.array(Deployment) });

/** The answer to a create: the deployment, and a secret the install made for it (custom: the signing secret), shown once. */
export const CreatedDeployment = Deployment.extend({ secret: z.string().optional() });
