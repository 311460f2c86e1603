/** People and teams of a workspace: who can take a conversation over from the agent. */
import { WorkingHours } from '../domain/hours.js';
import { revokeUserKeys } from './api-keys.js';
import { newId } from './ids.js';
import type { Db, Queryable } from './types.js';

export interface Team {
  id: string;
  workspaceId: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface User {
  id: string;
  workspaceId: string;
  name: string;
  email: string;
  teamIds: string[];
  workingHours?: WorkingHours;
  lastAssignedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

interface TeamRow extends Record<string, unknown> {
  id: string; workspace_id: string; name: string; created_at: Date; updated_at: Date;
}
interface UserRow extends Record<string, unknown> {
  id: string; workspace_id: string; name: string; email: string; working_hours: unknown; last_assigned_at: Date | null;
  created_at: Date; updated_at: Date; team_ids: string[] | null;
}

const USER_COLUMNS = `u.id, u.workspace_id, u.name, u.email, u.working_hours, u.last_assigned_at, u.created_at, u.updated_at,
  ARRAY(SELECT m.team_id FROM team_members m WHERE m.user_id = u.id ORDER BY m.team_id) AS team_ids`;

export async function createTeam(db: Queryable, workspaceId: string, name: string): Promise<Team> {
  const { rows } = await db.query<TeamRow>(
    'INSERT INTO teams (id, workspace_id, name) VALUES ($1, $2, $3) RETURNING id, workspace_id, name, created_at, updated_at',
    [newId('team'), workspaceId, name],
  );
  return toTeam(rows[0]!);
}

export async function listTeams(db: Queryable, workspaceId: string): Promise<Team[]> {
  const { rows } = await db.query<TeamRow>(
    'SELECT id, workspace_id, name, created_at, updated_at FROM teams WHERE workspace_id = $1 ORDER BY created_at, id', [workspaceId],
  );
  return rows.map(toTeam);
}

export async function getTeam(db: Queryable, workspaceId: string, id: string): Promise<Team | undefined> {
  const { rows } = await db.query<TeamRow>(
    'SELECT id, workspace_id, name, created_at, updated_at FROM teams WHERE workspace_id = $1 AND id = $2', [workspaceId, id],
  );
  return rows[0] && toTeam(rows[0]);
}

export async function renameTeam(db: Queryable, workspaceId: string, id: string, name: string): Promise<Team | undefined> {
  const { rows } = await db.query<TeamRow>(
    `UPDATE teams SET name = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2
     RETURNING id, workspace_id, name, created_at, updated_at`, [workspaceId, id, name],
  );
  return rows[0] && toTeam(rows[0]);
}

/** A conversation that was in a deleted team's queue (or owned by one of its members for it), now in no team's. */
export interface UnteamedConversation {
  agentId: string;
  conversationId: string;
  workflowId?: string;
  status: string;
  assigneeId?: string;
}

/**
 * Deletes a team: its memberships go with it, and every conversation of the workspace that names it moves
 * to the unassigned queue (team_id NULL; a person who owns one keeps it, and statuses stay), in one
 * transaction. Undefined when the workspace has no such team. The workflows of the returned conversations
 * still hold the team until told (the caller's job).
 */
export async function removeTeam(db: Db, workspaceId: string, id: string): Promise<{ unteamed: UnteamedConversation[] } | undefined> {
  return db.transaction(async (tx) => {
    const { rows: found } = await tx.query('SELECT id FROM teams WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspaceId, id]);
    if (found.length === 0) return undefined;
    const { rows } = await tx.query<{ agent_id: string; id: string; workflow_id: string | null; status: string; assignee_id: string | null }>(
      `UPDATE conversations c SET team_id = NULL, updated_at = now()
         FROM agents a
        WHERE a.id = c.agent_id AND a.workspace_id = $1 AND c.team_id = $2
       RETURNING c.agent_id, c.id, c.workflow_id, c.status, c.assignee_id`,
      [workspaceId, id],
    );
    await tx.query('DELETE FROM teams WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    const unteamed = rows.map((r) => ({
      agentId: r.agent_id,
      conversationId: r.id,
      ...(r.workflow_id ? { workflowId: r.workflow_id } : {}),
      status: r.status,
      ...(r.assignee_id ? { assigneeId: r.assignee_id } : {}),
    })).sort((a, b) => a.agentId.localeCompare(b.agentId) || a.conversationId.localeCompare(b.conversationId));
    return { unteamed };
  });
}

/** The ids among `ids` that are not teams of the workspace. */
export async function unknownTeams(db: Queryable, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string }>('SELECT id FROM teams WHERE workspace_id = $1 AND id = ANY($2)', [workspaceId, ids]);
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/** The ids among `ids` that are not people of the workspace. */
export async function unknownUsers(db: Queryable, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string }>('SELECT id FROM users WHERE workspace_id = $1 AND id = ANY($2)', [workspaceId, ids]);
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

export interface UserInput {
  name: string;
  email: string;
  teamIds?: string[];
  workingHours?: WorkingHours | null;
}

/** Another person of the workspace has this email (compared in lower case). */
export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
  constructor(readonly email: string) {
    super(`a person with email ${email} already exists in this workspace`);
  }
}

/** Runs a write that may hit users (workspace_id, email) UNIQUE, turning that violation into EmailTakenError. */
async function uniqueEmail<T>(email: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new EmailTakenError(email.toLowerCase());
    throw err;
  }
}

/** Run in a transaction: the person and their memberships appear together. Throws EmailTakenError. */
export async function createUser(db: Queryable, workspaceId: string, input: UserInput): Promise<User> {
  const id = newId('usr');
  await uniqueEmail(input.email, () => db.query(
    'INSERT INTO users (id, workspace_id, name, email, working_hours) VALUES ($1, $2, $3, $4, $5)',
    [id, workspaceId, input.name, input.email.toLowerCase(), input.workingHours ? JSON.stringify(input.workingHours) : null],
  ));
  await setMemberships(db, id, input.teamIds ?? []);
  return (await getUser(db, workspaceId, id))!;
}

export async function getUser(db: Queryable, workspaceId: string, id: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.workspace_id = $1 AND u.id = $2`, [workspaceId, id]);
  return rows[0] && toUser(rows[0]);
}

export async function listUsers(db: Queryable, workspaceId: string, o: { teamId?: string } = {}): Promise<User[]> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u WHERE u.workspace_id = $1
       AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = u.id AND m.team_id = $2))
     ORDER BY u.created_at, u.id`,
    [workspaceId, o.teamId ?? null],
  );
  return rows.map(toUser);
}

/** Run in a transaction: fields and memberships change together. Throws EmailTakenError. */
export async function updateUser(db: Queryable, workspaceId: string, id: string, changes: Partial<UserInput>): Promise<User | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [workspaceId, id];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (changes.name !== undefined) set('name', changes.name);
  if (changes.email !== undefined) set('email', changes.email.toLowerCase());
  if (changes.workingHours !== undefined) set('working_hours', changes.workingHours ? JSON.stringify(changes.workingHours) : null);
  const { rowCount } = await uniqueEmail(changes.email ?? '', () => db.query(
    `UPDATE users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE workspace_id = $1 AND id = $2`, params,
  ));
  if (!rowCount) return undefined;
  if (changes.teamIds !== undefined) await setMemberships(db, id, changes.teamIds);
  return getUser(db, workspaceId, id);
}

export async function deleteUser(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM users WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return (rowCount ?? 0) > 0;
}

/** A conversation a removed person owned, now back in its team's queue (or, if it was not open, just unowned). */
export interface RequeuedConversation {
  agentId: string;
  conversationId: string;
  workflowId?: string;
  teamId?: string;
  /** The status before: 'assigned' ones are now 'handoff_requested'; others kept theirs. */
  previousStatus: string;
}

/**
 * Puts a person's conversations back in their team's queue: every conversation of the workspace they own
 * loses its assignee, and those that were `assigned` become `handoff_requested`. Returns them, so the
 * caller can tell each conversation's workflow (which holds the status it acts on) that its owner left.
 */
export async function requeueConversationsOf(db: Queryable, workspaceId: string, userId: string): Promise<RequeuedConversation[]> {
  const { rows } = await db.query<{ agent_id: string; id: string; workflow_id: string | null; team_id: string | null; previous_status: string }>(
    `WITH owned AS (
       SELECT c.agent_id, c.id, c.status FROM conversations c JOIN agents a ON a.id = c.agent_id
        WHERE a.workspace_id = $1 AND c.assignee_id = $2
        FOR UPDATE OF c
     )
     UPDATE conversations c
        SET assignee_id = NULL,
            status = CASE WHEN c.status = 'assigned' THEN 'handoff_requested' ELSE c.status END,
            updated_at = now()
       FROM owned
      WHERE c.agent_id = owned.agent_id AND c.id = owned.id
     RETURNING c.agent_id, c.id, c.workflow_id, c.team_id, owned.status AS previous_status`,
    [workspaceId, userId],
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    conversationId: r.id,
    ...(r.workflow_id ? { workflowId: r.workflow_id } : {}),
    ...(r.team_id ? { teamId: r.team_id } : {}),
    previousStatus: r.previous_status,
  })).sort((a, b) => a.agentId.localeCompare(b.agentId) || a.conversationId.localeCompare(b.conversationId));
}

/**
 * Removes a person: their conversations go back to the queue (requeueConversationsOf), their keys are
 * revoked, and the person and their memberships are deleted, in one transaction. Undefined when the
 * workspace has no such person. The workflows of the returned conversations still believe they are
 * assigned until told (the caller's job).
 */
export async function removeUser(
  db: Db, workspaceId: string, userId: string,
): Promise<{ requeued: RequeuedConversation[]; revokedKeys: string[] } | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT id FROM users WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspaceId, userId]);
    if (rows.length === 0) return undefined;
    const requeued = await requeueConversationsOf(tx, workspaceId, userId);
    const revokedKeys = await revokeUserKeys(tx, workspaceId, userId);
    await deleteUser(tx, workspaceId, userId);
    return { requeued, revokedKeys };
  });
}

async function setMemberships(db: Queryable, userId: string, teamIds: readonly string[]): Promise<void> {
  await db.query('DELETE FROM team_members WHERE user_id = $1', [userId]);
  for (const teamId of new Set(teamIds)) {
    await db.query('INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [teamId, userId]);
  }
}

/** Who could take a conversation: the given users, or the members of the given teams, with how busy each is. */
export async function assignmentCandidates(
  db: Queryable, workspaceId: string, target: { userIds?: readonly string[]; teamIds?: readonly string[] },
): Promise<Array<User & { open: number }>> {
  const { rows } = await db.query<UserRow & { open: string | number }>(
    `SELECT ${USER_COLUMNS},
            (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status = 'assigned') AS open
       FROM users u
      WHERE u.workspace_id = $1
        AND (u.id = ANY($2) OR EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = u.id AND m.team_id = ANY($3)))
      ORDER BY u.id`,
    [workspaceId, target.userIds ?? [], target.teamIds ?? []],
  );
  return rows.map((r) => ({ ...toUser(r), open: Number(r.open) }));
}

/** How many conversations each of these people owns now (status assigned); 0 for those who own none. */
export async function openConversationCounts(db: Queryable, userIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return counts;
  const { rows } = await db.query<{ assignee_id: string; open: string | number }>(
    `SELECT assignee_id, count(*) AS open FROM conversations WHERE assignee_id = ANY($1) AND status = 'assigned' GROUP BY assignee_id`,
    [userIds],
  );
  for (const r of rows) counts.set(r.assignee_id, Number(r.open));
  return counts;
}

export async function markAssigned(db: Queryable, userId: string): Promise<void> {
  await db.query('UPDATE users SET last_assigned_at = clock_timestamp() WHERE id = $1', [userId]);
}

function toTeam(r: TeamRow): Team {
  return { id: r.id, workspaceId: r.workspace_id, name: r.name, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) };
}

function toUser(r: UserRow): User {
  const hours = r.working_hours ? WorkingHours.safeParse(r.working_hours) : undefined;
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    email: r.email,
    teamIds: r.team_ids ?? [],
    ...(hours?.success ? { workingHours: hours.data } : {}),
    ...(r.last_assigned_at ? { lastAssignedAt: new Date(r.last_assigned_at) } : {}),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}
