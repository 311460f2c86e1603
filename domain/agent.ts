/** An agent and its settings: what the API accepts, the database stores and the workflow reads. */
import { z } from 'zod';
import { Channel } from './channel.js';
import { CrmSettings, DEFAULT_CRM } from './contact.js';
import { HandoffSettings } from './handoff.js';
import { LeadQualificationSettings } from './lead.js';

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
  /** Set through `crm` on the agent: the contact properties it may read and write; none when absent. */
  crm: CrmSettings.optional(),
  /** Set through `leadQualification` on the agent: the questions it qualifies leads with; off when absent. */
  leadQualification: LeadQualificationSettings.optional(),
}).strict();
export type AgentSettings = z.infer<typeof AgentSettings>;

/**
 * The contact properties the agent may read and write. A lead criterion's property is granted both ways
 * while qualification is enabled: the agent must see which answers it has and keep the new ones.
 */
export function crmAccess(settings: AgentSettings): { read: string[]; write: string[] } {
  const crm = settings.crm ?? DEFAULT_CRM;
  const lead = settings.leadQualification?.enabled ? settings.leadQualification.criteria.map((c) => c.property) : [];
  return { read: [...new Set([...crm.readable, ...lead])], write: [...new Set([...crm.writable, ...lead])] };
}

export const LanguageCode = z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as en or da');
