/**
 * Knowledge sources of an agent. Every call is scoped by agent id, so one tenant can never read or
 * delete another's source by guessing its id. A source's chunks go with it (ON DELETE CASCADE), and
 * retrieval only reads chunks of enabled sources.
 */
import type { SourceType } from '../domain/source.js';
import type { Queryable } from './types.js';

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

/** What a newly added top-level source is compared on to find the one it repeats. */
export interface SameSourceProbe {
  /** Only sources of these types are candidates (pasted content is not a file). */
  types: readonly SourceType[];
  contentHash: string;
  title: string;
  url?: string;
  /** An uploaded file's name: the same name again is a new version of that file. */
  fileName?: string;
}

/**
 * The agent's top-level source that a new one repeats: the same content first, then the same URL, then the
 * same title (case-insensitive) or file name; the most recently updated when several do. Pages of a crawled
 * site (parent_id set) are never candidates: their sync owns them.
 */
export async function findSameSource(db: Queryable, agentId: string, p: SameSourceProbe): Promise<Source | undefined> {
  const { rows } = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM sources
     WHERE agent_id = $1 AND parent_id IS NULL AND type = ANY($2::text[])
       AND (content_hash = $3 OR url = $4 OR lower(title) = lower($5) OR metadata->>'fileName' = $6)
     ORDER BY content_hash IS NOT DISTINCT FROM $3 DESC, url IS NOT DISTINCT FROM $4 DESC, updated_at DESC, id
     LIMIT 1`,
    [agentId, [...p.types], p.contentHash, p.url ?? null, p.title, p.fileName ?? null],
  );
  return rows[0] && toSource(rows[0]);
}

export interface SourceFilter {
  kind?: string;
  status?: string;
  type?: SourceType;
  enabled?: boolean;
  parentId?: string;
}

/** Newest first; every filter given must match. */
export async function listSources(db: Queryable, agentId: string, filter: SourceFilter = {}): Promise<Source[]> {
  const { rows } = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM sources WHERE agent_id = $1
       AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR type = $4)
       AND ($5::boolean IS NULL OR enabled = $5) AND ($6::text IS NULL OR parent_id = $6)
     ORDER BY created_at DESC, id`,
    [agentId, filter.kind ?? null, filter.status ?? null, filter.type ?? null, filter.enabled ?? null, filter.parentId ?? null],
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

export interface SourceChanges {
  enabled?: boolean;
  kind?: string;
  title?: string;
}

/**
 * Changes what a person may change without re-ingesting. A new title is also written to the source's
 * chunks (citations show it) and their full-text vectors, in the same statement, so search and citations
 * never disagree; embeddings keep the old title until the next ingestion. Undefined when not found.
 */
export async function updateSource(db: Queryable, agentId: string, id: string, changes: SourceChanges): Promise<Source | undefined> {
  const { rows } = await db.query<SourceRow>(
    `WITH updated AS (
       UPDATE sources SET enabled = coalesce($3, enabled), kind = coalesce($4, kind), title = coalesce($5, title), updated_at = now()
       WHERE agent_id = $1 AND id = $2
       RETURNING ${COLUMNS}
     ), retitled AS (
       UPDATE chunks c SET title = u.title,
         tsv = setweight(to_tsvector(c.ts_config, u.title), 'A') ||
               setweight(to_tsvector(c.ts_config, coalesce(c.heading, '')), 'B') ||
               setweight(to_tsvector(c.ts_config, c.text), 'D')
       FROM updated u
       WHERE $5::text IS NOT NULL AND c.agent_id = $1 AND c.source_id = u.id AND c.title IS DISTINCT FROM u.title
     )
     SELECT * FROM updated`,
    [agentId, id, changes.enabled ?? null, changes.kind ?? null, changes.title ?? null],
  );
  return rows[0] && toSource(rows[0]);
}

/** The pages of a crawled site (child sources), with what re-sync needs to skip unchanged ones. */
export async function listChildSources(db: Queryable, agentId: string, parentId: string): Promise<Source[]> {
  const { rows } = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM sources WHERE agent_id = $1 AND parent_id = $2 ORDER BY id`,
    [agentId, parentId],
  );
  return rows.map(toSource);
}

export interface SyncStateChanges {
  status?: string;
  /** null clears the last error. */
  error?: string | null;
  /** Keys merged into metadata (a shallow merge: a key given replaces the stored one). */
  metadata?: Record<string, unknown>;
  etag?: string | null;
  lastModified?: string | null;
  fetchedAt?: Date;
}

/**
 * Records a URL sync's state on a source without touching its chunks (status, progress, validators of a
 * page that did not change). False when the agent has no such source.
 */
export async function updateSyncState(db: Queryable, agentId: string, id: string, changes: SyncStateChanges): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE sources SET
       status = coalesce($3, status),
       error = CASE WHEN $4::boolean THEN $5 ELSE error END,
       metadata = metadata || $6::jsonb,
       etag = CASE WHEN $7::boolean THEN $8 ELSE etag END,
       last_modified = CASE WHEN $9::boolean THEN $10 ELSE last_modified END,
       fetched_at = coalesce($11, fetched_at),
       updated_at = now()
     WHERE agent_id = $1 AND id = $2`,
    [
      agentId, id, changes.status ?? null,
      changes.error !== undefined, changes.error ?? null,
      JSON.stringify(changes.metadata ?? {}),
      changes.etag !== undefined, changes.etag ?? null,
      changes.lastModified !== undefined, changes.lastModified ?? null,
      changes.fetchedAt ?? null,
    ],
  );
  return (rowCount ?? 0) > 0;
}

/** Records that pages were checked and found unchanged (HTTP 304): only their check time moves. */
export async function markFetched(db: Queryable, agentId: string, pages: ReadonlyArray<{ id: string; fetchedAt: Date }>): Promise<void> {
  if (pages.length === 0) return;
  await db.query(
    `UPDATE sources s SET fetched_at = v.fetched_at
     FROM unnest($2::text[], $3::timestamptz[]) AS v(id, fetched_at)
     WHERE s.agent_id = $1 AND s.id = v.id`,
    [agentId, pages.map((p) => p.id), pages.map((p) => p.fetchedAt.toISOString())],
  );
}

/** Empties a source that lost its content (a synced page that is gone) but keeps the row and its settings. */
export async function clearSourceContent(db: Queryable, agentId: string, id: string, status: string, error: string): Promise<void> {
  await db.query('DELETE FROM chunks WHERE agent_id = $1 AND source_id = $2', [agentId, id]);
  await db.query(
    `UPDATE sources SET status = $3, error = $4, chunk_count = 0, content_hash = NULL, etag = NULL, last_modified = NULL,
       updated_at = now() WHERE agent_id = $1 AND id = $2`,
    [agentId, id, status, error],
  );
}

/** Deletes these pages of a site, their chunks with them; returns how many went. */
export async function deleteChildSources(db: Queryable, agentId: string, parentId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await db.query(
    'DELETE FROM sources WHERE agent_id = $1 AND parent_id = $2 AND id = ANY($3::text[])',
    [agentId, parentId, [...ids]],
  );
  return rowCount ?? 0;
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
