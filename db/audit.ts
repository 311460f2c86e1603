/** The audit log: who changed what in a workspace, newest first. Never holds a secret. */
import type { Queryable } from './types.js';

export interface AuditEntry {
  id: string;
  actor: { id: string; name: string };
  action: string;
  target: { type: string; id: string };
  details: Record<string, unknown>;
  requestId?: string;
  createdAt: Date;
}

export interface AuditInput {
  workspaceId: string;
  actor: { id: string; name: string };
  /** `<resource>.<verb>`: agent.created, source.deleted, key.revoked, billing.updated, … */
  action: string;
  target: { type: string; id: string };
  details?: Record<string, unknown>;
  requestId?: string;
}

export async function recordAudit(db: Queryable, e: AuditInput): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (workspace_id, actor_id, actor_name, action, target_type, target_id, details, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.workspaceId, e.actor.id, e.actor.name, e.action, e.target.type, e.target.id, JSON.stringify(e.details ?? {}), e.requestId ?? null],
  );
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function listAudit(db: Queryable, workspaceId: string, o: { limit: number; before?: string }): Promise<AuditEntry[]> {
  const params: unknown[] = [workspaceId, o.limit];
  let where = 'workspace_id = $1';
  if (o.before) {
    params.push(o.before);
    where += ' AND seq < $3';
  }
  const { rows } = await db.query<{
    seq: string | number; actor_id: string; actor_name: string; action: string; target_type: string; target_id: string;
    details: Record<string, unknown>; request_id: string | null; created_at: Date;
  }>(`SELECT seq, actor_id, actor_name, action, target_type, target_id, details, request_id, created_at
        FROM audit_log WHERE ${where} ORDER BY seq DESC LIMIT $2`, params);
  return rows.map((r) => ({
    id: String(r.seq),
    actor: { id: r.actor_id, name: r.actor_name },
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    details: r.details ?? {},
    ...(r.request_id ? { requestId: r.request_id } : {}),
    createdAt: new Date(r.created_at),
  }));
}
