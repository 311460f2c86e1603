/**
 * Knowledge sources of an agent. Every call is scoped by agent id, so one tenant can never read or
 * delete another's source by guessing its id. A source's chunks go with it (ON DELETE CASCADE), and
 * retrieval only reads chunks of enabled sources.
 */
import type { Queryable } from './types.js';

/** How a source was given: pasted content (text, markdown, html), a file, a URL, a crawled site, a short answer. */
export const SOURCE_TYPES = ['text', 'markdown', 'html', 'file', 'url', 'site', 'short_answer'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export interface Source {
  id: string;
  agentId: string;
  type: SourceType;
  /** What the source is for: 'article' (help content) unless a caller says otherwise. */
  kind: string;
  title: string;
  url?: string;
  /** The crawled site this page belongs to. */
  parentId?: string;
  status: string;
  enabled: boolean;
  /** HTTP validators of the last fetch, so re-sync can skip unchanged pages. */
  etag?: string;
  lastModified?: string;
  fetchedAt?: Date;
  /** Why the last sync or ingestion failed, in words an operator can act on. */
  error?: string;
  contentHash?: string;
  chunkCount: number;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface SaveSourceInput {
  id: string;
  agentId: string;
  type: SourceType;
  kind?: string;
  title: string;
  url?: string;
  parentId?: string;
  status?: string;
  contentHash?: string;
  chunkCount: number;
  metadata?: Record<string, unknown>;
  etag?: string;
  lastModified?: string;
  fetchedAt?: Date;
  error?: string;
}

interface SourceRow extends Record<string, unknown> {
  id: string;
  agent_id: string;
  type: SourceType;
  kind: string;
  title: string;
  url: string | null;
  parent_id: string | null;
  status: string;
  enabled: boolean;
  content_hash: string | null;
  etag: string | null;
  last_modified: string | null;
  fetched_at: Date | null;
  error: string | null;
  chunk_count: number;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, agent_id, type, kind, title, url, parent_id, status, enabled, content_hash, chunk_count, metadata,
  etag, last_modified, fetched_at, error, created_at, updated_at`;

/**
 * Inserts the source, or replaces the fields of the same agent's source with this id (re-sync keeps the
 * id, created_at and the enabled flag). Returns undefined when the id belongs to another agent.
 */
export async function saveSource(db: Queryable, s: SaveSourceInput): Promise<Source | undefined> {
  const { rows } = await db.query<SourceRow>(
    `INSERT INTO sources (id, agent_id, type, kind, title, url, status, content_hash, chunk_count, metadata,
                          parent_id, etag, last_modified, fetched_at, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (id) DO UPDATE SET
       type = EXCLUDED.type, kind = EXCLUDED.kind, title = EXCLUDED.title, url = EXCLUDED.url,
       status = EXCLUDED.status, content_hash = EXCLUDED.content_hash, chunk_count = EXCLUDED.chunk_count,
       metadata = EXCLUDED.metadata, parent_id = EXCLUDED.parent_id, etag = EXCLUDED.etag,
       last_modified = EXCLUDED.last_modified, fetched_at = EXCLUDED.fetched_at, error = EXCLUDED.error,
       updated_at = now()
     WHERE sources.agent_id = EXCLUDED.agent_id
     RETURNING ${COLUMNS}`,
    [
      s.id, s.agentId, s.type, s.kind ?? 'article', s.title, s.url ?? null, s.status ?? 'ready',
      s.contentHash ?? null, s.chunkCount, JSON.stringify(s.metadata ?? {}),
      s.parentId ?? null, s.etag ?? null, s.lastModified ?? null, s.fetchedAt ?? null, s.error ?? null,
    ],
  );
  return rows[0] && toSource(rows[0]);
}

/** Newest first. */
export async function listSources(db: Queryable, agentId: string): Promise<Source[]> {
  const { rows } = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM sources WHERE agent_id = $1 ORDER BY created_at DESC, id`,
    [agentId],
  );
  return rows.map(toSource);
}

export async function getSource(db: Queryable, agentId: string, id: string): Promise<Source | undefined> {
  const { rows } = await db.query<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE agent_id = $1 AND id = $2`, [agentId, id]);
  return rows[0] && toSource(rows[0]);
}

/** Deletes the source and its chunks; false when the agent has no such source. */
export async function deleteSource(db: Queryable, agentId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM sources WHERE agent_id = $1 AND id = $2', [agentId, id]);
  return (rowCount ?? 0) > 0;
}

/** A disabled source keeps its chunks but is left out of retrieval until enabled again. */
export async function setSourceEnabled(db: Queryable, agentId: string, id: string, enabled: boolean): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE sources SET enabled = $3, updated_at = now() WHERE agent_id = $1 AND id = $2',
    [agentId, id, enabled],
  );
  return (rowCount ?? 0) > 0;
}

function toSource(r: SourceRow): Source {
  return {
    id: r.id,
    agentId: r.agent_id,
    type: r.type,
    kind: r.kind,
    title: r.title,
    ...(r.url ? { url: r.url } : {}),
    ...(r.parent_id ? { parentId: r.parent_id } : {}),
    status: r.status,
    enabled: r.enabled,
    ...(r.content_hash ? { contentHash: r.content_hash } : {}),
    ...(r.etag ? { etag: r.etag } : {}),
    ...(r.last_modified ? { lastModified: r.last_modified } : {}),
    ...(r.fetched_at ? { fetchedAt: r.fetched_at } : {}),
    ...(r.error ? { error: r.error } : {}),
    chunkCount: r.chunk_count,
    metadata: r.metadata ?? {},
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
