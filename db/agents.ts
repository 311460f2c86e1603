/** Agents: every other row of a tenant hangs off one, and each belongs to one workspace. */
import { AgentSettings, type AgentOffReason, type AgentStatus } from '../domain/agent.js';
import { DEFAULT_WORKSPACE_ID } from '../domain/access.js';
import { deployToChat } from './deployments.js';
import { newId } from './ids.js';
import type { Queryable } from './types.js';
import { preparedStatement } from './prepared.js';

export { AgentSettings };

export interface Agent {
  id: string;
  workspaceId: string;
  name: string;
  personality?: string;
  /** Two-letter code; languages without Snowball support fall back to 'simple' text search. */
  defaultLanguage: string;
  settings: AgentSettings;
  status: AgentStatus;
  offReason?: AgentOffReason;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateAgentInput {
  /** Chosen ids (e.g. the demo agent's `demo`); otherwise `agt_…`. */
  id?: string;
  workspaceId?: string;
  name: string;
  personality?: string;
  defaultLanguage?: string;
  settings?: AgentSettings;
  /** Made switched off, e.g. in a workspace whose trial ended without credits. */
  offReason?: AgentOffReason;
}

export interface AgentChanges {
  name?: string;
  personality?: string | null;
  defaultLanguage?: string;
  settings?: AgentSettings;
  status?: AgentStatus;
}

interface AgentRow extends Record<string, unknown> {
  id: string;
  workspace_id: string;
  name: string;
  personality: string | null;
  default_language: string;
  settings: unknown;
  status: AgentStatus;
  off_reason: AgentOffReason | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, workspace_id, name, personality, default_language, settings, status, off_reason, created_at, updated_at';

export async function createAgent(db: Queryable, input: CreateAgentInput): Promise<Agent> {
  const { rows } = await db.query<AgentRow>(
    `INSERT INTO agents (id, name, personality, default_language, settings, workspace_id, status, off_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [...agentParams(input), input.offReason ? 'paused' : 'active', input.offReason ?? null],
  );
  const agent = toAgent(rows[0]!);
  // A new agent answers on chat at all hours until its deployments say otherwise.
  await deployToChat(db, agent.workspaceId, agent.id);
  return agent;
}

/** Creates the agent unless one with this id exists; returns the stored agent either way. */
export async function ensureAgent(db: Queryable, input: CreateAgentInput & { id: string }): Promise<Agent> {
  const { rowCount } = await db.query(
    `INSERT INTO agents (id, name, personality, default_language, settings, workspace_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    agentParams(input),
  );
  const agent = await getAgent(db, input.id);
  if (!agent) throw new Error(`agent ${input.id} vanished while being created`);
  if (rowCount) await deployToChat(db, agent.workspaceId, agent.id);
  return agent;
}

/** Read on every message (db/prepared.ts says why prepared). */
const AGENT_BY_ID = preparedStatement('agent_by_id', `SELECT ${COLUMNS} FROM agents WHERE id = $1`);

/** Any workspace's agent: for the worker, which acts on ids the API already scoped. */
export async function getAgent(db: Queryable, id: string): Promise<Agent | undefined> {
  const { rows } = await db.query<AgentRow>(AGENT_BY_ID, [id]);
  return rows[0] && toAgent(rows[0]);
}

/** The agent only if it belongs to the workspace: another tenant's agent does not exist for this caller. */
export async function getWorkspaceAgent(db: Queryable, workspaceId: string, id: string): Promise<Agent | undefined> {
  const { rows } = await db.query<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE id = $1 AND workspace_id = $2`, [id, workspaceId]);
  return rows[0] && toAgent(rows[0]);
}

export interface ListAgentsOptions {
  status?: AgentStatus;
  limit: number;
  /** The id of the last agent of the previous page. */
  after?: string;
}

/** Oldest first, keyset-paginated on (created_at, id): stable while agents are added. */
export async function listAgents(db: Queryable, workspaceId: string, o: ListAgentsOptions): Promise<Agent[]> {
  const where = ['workspace_id = $1'];
  const params: unknown[] = [workspaceId];
  if (o.status) {
    params.push(o.status);
    where.push(`status = $${params.length}`);
  } else {
    // Archived agents are listed only when asked for by status.
    where.push(`status <> 'archived'`);
  }
  if (o.after) {
    // Keyset on the stored timestamp itself: a cursor holding it in milliseconds would repeat rows on a
    // server that keeps microseconds.
    params.push(o.after);
    // The cursor's agent is looked up in this workspace only: another's would tell where its agent stands.
    where.push(`(created_at, id) > (SELECT created_at, id FROM agents WHERE id = $${params.length} AND workspace_id = $1)`);
  }
  params.push(o.limit);
  const { rows } = await db.query<AgentRow>(
    `SELECT ${COLUMNS} FROM agents WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $${params.length}`,
    params,
  );
  return rows.map(toAgent);
}

/** Partial update; a person changing the status clears the workspace's reason for switching it off. */
export async function updateAgent(db: Queryable, workspaceId: string, id: string, changes: AgentChanges): Promise<Agent | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [id, workspaceId];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (changes.name !== undefined) set('name', changes.name);
  if (changes.personality !== undefined) set('personality', changes.personality);
  if (changes.defaultLanguage !== undefined) set('default_language', changes.defaultLanguage);
  if (changes.settings !== undefined) set('settings', JSON.stringify(AgentSettings.parse(changes.settings)));
  if (changes.status !== undefined) {
    set('status', changes.status);
    sets.push('off_reason = NULL');
  }
  if (sets.length === 0) return getWorkspaceAgent(db, workspaceId, id);
  const { rows } = await db.query<AgentRow>(
    `UPDATE agents SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND workspace_id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0] && toAgent(rows[0]);
}

/** The ids among `ids` that are not agents of the workspace (archived ones count as agents). */
export async function unknownAgents(db: Queryable, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string }>('SELECT id FROM agents WHERE workspace_id = $1 AND id = ANY($2)', [workspaceId, ids]);
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/** Switches off every active agent of the workspace for `reason`; returns their ids. */
export async function switchOffAgents(db: Queryable, workspaceId: string, reason: AgentOffReason): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE agents SET status = 'paused', off_reason = $2, updated_at = now()
      WHERE workspace_id = $1 AND status = 'active' RETURNING id`,
    [workspaceId, reason],
  );
  return rows.map((r) => r.id);
}

/** Turns back on exactly the agents the workspace switched off for `reason`; returns their ids. */
export async function switchOnAgents(db: Queryable, workspaceId: string, reason: AgentOffReason): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE agents SET status = 'active', off_reason = NULL, updated_at = now()
      WHERE workspace_id = $1 AND status = 'paused' AND off_reason = $2 RETURNING id`,
    [workspaceId, reason],
  );
  return rows.map((r) => r.id);
}

/**
 * Whether the workspace has an agent deployed: active, with at least one live deployment (a deleted one
 * is undeployed; deployments have no other on/off). What starts the trial.
 */
export async function hasDeployedAgent(db: Queryable, workspaceId: string): Promise<boolean> {
  const { rows } = await db.query<{ deployed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM agents a JOIN deployments d ON d.agent_id = a.id
                     WHERE a.workspace_id = $1 AND a.status = 'active' AND d.deleted_at IS NULL) AS deployed`,
    [workspaceId],
  );
  return rows[0]?.deployed === true;
}

function agentParams(input: CreateAgentInput): unknown[] {
  return [
    input.id ?? newId('agt'),
    input.name,
    input.personality ?? null,
    input.defaultLanguage ?? 'en',
    JSON.stringify(AgentSettings.parse(input.settings ?? {})),
    input.workspaceId ?? DEFAULT_WORKSPACE_ID,
  ];
}

function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    ...(r.personality ? { personality: r.personality } : {}),
    defaultLanguage: r.default_language,
    settings: AgentSettings.parse(r.settings ?? {}),
    status: r.status,
    ...(r.off_reason ? { offReason: r.off_reason } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
