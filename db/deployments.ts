/**
 * Deployments: an agent on a channel, with its account, settings (secrets sealed by a SecretBox, never
 * returned), hours and what customers get outside them. Deleting one undeploys it (the row stays for the
 * conversations that came through it).
 */
import type { DeployableChannel, WhenUnavailable } from '../domain/deployment.js';
import type { WorkingHours } from '../domain/hours.js';
import { newId } from './ids.js';
import type { SecretBox } from './secret-box.js';
import type { Queryable } from './types.js';
import { preparedStatement } from './prepared.js';

export interface Deployment {
  id: string;
  workspaceId: string;
  agentId: string;
  channel: DeployableChannel;
  account?: string;
  /** The public settings; secret ones are listed in `secretsSet`, never given back. */
  settings: Record<string, unknown>;
  secretsSet: string[];
  hours: WorkingHours;
  whenUnavailable: WhenUnavailable;
  createdAt: string;
  updatedAt: string;
}

type Row = {
  id: string; workspace_id: string; agent_id: string; channel: DeployableChannel; account: string | null;
  settings: Record<string, unknown>; secrets: string | null; hours: WorkingHours; when_unavailable: WhenUnavailable;
  created_at: Date; updated_at: Date;
};

const COLUMNS = 'id, workspace_id, agent_id, channel, account, settings, secrets, hours, when_unavailable, created_at, updated_at';

function toDeployment(r: Row, box?: SecretBox): Deployment {
  const secrets = r.secrets && box ? Object.keys(box.open(r.secrets)) : [];
  return {
    id: r.id, workspaceId: r.workspace_id, agentId: r.agent_id, channel: r.channel,
    ...(r.account ? { account: r.account } : {}),
    settings: r.settings, secretsSet: secrets.sort(), hours: r.hours, whenUnavailable: r.when_unavailable,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export interface DeploymentInput {
  channel: DeployableChannel;
  account?: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  hours: WorkingHours;
  whenUnavailable: WhenUnavailable;
}

/** Thrown when another live deployment already has this channel's account. */
export class AccountTakenError extends Error {}

export async function createDeployment(db: Queryable, box: SecretBox, workspaceId: string, agentId: string, d: DeploymentInput): Promise<Deployment> {
  try {
    const { rows } = await db.query<Row>(
      `INSERT INTO deployments (id, workspace_id, agent_id, channel, account, settings, secrets, hours, when_unavailable)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [newId('dep'), workspaceId, agentId, d.channel, d.account ?? null, JSON.stringify(d.settings),
        Object.keys(d.secrets).length > 0 ? box.seal(d.secrets) : null, JSON.stringify(d.hours), JSON.stringify(d.whenUnavailable)],
    );
    return toDeployment(rows[0]!, box);
  } catch (err) {
    throw accountTaken(err, d) ?? err;
  }
}

function accountTaken(err: unknown, d: { channel: string; account?: string }): AccountTakenError | undefined {
  if ((err as { code?: string }).code !== '23505') return undefined;
  return new AccountTakenError(`another agent is already deployed on ${d.channel} as ${d.account}: undeploy it there first`);
}

/** A new agent answers on chat at all hours, as it did before deployments existed. */
export async function deployToChat(db: Queryable, workspaceId: string, agentId: string): Promise<void> {
  await db.query(
    `INSERT INTO deployments (id, workspace_id, agent_id, channel, hours, when_unavailable)
     SELECT $1, $2, $3, 'chat', '{"mode":"all","timeZone":"UTC","weekly":{}}'::jsonb, '{"action":"message"}'::jsonb
      WHERE NOT EXISTS (SELECT 1 FROM deployments WHERE agent_id = $3 AND channel = 'chat' AND deleted_at IS NULL)`,
    [newId('dep'), workspaceId, agentId],
  );
}

export async function listDeployments(db: Queryable, box: SecretBox, agentId: string): Promise<Deployment[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM deployments WHERE agent_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, [agentId]);
  return rows.map((r) => toDeployment(r, box));
}

export async function getDeployment(db: Queryable, box: SecretBox, agentId: string, id: string): Promise<Deployment | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM deployments WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL`, [agentId, id]);
  return rows[0] && toDeployment(rows[0], box);
}

export interface DeploymentChanges {
  account?: string | null;
  settings?: Record<string, unknown>;
  /** Merged into the stored secrets (a key set to '' removes it). */
  secrets?: Record<string, string>;
  hours?: WorkingHours;
  whenUnavailable?: WhenUnavailable;
}

export async function updateDeployment(db: Queryable, box: SecretBox, agentId: string, id: string, c: DeploymentChanges): Promise<Deployment | undefined> {
  const { rows: current } = await db.query<Row>(`SELECT ${COLUMNS} FROM deployments WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL`, [agentId, id]);
  const row = current[0];
  if (!row) return undefined;
  let secrets = row.secrets;
  if (c.secrets) {
    const merged = { ...(row.secrets ? box.open(row.secrets) : {}), ...c.secrets };
    for (const [k, v] of Object.entries(merged)) if (v === '') delete merged[k];
    secrets = Object.keys(merged).length > 0 ? box.seal(merged) : null;
  }
  try {
    const { rows } = await db.query<Row>(
      `UPDATE deployments SET account = $3, settings = $4, secrets = $5, hours = $6, when_unavailable = $7, updated_at = now()
        WHERE agent_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [agentId, id, c.account === undefined ? row.account : c.account, JSON.stringify(c.settings ?? row.settings), secrets,
        JSON.stringify(c.hours ?? row.hours), JSON.stringify(c.whenUnavailable ?? row.when_unavailable)],
    );
    return toDeployment(rows[0]!, box);
  } catch (err) {
    throw accountTaken(err, { channel: row.channel, account: c.account ?? row.account ?? undefined }) ?? err;
  }
}

/** Undeploys: the agent stops answering there; conversations keep the row they came through. */
export async function deleteDeployment(db: Queryable, agentId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE deployments SET deleted_at = now() WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL`, [agentId, id]);
  return (rowCount ?? 0) > 0;
}

/** Read on every message (db/prepared.ts says why prepared). */
const DEPLOYMENT_BY_ID = preparedStatement('deployment_by_id',
  `SELECT ${COLUMNS} FROM deployments WHERE agent_id = $1 AND id = $2 AND channel = $3 AND deleted_at IS NULL`);
const FIRST_DEPLOYMENT = preparedStatement('first_deployment',
  `SELECT ${COLUMNS} FROM deployments WHERE agent_id = $1 AND channel = $2 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1`);

/** The live deployment a message on `channel` comes through: the given one, or the agent's only one there. */
export async function deploymentFor(db: Queryable, box: SecretBox | undefined, c: { agentId: string; channel: string; deploymentId?: string }): Promise<Deployment | undefined> {
  const { rows } = c.deploymentId
    ? await db.query<Row>(DEPLOYMENT_BY_ID, [c.agentId, c.deploymentId, c.channel])
    : await db.query<Row>(FIRST_DEPLOYMENT, [c.agentId, c.channel]);
  return rows[0] && toDeployment(rows[0], box);
}

/** Where inbound messages to an account go: the live deployment on that channel with that account. */
export async function deploymentByAccount(db: Queryable, box: SecretBox, channel: DeployableChannel, account: string): Promise<Deployment | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM deployments WHERE channel = $1 AND lower(account) = lower($2) AND deleted_at IS NULL`, [channel, account],
  );
  return rows[0] && toDeployment(rows[0], box);
}

/**
 * Every live deployment on a channel with its settings and secrets opened: the webhook handshake of a
 * channel whose one URL serves all its deployments (WhatsApp, Messenger) looks for its verify token here.
 */
export async function liveChannelSettings(db: Queryable, box: SecretBox, channel: DeployableChannel): Promise<{ id: string; settings: Record<string, unknown> }[]> {
  const { rows } = await db.query<{ id: string; settings: Record<string, unknown>; secrets: string | null }>(
    'SELECT id, settings, secrets FROM deployments WHERE channel = $1 AND deleted_at IS NULL ORDER BY created_at, id', [channel],
  );
  return rows.map((r) => ({ id: r.id, settings: { ...r.settings, ...(r.secrets ? box.open(r.secrets) : {}) } }));
}

/** A live deployment of the workspace by id (inbound routes that name their deployment). */
export async function liveDeployment(db: Queryable, workspaceId: string, id: string): Promise<Deployment | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM deployments WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`, [workspaceId, id]);
  return rows[0] && toDeployment(rows[0]);
}

/** The channel a conversation runs on, if it exists. */
export async function conversationChannel(db: Queryable, c: { agentId: string; conversationId: string }): Promise<string | undefined> {
  const { rows } = await db.query<{ channel: string }>('SELECT channel FROM conversations WHERE agent_id = $1 AND id = $2', [c.agentId, c.conversationId]);
  return rows[0]?.channel;
}

/**
 * The deployment a reply goes out through, settings with secrets opened, in one read: the one its
 * conversation came through (live or not), else the agent's live one on the channel.
 */
export async function deploymentToSend(
  db: Queryable, box: SecretBox | undefined, c: { deploymentId?: string; agentId: string; channel: string },
): Promise<(Omit<Deployment, 'secretsSet'>) | undefined> {
  const { rows } = c.deploymentId
    ? await db.query<Row>(`SELECT ${COLUMNS} FROM deployments WHERE id = $1`, [c.deploymentId])
    : await db.query<Row>(`SELECT ${COLUMNS} FROM deployments WHERE agent_id = $1 AND channel = $2 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1`, [c.agentId, c.channel]);
  const r = rows[0];
  if (!r) return undefined;
  const { secretsSet: _set, ...d } = toDeployment(r);
  return { ...d, settings: openSettings(r, box) };
}

/** The deployment's settings with its secrets opened: only for a channel about to verify or send. */
export async function deploymentSettings(db: Queryable, box: SecretBox | undefined, id: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await db.query<{ settings: Record<string, unknown>; secrets: string | null }>('SELECT settings, secrets FROM deployments WHERE id = $1', [id]);
  return rows[0] && openSettings(rows[0], box);
}

function openSettings(r: { settings: Record<string, unknown>; secrets: string | null }, box: SecretBox | undefined): Record<string, unknown> {
  if (r.secrets && !box) throw new Error('this deployment has secrets, and this process runs without SECRETS_KEY: set the same SECRETS_KEY as the API');
  return { ...r.settings, ...(r.secrets && box ? box.open(r.secrets) : {}) };
}

/** Maps an external thread id (an email's Message-ID) to its conversation; the first mapping stays. */
export async function rememberThread(db: Queryable, t: { deploymentId: string; externalId: string; agentId: string; conversationId: string }): Promise<void> {
  await db.query(
    `INSERT INTO channel_threads (deployment_id, external_id, agent_id, conversation_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [t.deploymentId, t.externalId, t.agentId, t.conversationId],
  );
}

/** The conversation any of these external ids belongs to (the first one known, in the order given). */
export async function findThread(db: Queryable, deploymentId: string, externalIds: string[]): Promise<string | undefined> {
  if (externalIds.length === 0) return undefined;
  const { rows } = await db.query<{ external_id: string; conversation_id: string }>(
    'SELECT external_id, conversation_id FROM channel_threads WHERE deployment_id = $1 AND external_id = ANY($2)', [deploymentId, externalIds],
  );
  for (const id of externalIds) {
    const hit = rows.find((r) => r.external_id === id);
    if (hit) return hit.conversation_id;
  }
  return undefined;
}

/**
 * The support address the workspace sends email from: its oldest live email deployment of an agent that
 * is not archived (the address its customers already know). None: the workspace has no email set up.
 */
export async function workspaceEmailAccount(db: Queryable, workspaceId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ account: string }>(
    `SELECT d.account FROM deployments d JOIN agents a ON a.id = d.agent_id
      WHERE d.workspace_id = $1 AND d.channel = 'email' AND d.deleted_at IS NULL AND d.account IS NOT NULL AND a.status <> 'archived'
      ORDER BY d.created_at, d.id LIMIT 1`,
    [workspaceId],
  );
  return rows[0]?.account;
}
