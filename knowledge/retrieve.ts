/**
 * Hybrid retrieval for one agent: full-text candidates (the query parsed in each chunk's own
 * text-search configuration) and embedding candidates (HNSW, cosine), fused by reciprocal rank.
 * Only enabled sources of the asking agent are ever read. Each passage also carries two absolute
 * signals the answering graph thresholds on: cosine similarity and query-term coverage.
 */
import type { Db } from '../db/types.js';
import { toVectorParam } from '../db/vector-type.js';
import { detectLanguage, tsConfigFor } from './language.js';
import type { Embedder, Passage, RetrieveQuery, Retriever } from './types.js';

/** Reciprocal-rank-fusion constant from Cormack et al.; dampens the head of each list. */
export const RRF_K = 60;
const DEFAULT_LIMIT = 6;
/** Each list contributes this many candidates per requested passage (at least MIN_CANDIDATES). */
const CANDIDATE_FACTOR = 4;
const MIN_CANDIDATES = 20;
/**
 * Full-text matches in a configuration other than the query's language are mostly coincidences (an
 * English "send" stemmed as Danish): they stay candidates but rank below same-language matches.
 */
const CROSS_LANGUAGE_WEIGHT = 0.25;

/*
 * $1 agent, $2 query vector, $3 query text, $4 limit, $5 candidates per list, $6 the query language's
 * ts_config (null when unknown).
 *
 * configs: the distinct ts_configs of the agent's chunks, by a skip scan over (agent_id, ts_config).
 * queries: per configuration, the query's content terms (to_tsvector stems and drops stop words), each
 *   as a one-lexeme tsquery (quoted, so no query text is ever parsed as tsquery syntax), and their OR.
 * fts: chunks matching any term (GIN), ordered by the share of terms they contain, then ts_rank_cd
 *   (title weighted A and heading B above the body): with an OR query, a chunk matching most of the
 *   question must outrank one that repeats a single word.
 * fused: reciprocal-rank fusion, the full-text term scaled by that share: under an OR query a hit on
 *   one word of four is weak evidence, and must not outweigh the embedding list's top candidates.
 * coverage: the unweighted share of terms, for every returned passage.
 */
const SQL = `
WITH RECURSIVE configs AS (
  (SELECT ts_config FROM chunks WHERE agent_id = $1 ORDER BY ts_config LIMIT 1)
  UNION ALL
  SELECT (SELECT c.ts_config FROM chunks c WHERE c.agent_id = $1 AND c.ts_config > configs.ts_config
          ORDER BY c.ts_config LIMIT 1)
  FROM configs WHERE configs.ts_config IS NOT NULL
),
queries AS (
  SELECT cf.ts_config, coalesce(t.terms, '{}') AS terms, t.any_term,
         CASE WHEN $6::regconfig IS NULL OR cf.ts_config = $6::regconfig THEN 1 ELSE ${CROSS_LANGUAGE_WEIGHT} END AS weight
  FROM configs cf CROSS JOIN LATERAL (
    SELECT array_agg(q.term) AS terms, string_agg(q.quoted, ' | ')::tsquery AS any_term
    FROM (
      SELECT l.quoted, l.quoted::tsquery AS term
      FROM (SELECT chr(39) || replace(replace(lexeme, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39) AS quoted
            FROM unnest(tsvector_to_array(to_tsvector(cf.ts_config, $3))) AS lexeme) l
    ) q
  ) t
  WHERE cf.ts_config IS NOT NULL
),
fts AS (
  SELECT id, share, row_number() OVER (ORDER BY share DESC, rank DESC, id)::int AS r FROM (
    SELECT m.* FROM queries q CROSS JOIN LATERAL (
      SELECT c.id, ts_rank_cd(c.tsv, q.any_term) AS rank,
             q.weight * (SELECT count(*) FROM unnest(q.terms) t WHERE c.tsv @@ t) / cardinality(q.terms) AS share
      FROM chunks c JOIN sources s ON s.id = c.source_id
      WHERE c.agent_id = $1 AND c.ts_config = q.ts_config AND c.tsv @@ q.any_term AND s.enabled
      ORDER BY share DESC, rank DESC LIMIT $5
    ) m
    ORDER BY m.share DESC, m.rank DESC LIMIT $5
  ) x
),
vec AS (
  SELECT id, row_number() OVER (ORDER BY dist, id)::int AS r FROM (
    SELECT c.id, c.embedding <=> $2::vector AS dist
    FROM chunks c JOIN sources s ON s.id = c.source_id
    WHERE c.agent_id = $1 AND s.enabled
    ORDER BY c.embedding <=> $2::vector LIMIT $5
  ) v
),
fused AS (
  SELECT coalesce(f.id, v.id) AS id, f.r AS fts_rank, v.r AS vec_rank,
         (coalesce(f.share / (${RRF_K} + f.r), 0) + coalesce(1.0 / (${RRF_K} + v.r), 0))::float8 AS score
  FROM fts f FULL JOIN vec v ON v.id = f.id
  ORDER BY score DESC, id LIMIT $4
)
SELECT c.id, c.source_id, c.title, s.url, c.heading, c.location, c.text, c.language,
       f.score, f.fts_rank, f.vec_rank,
       greatest(0, least(1, 1 - (c.embedding <=> $2::vector)))::float8 AS similarity,
       coalesce((SELECT count(*) FROM unnest(q.terms) t WHERE c.tsv @@ t)::float8 / nullif(cardinality(q.terms), 0), 0)
         AS coverage
FROM fused f
JOIN chunks c ON c.id = f.id
JOIN sources s ON s.id = c.source_id
JOIN queries q ON q.ts_config = c.ts_config
ORDER BY f.score DESC, c.id`;

interface Row extends Record<string, unknown> {
  id: string;
  source_id: string;
  title: string;
  url: string | null;
  heading: string | null;
  location: string | null;
  text: string;
  language: string;
  score: number;
  fts_rank: number | null;
  vec_rank: number | null;
  similarity: number;
  coverage: number;
}

export function createRetriever({ db, embedder }: { db: Db; embedder: Embedder }): Retriever {
  return {
    async retrieve(query: RetrieveQuery): Promise<Passage[]> {
      const text = query.text.trim();
      if (!text) return [];
      const limit = Math.max(1, query.limit ?? DEFAULT_LIMIT);
      const candidates = Math.max(MIN_CANDIDATES, limit * CANDIDATE_FACTOR);
      // Embed before taking a connection: on PGlite the only connection would otherwise idle meanwhile.
      const [vector] = await embedder.embed([text]);
      const language = query.language ?? detectLanguage(text).language;
      if (!vector) throw new Error('the embedder returned no vector for the query');
      const rows = await db.transaction(async (tx) => {
        // Iterative HNSW scans keep reading the graph until enough rows pass the agent/enabled filters.
        await tx.query(
          `SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', $1, true)`,
          [String(Math.max(40, candidates))],
        );
        const res = await tx.query<Row>(SQL, [
          query.agentId, toVectorParam(vector), text, limit, candidates, language ? tsConfigFor(language) : null,
        ]);
        return res.rows;
      });
      return rows.map(toPassage);
    },
  };
}

function toPassage(r: Row): Passage {
  return {
    chunkId: r.id,
    sourceId: r.source_id,
    title: r.title,
    ...(r.url ? { url: r.url } : {}),
    ...(r.heading ? { heading: r.heading } : {}),
    ...(r.location ? { location: r.location } : {}),
    text: r.text,
    language: r.language,
    score: r.score,
    similarity: r.similarity,
    coverage: r.coverage,
    ...(r.fts_rank !== null ? { ftsRank: r.fts_rank } : {}),
    ...(r.vec_rank !== null ? { vectorRank: r.vec_rank } : {}),
  };
}
