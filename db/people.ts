/** People and teams of a workspace: who can take a conversation over from the agent. */
import { WorkingHours } from '../domain/hours.js';
import { newId } from './ids.js';
import type { Queryable } from './types.js';

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

export async function deleteTeam(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM teams WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return (rowCount ?? 0) > 0;
}

/** The ids among `ids` that are not teams of the workspace. */
export async function unknownTeams(db: Queryable, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string }>('SELECT id FROM teams WHERE workspace_id = $1 AND id = ANY($2)', [workspaceId, ids]);
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

export interface UserInput {
  name: string;
  email: string;
  teamIds?: string[];
  workingHours?: WorkingHours | null;
}

export async function createUser(db: Queryable, workspaceId: string, input: UserInput): Promise<User> {
  const id = newId('usr');
  await db.query(
    'INSERT INTO users (id, workspace_id, name, email, working_hours) VALUES ($1, $2, $3, $4, $5)',
    [id, workspaceId, input.name, input.email.toLowerCase(), input.workingHours ? JSON.stringify(input.workingHours) : null],
  );
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
  const { rowCount } = await db.query(
    `UPDATE users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE workspace_id = $1 AND id = $2`, params,
  );
  if (!rowCount) return undefined;
  if (changes.teamIds !== undefined) await setMemberships(db, id, changes.teamIds);
  return getUser(db, workspaceId, id);
}

export async function deleteUser(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM users WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return (rowCount ?? 0) > 0;
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
