/** Workspace events, newest first. Idempotent on the event id the writer derives from the cause. */
import type { EventType, WorkspaceEvent } from '../domain/events.js';
import type { Queryable } from './types.js';

interface EventRow extends Record<string, unknown> {
  id: string;
  workspace_id: string;
  type: EventType;
  data: Record<string, unknown> | null;
  created_at: Date;
}

/** Stores the event unless one with its id exists; returns the stored one and whether this call wrote it. */
export async function recordEvent(
  db: Queryable,
  e: { id: string; workspaceId: string; type: EventType; data?: Record<string, unknown> },
): Promise<{ event: WorkspaceEvent; recorded: boolean }> {
  const inserted = await db.query<EventRow>(
    `INSERT INTO events (id, workspace_id, type, data) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING RETURNING id, workspace_id, type, data, created_at`,
    [e.id, e.workspaceId, e.type, JSON.stringify(e.data ?? {})],
  );
  if (inserted.rows[0]) return { event: toEvent(inserted.rows[0]), recorded: true };
  const { rows } = await db.query<EventRow>('SELECT id, workspace_id, type, data, created_at FROM events WHERE id = $1', [e.id]);
  if (!rows[0]) throw new Error(`event ${e.id} was neither stored nor found`);
  return { event: toEvent(rows[0]), recorded: false };
}

export interface ListEventsOptions {
  type?: EventType;
  limit: number;
}

export async function listEvents(db: Queryable, workspaceId: string, o: ListEventsOptions): Promise<WorkspaceEvent[]> {
  const where = ['workspace_id = $1'];
  const params: unknown[] = [workspaceId];
  if (o.type) {
    params.push(o.type);
    where.push(`type = $${params.length}`);
  }
  params.push(o.limit);
  const { rows } = await db.query<EventRow>(
    `SELECT id, workspace_id, type, data, created_at FROM events WHERE ${where.join(' AND ')}
      ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toEvent);
}

function toEvent(r: EventRow): WorkspaceEvent {
  return { id: r.id, workspaceId: r.workspace_id, type: r.type, data: r.data ?? {}, createdAt: new Date(r.created_at) };
}
