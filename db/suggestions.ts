/**
 * What prompt suggestions are made from (knowledge/suggestions.ts): the synced page a visitor is on, and
 * the agent's sources ranked by how often recent answers cited them. Scoped by agent; only enabled
 * sources with content.
 */
import type { PageContent, SourceCandidate } from '../knowledge/suggestions.js';
import type { Queryable } from './types.js';

/** Sections read from a page: enough for any real page's headings. */
const MAX_SECTIONS = 200;
/** How far back citations are counted. */
const RECENT_ANSWERS = 1000;

/**
 * The enabled source with content at one of these URLs (variants of one page URL), with its sections
 * in reading order. The one with the most chunks wins when a page was added twice (pasted and synced).
 */
export async function findPage(db: Queryable, agentId: string, urls: readonly string[]): Promise<PageContent | undefined> {
  if (urls.length === 0) return undefined;
  const { rows: [source] } = await db.query<{ id: string; title: string }>(
    `SELECT id, title FROM sources
     WHERE agent_id = $1 AND url = ANY($2::text[]) AND enabled AND chunk_count > 0
     ORDER BY chunk_count DESC, id LIMIT 1`,
    [agentId, [...urls]],
  );
  if (!source) return undefined;
  const { rows } = await db.query<{ heading: string | null; language: string }>(
    'SELECT heading, language FROM chunks WHERE agent_id = $1 AND source_id = $2 ORDER BY ord LIMIT $3',
    [agentId, source.id, MAX_SECTIONS],
  );
  return {
    sourceId: source.id,
    title: source.title,
    language: rows[0]?.language ?? 'en',
    sections: rows.map((r) => ({ ...(r.heading ? { heading: r.heading } : {}), language: r.language })),
  };
}

/**
 * The agent's sources that could be suggested, most cited by its last RECENT_ANSWERS answers first,
 * curated short answers before articles, then the newest. A crawled site's own row is left out (its
 * pages are sources of their own).
 */
export async function suggestionCandidates(db: Queryable, agentId: string, limit: number): Promise<SourceCandidate[]> {
  const { rows } = await db.query<{
    id: string; title: string; question: string | null; language: string | null; citations: number; updated_at: Date;
  }>(
    `WITH recent AS (
       SELECT sources FROM messages
       WHERE agent_id = $1 AND role = 'agent' AND jsonb_typeof(sources) = 'array'
       ORDER BY seq DESC LIMIT $3
     ), cited AS (
       SELECT e->>'id' AS id, count(*)::int AS n FROM recent, jsonb_array_elements(recent.sources) e GROUP BY 1
     )
     SELECT s.id, s.title, s.metadata->'shortAnswer'->>'question' AS question, s.updated_at,
            coalesce(c.n, 0) AS citations,
            (SELECT ch.language FROM chunks ch WHERE ch.source_id = s.id ORDER BY ch.ord LIMIT 1) AS language
     FROM sources s LEFT JOIN cited c ON c.id = s.id
     WHERE s.agent_id = $1 AND s.enabled AND s.chunk_count > 0 AND s.type <> 'site'
     ORDER BY citations DESC, (s.type = 'short_answer') DESC, s.updated_at DESC, s.id
     LIMIT $2`,
    [agentId, limit, RECENT_ANSWERS],
  );
  return rows.map((r) => ({
    sourceId: r.id,
    title: r.title,
    language: r.language ?? 'en',
    ...(r.question ? { question: r.question } : {}),
    citations: Number(r.citations),
    updatedAt: new Date(r.updated_at).getTime(),
  }));
}
