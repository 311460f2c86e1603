/** Agents: the tenant every other row belongs to. */
import { z } from 'zod';
import type { Channel } from '../workflows/conversation.contract.js';
import { newId } from './ids.js';
import type { Queryable } from './types.js';

// The contract's channels, listed here so db/ does not load the Temporal workflow runtime; the two
// type checks below fail compilation if this list and the contract's Channel ever differ.
const CHANNELS = ['chat', 'test', 'email', 'whatsapp', 'messenger', 'voice', 'custom'] as const satisfies readonly Channel[];
type MissingChannel = Exclude<Channel, (typeof CHANNELS)[number]>;
const _allChannelsListed: [MissingChannel] extends [never] ? true : MissingChannel = true;

/** Per-agent behaviour stored as JSON, validated on write and on read. */
export const AgentSettings = z.object({
  idleTimeoutSeconds: z.partialRecord(z.enum(CHANNELS), z.number().int().positive()).optional(),
});
export type AgentSettings = z.infer<typeof AgentSettings>;

export interface Agent {
  id: string;
  name: string;
  personality?: string;
  /** Two-letter code; languages without Snowball support fall back to 'simple' text search. */
  defaultLanguage: string;
  settings: AgentSettings;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateAgentInput {
  /** Chosen ids (e.g. the demo agent's `demo`); otherwise `agt_…`. */
  id?: string;
  name: string;
  personality?: string;
  defaultLanguage?: string;
  settings?: AgentSettings;
}

interface AgentRow extends Record<string, unknown> {
  id: string;
  name: string;
  personality: string | null;
  default_language: string;
  settings: unknown;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, personality, default_language, settings, created_at, updated_at';

export async function createAgent(db: Queryable, input: CreateAgentInput): Promise<Agent> {
  const { rows } = await db.query<AgentRow>(
    `INSERT INTO agents (id, name, personality, default_language, settings)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    agentParams(input),
  );
  return toAgent(rows[0]!);
}

/** Creates the agent unless one with this id exists; returns the stored agent either way. */
export async function ensureAgent(db: Queryable, input: CreateAgentInput & { id: string }): Promise<Agent> {
  await db.query(
    `INSERT INTO agents (id, name, personality, default_language, settings)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
    agentParams(input),
  );
  const agent = await getAgent(db, input.id);
  if (!agent) throw new Error(`agent ${input.id} vanished while being created`);
  return agent;
}

export async function getAgent(db: Queryable, id: string): Promise<Agent | undefined> {
  const { rows } = await db.query<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE id = $1`, [id]);
  return rows[0] && toAgent(rows[0]);
}

function agentParams(input: CreateAgentInput): unknown[] {
  return [
    input.id ?? newId('agt'),
    input.name,
    input.personality ?? null,
    input.defaultLanguage ?? 'en',
    JSON.stringify(AgentSettings.parse(input.settings ?? {})),
  ];
}

function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    name: r.name,
    ...(r.personality ? { personality: r.personality } : {}),
    defaultLanguage: r.default_language,
    settings: AgentSettings.parse(r.settings ?? {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
