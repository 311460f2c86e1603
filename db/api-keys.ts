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
  createdBy?: string;
}

interface KeyRow extends Record<string, unknown> {
  id: string;
  workspace_id: string;
  name: string;
  role: KeyRole;
  agent_ids: string[] | null;
  allowed_origins: string[];
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, workspace_id, name, role, agent_ids, allowed_origins, prefix, created_at, last_used_at, revoked_at';

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
    `INSERT INTO api_keys (id, workspace_id, name, role, agent_ids, allowed_origins, prefix, hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [newId('key'), input.workspaceId, input.name, input.role, input.agentIds ?? null, input.allowedOrigins ?? [],
      keyPrefix(key), hashKey(key), input.createdBy ?? null],
  );
  return { key, record: toKey(rows[0]!) };
}

/** The live key with this secret, or undefined (unknown or revoked). Notes when it was last used, at most once a minute. */
export async function findKeyBySecret(db: Queryable, key: string): Promise<ApiKey | undefined> {
  const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`, [hashKey(key)]);
  const row = rows[0];
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id]);
  }
  return toKey(row);
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
    prefix: r.prefix,
    createdAt: new Date(r.created_at),
    ...(r.last_used_at ? { lastUsedAt: new Date(r.last_used_at) } : {}),
    ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at) } : {}),
  };
}
