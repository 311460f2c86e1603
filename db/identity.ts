/**
 * A workspace's identity secret: what host sites sign their customers' emails with. Sealed by a
 * SecretBox; given out once, by rotateIdentitySecret, and otherwise opened only to check a token.
 */
import { randomBytes } from 'node:crypto';
import type { SecretBox } from './secret-box.js';
import type { Queryable } from './types.js';

export interface IdentitySecretStatus {
  configured: boolean;
  /** When the workspace first had a secret, and when the current one was made. */
  createdAt?: Date;
  rotatedAt?: Date;
}

/** A new secret replaces the old one (tokens made with it stop verifying now); returns it, the only time. */
export async function rotateIdentitySecret(db: Queryable, box: SecretBox, workspaceId: string): Promise<{ secret: string; first: boolean }> {
  const secret = `idsec_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<{ first: boolean }>(
    `INSERT INTO identity_secrets (workspace_id, secret) VALUES ($1, $2)
     ON CONFLICT (workspace_id) DO UPDATE SET secret = EXCLUDED.secret, rotated_at = now()
     RETURNING (xmax = 0) AS first`,
    [workspaceId, box.seal({ secret })],
  );
  return { secret, first: rows[0]?.first === true };
}

export async function identitySecretStatus(db: Queryable, workspaceId: string): Promise<IdentitySecretStatus> {
  const { rows } = await db.query<{ created_at: Date; rotated_at: Date }>(
    'SELECT created_at, rotated_at FROM identity_secrets WHERE workspace_id = $1', [workspaceId],
  );
  const row = rows[0];
  return row ? { configured: true, createdAt: new Date(row.created_at), rotatedAt: new Date(row.rotated_at) } : { configured: false };
}

/** The current secret, opened; undefined when the workspace has none. Throws when it does not open with this box's key. */
export async function readIdentitySecret(db: Queryable, box: SecretBox, workspaceId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ secret: string }>('SELECT secret FROM identity_secrets WHERE workspace_id = $1', [workspaceId]);
  const sealed = rows[0]?.secret;
  if (sealed === undefined) return undefined;
  const { secret } = box.open(sealed);
  if (!secret) throw new Error('the stored identity secret is empty: rotate it (POST /v1/identity/secret)');
  return secret;
}
