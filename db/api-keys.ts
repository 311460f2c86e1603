/**
 * API keys. A key is `ca_<role>_<32 base-32 characters>` (160 random bits); only its SHA-256 and a
 * readable prefix are stored, so a database dump never yields a usable key.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { KeyRole } from '../domain/access.js';
import { newId } from './ids.js';
import type { Queryable } from './types.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  role: KeyRole;
  agentIds: string[] | null;
  allowedOrigins: string[];
  /** A user key's person. */
  userId?: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export interface CreateKeyInput {
  workspaceId: string;
  name: string;
  role: KeyRole;
  agentIds?: string[];
  allowedOrigins?: string[];
  /** Required for a user key (the caller checks the person is the workspace's), absent for the others. */
  userId?: string;
  createdBy?: string;
}

/** A live key as authentication sees it: with its person, for a user key. */
export interface KeyHolder extends ApiKey {
  user?: { id: string; name: string; email: string };
}

interface KeyRow extends Record<string, unknown> {
  id: string;
  workspace_id: string;
  name: string;
  role: KeyRole;
  agent_ids: string[] | null;
  allowed_origins: string[];
  user_id: string | null;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMN_NAMES = ['id', 'workspace_id', 'name', 'role', 'agent_ids', 'allowed_origins', 'user_id', 'prefix', 'created_at', 'last_used_at', 'revoked_at'];
const COLUMNS = COLUMN_NAMES.join(', ');

/** A new secret key for `role`; the caller shows it once. */
export function generateKey(role: KeyRole | 'root'): string {
  let out = '';
  for (const b of randomBytes(32)) out += ALPHABET[b & 31];
  return `ca_${role}_${out}`;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What is shown instead of the key: the role and the first characters, enough to tell keys apart. */
export function keyPrefix(key: string): string {
  const parts = key.split('_');
  return parts.length >= 3 ? `${parts.slice(0, -1).join('_')}_${parts.at(-1)!.slice(0, 6)}` : key.slice(0, 10);
}

export async function createKey(db: Queryable, input: CreateKeyInput): Promise<{ key: string; record: ApiKey }> {
  const key = generateKey(input.role);
  const { rows } = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, workspace_id, name, role, agent_ids, allowed_origins, user_id, prefix, hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [newId('key'), input.workspaceId, input.name, input.role, input.agentIds ?? null, input.allowedOrigins ?? [],
      input.userId ?? null, keyPrefix(key), hashKey(key), input.createdBy ?? null],
  );
  return { key, record: toKey(rows[0]!) };
}

/**
 * The live key with this secret, or undefined (unknown, revoked, or a user key whose person is no longer
 * in the workspace). Notes when it was last used, at most once a minute.
 */
export async function findKeyBySecret(db: Queryable, key: string): Promise<KeyHolder | undefined> {
  const { rows } = await db.query<KeyRow & { user_name: string | null; user_email: string | null }>(
    `SELECT ${COLUMN_NAMES.map((c) => `k.${c}`).join(', ')}, u.name AS user_name, u.email AS user_email
       FROM api_keys k LEFT JOIN users u ON u.id = k.user_id AND u.workspace_id = k.workspace_id
      WHERE k.hash = $1 AND k.revoked_at IS NULL`,
    [hashKey(key)],
  );
  const row = rows[0];
  if (!row || (row.role === 'user' && row.user_name === null)) return undefined;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id]);
  }
  return {
    ...toKey(row),
    ...(row.user_id && row.user_name !== null ? { user: { id: row.user_id, name: row.user_name, email: row.user_email ?? '' } } : {}),
  };
}

export async function listKeys(db: Queryable, workspaceId: string, o: { includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
  const { rows } = await db.query<KeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = $1 ${o.includeRevoked ? '' : 'AND revoked_at IS NULL'} ORDER BY created_at, id`,
    [workspaceId],
  );
  return rows.map(toKey);
}

export async function getKey(db: Queryable, workspaceId: string, id: string): Promise<ApiKey | undefined> {
  const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return rows[0] && toKey(rows[0]);
}

/** Revokes the key; refused from the next request on. False when there is no such live key. */
export async function revokeKey(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE api_keys SET revoked_at = now() WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL',
    [workspaceId, id],
  );
  return (rowCount ?? 0) > 0;
}

/** Revokes every live key of a person (they are leaving the workspace); returns the ids revoked. */
export async function revokeUserKeys(db: Queryable, workspaceId: string, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'UPDATE api_keys SET revoked_at = now() WHERE workspace_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id',
    [workspaceId, userId],
  );
  return rows.map((r) => r.id).sort();
}

/** True when a live widget key allows this browser origin (CORS preflights carry no key). */
export async function originAllowed(db: Queryable, origin: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM api_keys WHERE role = 'widget' AND revoked_at IS NULL AND $1 = ANY(allowed_origins) LIMIT 1`,
    [origin],
  );
  return rows.length > 0;
}

function toKey(r: KeyRow): ApiKey {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    role: r.role,
    agentIds: r.agent_ids,
    allowedOrigins: r.allowed_origins ?? [],
    ...(r.user_id ? { userId: r.user_id } : {}),
    prefix: r.prefix,
    createdAt: new Date(r.created_at),
    ...(r.last_used_at ? { lastUsedAt: new Date(r.last_used_at) } : {}),
    ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at) } : {}),
  };
}
