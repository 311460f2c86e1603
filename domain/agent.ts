/** An agent and its settings: what the API accepts, the database stores and the workflow reads. */
import { z } from 'zod';
import { Channel } from './channel.js';
import { HandoffSettings } from './handoff.js';

/** `archived` replaces deletion: the agent, its knowledge and transcripts stay, it never answers again. */
export const AGENT_STATUSES = ['active', 'paused', 'archived'] as const;
export const AgentStatus = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatus>;

/** Why an agent is off when the workspace, not a person, switched it off. */
export const AgentOffReason = z.enum(['trial_ended']);
export type AgentOffReason = z.infer<typeof AgentOffReason>;

const Seconds = z.number().int().min(1).max(90 * 24 * 3600);

/** Per-agent behaviour stored as JSON, validated on write and on read. */
export const AgentSettings = z.object({
  idleTimeoutSeconds: z.partialRecord(Channel, Seconds).optional(),
  /** What the chat widget says before the first message; a built-in greeting with the agent's name when absent. */
  greeting: z.string().trim().min(1).max(500).optional(),
  /** Set through `handoff` on the agent (PATCH /v1/agents/:agentId {handoff}); defaults apply when absent. */
  handoff: HandoffSettings.optional(),
}).strict();
export type AgentSettings = z.infer<typeof AgentSettings>;

export const LanguageCode = z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as en or da');
