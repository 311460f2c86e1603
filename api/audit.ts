/** Writes the audit log from a request: the actor is the principal (a user key's person), the request id ties it to logs. */
import type { Context } from 'hono';
import { recordAudit } from '../db/audit.js';
import type { Queryable } from '../db/types.js';
import { actorOf } from '../domain/access.js';
import type { AppEnv } from './env.js';

export async function audit(
  c: Context<AppEnv>,
  db: Queryable,
  action: string,
  target: { type: string; id: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  const p = c.get('principal');
  await recordAudit(db, {
    workspaceId: p.workspaceId,
    actor: actorOf(p),
    action,
    target,
    details,
    requestId: c.get('requestId'),
  });
}
