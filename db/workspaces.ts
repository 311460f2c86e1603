/** Workspaces: the tenant that owns agents, keys, the audit log, usage and the trial. */
import { newId } from './ids.js';
import type { Queryable } from './types.js';

export type TrialStatus = 'none' | 'pending' | 'active' | 'ended';

export interface Workspace {
  id: string;
  name: string;
  creditsEnabled: boolean;
  trial: {
    status: TrialStatus;
    startedAt?: Date;
    endsAt?: Date;
    reminderAt?: Date;
    remindedAt?: Date;
  };
  createdAt: Date;
}

interface WorkspaceRow extends Record<string, unknown> {
  id: string;
  name: string;
  credits_enabled: boolean;
  trial_status: TrialStatus;
  trial_started_at: Date | null;
  trial_ends_at: Date | null;
  trial_reminder_at: Date | null;
  trial_reminded_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, name, credits_enabled, trial_status, trial_started_at, trial_ends_at, trial_reminder_at, trial_reminded_at, created_at';

export async function createWorkspace(db: Queryable, input: { name: string; id?: string }): Promise<Workspace> {
  const { rows } = await db.query<WorkspaceRow>(
    `INSERT INTO workspaces (id, name) VALUES ($1, $2) RETURNING ${COLUMNS}`,
    [input.id ?? newId('ws'), input.name],
  );
  return toWorkspace(rows[0]!);
}

export async function getWorkspace(db: Queryable, id: string): Promise<Workspace | undefined> {
  const { rows } = await db.query<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces WHERE id = $1`, [id]);
  return rows[0] && toWorkspace(rows[0]);
}

export async function listWorkspaces(db: Queryable): Promise<Workspace[]> {
  const { rows } = await db.query<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces ORDER BY created_at, id`);
  return rows.map(toWorkspace);
}

/** The secret that signs this workspace's conversation tokens. */
export async function tokenSecret(db: Queryable, workspaceId: string): Promise<string> {
  const { rows } = await db.query<{ token_secret: string }>('SELECT token_secret FROM workspaces WHERE id = $1', [workspaceId]);
  if (!rows[0]) throw new Error(`workspace ${workspaceId} does not exist`);
  return rows[0].token_secret;
}

export async function setCreditsEnabled(db: Queryable, workspaceId: string, enabled: boolean): Promise<Workspace | undefined> {
  const { rows } = await db.query<WorkspaceRow>(
    `UPDATE workspaces SET credits_enabled = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [workspaceId, enabled],
  );
  return rows[0] && toWorkspace(rows[0]);
}

/** Sets the trial's state; only the fields given change. */
export async function setTrial(
  db: Queryable,
  workspaceId: string,
  t: { status: TrialStatus; startedAt?: Date; endsAt?: Date; reminderAt?: Date; remindedAt?: Date },
): Promise<void> {
  await db.query(
    `UPDATE workspaces SET trial_status = $2,
        trial_started_at = COALESCE($3, trial_started_at), trial_ends_at = COALESCE($4, trial_ends_at),
        trial_reminder_at = COALESCE($5, trial_reminder_at), trial_reminded_at = COALESCE($6, trial_reminded_at),
        updated_at = now()
      WHERE id = $1`,
    [workspaceId, t.status, t.startedAt ?? null, t.endsAt ?? null, t.reminderAt ?? null, t.remindedAt ?? null],
  );
}

/** Moves the trial from 'none' to 'pending' once; false when the workspace already opted in. */
export async function optInToTrial(db: Queryable, workspaceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE workspaces SET trial_status = 'pending', updated_at = now() WHERE id = $1 AND trial_status = 'none'`,
    [workspaceId],
  );
  return (rowCount ?? 0) > 0;
}

function toWorkspace(r: WorkspaceRow): Workspace {
  return {
    id: r.id,
    name: r.name,
    creditsEnabled: r.credits_enabled,
    trial: {
      status: r.trial_status,
      ...(r.trial_started_at ? { startedAt: new Date(r.trial_started_at) } : {}),
      ...(r.trial_ends_at ? { endsAt: new Date(r.trial_ends_at) } : {}),
      ...(r.trial_reminder_at ? { reminderAt: new Date(r.trial_reminder_at) } : {}),
      ...(r.trial_reminded_at ? { remindedAt: new Date(r.trial_reminded_at) } : {}),
    },
    createdAt: new Date(r.created_at),
  };
}
