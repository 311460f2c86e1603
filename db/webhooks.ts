/** Webhooks of a workspace and the record of every delivery attempt. */
import { randomBytes } from 'node:crypto';
import { newId } from './ids.js';
import type { Queryable } from './types.js';

export interface Webhook {
  id: string;
  workspaceId: string;
  url: string;
  events: string[];
  createdAt: Date;
}

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  attempt: number;
  status: 'delivered' | 'failed';
  httpStatus?: number;
  error?: string;
  durationMs?: number;
  createdAt: Date;
}

interface WebhookRow extends Record<string, unknown> {
  id: string; workspace_id: string; url: string; events: string[]; created_at: Date;
}

const COLUMNS = 'id, workspace_id, url, events, created_at';

/** A new webhook and its signing secret (shown to the caller once). */
export async function createWebhook(db: Queryable, workspaceId: string, input: { url: string; events: string[] }): Promise<{ webhook: Webhook; secret: string }> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const { rows } = await db.query<WebhookRow>(
    `INSERT INTO webhooks (id, workspace_id, url, events, secret) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [newId('whk'), workspaceId, input.url, input.events, secret],
  );
  return { webhook: toWebhook(rows[0]!), secret };
}

export async function listWebhooks(db: Queryable, workspaceId: string): Promise<Webhook[]> {
  const { rows } = await db.query<WebhookRow>(
    `SELECT ${COLUMNS} FROM webhooks WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, [workspaceId],
  );
  return rows.map(toWebhook);
}

export async function getWebhook(db: Queryable, workspaceId: string, id: string): Promise<Webhook | undefined> {
  const { rows } = await db.query<WebhookRow>(
    `SELECT ${COLUMNS} FROM webhooks WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`, [workspaceId, id],
  );
  return rows[0] && toWebhook(rows[0]);
}

/** Deleted webhooks get no new deliveries; their delivery record stays. */
export async function deleteWebhook(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE webhooks SET deleted_at = now() WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL', [workspaceId, id],
  );
  return (rowCount ?? 0) > 0;
}

/** The live webhooks of a workspace that want this event type. */
/** The webhooks of a workspace that listen for an event type (SQL expressions), for one statement to test. */
export function listensSql(workspace: string, eventType: string): string {
  return `workspace_id = ${workspace} AND deleted_at IS NULL AND ${eventType} = ANY(events)`;
}

export async function subscribersOf(db: Queryable, workspaceId: string, eventType: string): Promise<Webhook[]> {
  const { rows } = await db.query<WebhookRow>(
    `SELECT ${COLUMNS} FROM webhooks WHERE ${listensSql('$1', '$2')} ORDER BY id`,
    [workspaceId, eventType],
  );
  return rows.map(toWebhook);
}

/** What a delivery needs: where, and the secret to sign with; undefined once the webhook is deleted. */
export async function deliveryTarget(db: Queryable, id: string): Promise<{ url: string; secret: string } | undefined> {
  const { rows } = await db.query<{ url: string; secret: string }>(
    'SELECT url, secret FROM webhooks WHERE id = $1 AND deleted_at IS NULL', [id],
  );
  return rows[0];
}

export async function recordDeliveryAttempt(db: Queryable, webhookId: string, a: Omit<DeliveryAttempt, 'createdAt'>): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, status, http_status, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [webhookId, a.eventId, a.eventType, a.attempt, a.status, a.httpStatus ?? null, a.error ?? null, a.durationMs ?? null],
  );
}

export async function listDeliveries(db: Queryable, webhookId: string, limit: number): Promise<DeliveryAttempt[]> {
  const { rows } = await db.query<{
    event_id: string; event_type: string; attempt: number; status: 'delivered' | 'failed'; http_status: number | null;
    error: string | null; duration_ms: number | null; created_at: Date;
  }>(
    `SELECT event_id, event_type, attempt, status, http_status, error, duration_ms, created_at
       FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq DESC LIMIT $2`, [webhookId, limit],
  );
  return rows.map((r) => ({
    eventId: r.event_id, eventType: r.event_type, attempt: r.attempt, status: r.status,
    ...(r.http_status !== null ? { httpStatus: r.http_status } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.duration_ms !== null ? { durationMs: r.duration_ms } : {}),
    createdAt: new Date(r.created_at),
  }));
}

function toWebhook(r: WebhookRow): Webhook {
  return { id: r.id, workspaceId: r.workspace_id, url: r.url, events: r.events, createdAt: new Date(r.created_at) };
}
