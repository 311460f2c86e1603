/**
 * Hybrid retrieval for one agent: full-text candidates (the query parsed in each chunk's own
 * text-search configuration) and embedding candidates (HNSW, cosine), fused by reciprocal rank.
 * Only enabled sources of the asking agent are ever read. Each passage also carries two absolute
 * signals the answering graph thresholds on: cosine similarity and query-term coverage. Short answers
 * (knowledge/short-answers.ts) are matched on their own and returned first, flagged `shortAnswer`.
 */
import { preparedStatement } from '../db/prepared.js';
import type { Db } from '../db/types.js';
import { toVectorParam } from '../db/vector-type.js';
import { bridgeQuery, bridgeToOthers, type Bridged } from './bridge.js';
import { detectLanguage, tsConfigFor } from './language.js';
import { searchText } from './question.js';
import { shortAnswerMatch } from './short-answers.js';
import { SUPPORTED_LANGUAGES, type Embedder, type Passage, type RetrieveQuery, type Retriever } from './types.js';

/** Reciprocal-rank-fusion constant from Cormack et al.; dampens the head of each list. */
export const RRF_K = 60;
const DEFAULT_LIMIT = 6;
/** Each list contributes this many candidates per requested passage (at least MIN_CANDIDATES). */
const CANDIDATE_FACTOR = 4;
const MIN_CANDIDATES = 20;
/**
 * The full-text list weighs terms by idf, per chunk and per term: costly on every chunk that shares one
 * word with the question (thousands in a large help centre, for "order" or "return"). Only the best
 * max(FTS_POOL_MIN, candidates × FTS_POOL_FACTOR) of them by ts_rank (title and heading matches count
 * most) are weighed; the rest could not reach the list's few places anyway.
 */
const FTS_POOL_MIN = 200;
const FTS_POOL_FACTOR = 8;
/**
 * Ranking every chunk that shares one word with the question still grows with the knowledge base: at
 * 5,500 chunks, "Can I cancel my order for gift cards within 14 days?" matched every chunk ("order",
 * "day") and ranking them took 36 ms of the question's 84. The pool is therefore drawn from the chunks
 * that have one of the question's selective terms, those in at most POOL_TERM_MAX_DF chunks (the rarest
 * term alone when none is), and ranked by all of them: a chunk with only the common words would not reach
 * the list's few places. Knowledge bases below that size are searched as before.
 */
const POOL_TERM_MAX_DF = 500;
/**
 * A term's chunk count is counted up to DF_COUNT_CAP: counting "order" in 3,121 of 5,500 chunks, one
 * count per question term, cost 3 ms each. A term in more chunks counts as in DF_COUNT_CAP: its idf is
 * then overstated (1.7 instead of 0.6 at 5,500 chunks), still a quarter of a rare term's.
 */
const DF_COUNT_CAP = 1000;
/** Phrasings of short answers read per signal, and short answers returned (ahead of the fused passages). */
const SHORT_ANSWER_CANDIDATES = 10;
const SHORT_ANSWERS_RETURNED = 2;
/**
 * Full-text matches in a configuration other than the query's language are mostly coincidences (an
 * English "send" stemmed as Danish): they stay candidates but rank below same-language matches.
 */
const CROSS_LANGUAGE_WEIGHT = 0.25;
/**
 * Full-text matches of the query bridged into another language (knowledge/bridge.ts) are evidence, but a
 * translation's: a chunk in the customer's own language that has all their words, even only in its body
 * (share 0.5), outranks a bridged one named in its title; a bridged match outranks a coincidence above
 * and a partial own-language match. On `npm run bench:cross-language` (demo) 0.8 gave hit@1 90% but put
 * the English "Shipping costs" above the Danish "Fragtpris" for "hvad koster fragten"; 0.45 gave 70%.
 */
const BRIDGED_WEIGHT = 0.6;
/**
 * A query term found in a chunk's title or heading path counts (1 + TITLE_BOOST) times one found only in
 * its body: help content names its subject in titles and headings. Measured with `npm run bench:retrieval`.
 */
const TITLE_BOOST = 1;
/**
 * The embedding list is trusted as far as it discriminates: when its 1st and 10th candidates are within
 * SPREAD_FLOOR in cosine distance, every chunk looks alike to the embedder (the English-only offline
 * model on German or Spanish text scores everything 0.8–0.85) and the list is noise; its weight grows to
 * full over the next SPREAD_RANGE. No language switch: a multilingual embedder spreads its list and keeps
 * its weight in every language.
 */
const SPREAD_FLOOR = 0.07;
const SPREAD_RANGE = 0.05;

/*
 * $1 agent, $2 query vector, $3 query text, $4 limit, $5 candidates per list, $6 the query language's
 * ts_config (null when unknown), $9 the query bridged into other languages: {ts_config: [group text, …]}.
 *
 * configs: the ts_configs of the agent's chunks and how many chunks each has (N for idf), read from
 *   chunk_counts (db/migrations/015_chunk_counts.ts) instead of counting the chunks on every question.
 * groups, alternatives, queries: per configuration, the query's content terms (to_tsvector stems and drops
 *   stop words), each as a tsquery (quoted, so no query text is ever parsed as tsquery syntax), and their
 *   OR. In the query's own language (or any, when it is unknown) each lexeme is a term; in a language the
 *   query was bridged into (knowledge/bridge.ts), each group is one term whose lexemes are alternatives
 *   ('ship' | 'deliveri'), so a chunk that says it one way covers the term fully.
 * idf: per configuration, each term's inverse document frequency among the agent's chunks (BM25's
 *   ln(1 + (N − df + 0.5) / (df + 0.5))), so a rare word found weighs more than a common one.
 * fts: chunks matching any term (GIN), only the best of them by ts_rank weighed (FTS_POOL_MIN), ordered by
 *   the idf-weighted share of terms they contain, terms in the title or heading path counting
 *   (1 + TITLE_BOOST)×, then ts_rank_cd: with an OR query, a chunk matching most of the question must
 *   outrank one that repeats a single word. The share is of the terms some chunk of that language has: a
 *   word no chunk has ("jullie" kept in a Dutch question bridged into English) tells no chunk from
 *   another, and its idf, the highest there is, would drown the rest. (`coverage` below counts every term.)
 * vec: nearest chunks by cosine, with the list's lift (0..1): how well it discriminates for this query.
 * fused: reciprocal-rank fusion, the full-text term scaled by that share and the embedding term by the
 *   lift: under an OR query a hit on one word of four is weak evidence, and an embedding list in which
 *   everything looks alike is none (the lift only matters when there is another list to fuse with).
 * coverage: the unweighted share of terms, for every returned passage, and the idf-weighted share: a
 *   rare term ('7', a model name) found or missed counts for more than a word every chunk has.
 */
/**
 * Loose term matching for short answers: a lexeme counts as found when another begins with the same four
 * letters, so words the stemmer leaves apart still meet ("striked" and "strikethrough"), at the price of
 * some that only look alike ("string"). On stackfaq it gave 2.6 (even) and 3.1 (odd half) more points of
 * right short answers than exact lexemes, with no more wrong ones; five letters gained about half as much.
 */
const LOOSE_PREFIX = 4;

/** A short answer's bridged terms count fully: see SHORT_ANSWER_SQL. */
const SHORT_ANSWER_BRIDGED_WEIGHT = 1;

/** A lexeme as a tsquery's text: quoted, so that no text is ever parsed as tsquery syntax. */
function quotedLexeme(lexeme: string): string {
  return `chr(39) || replace(replace(${lexeme}, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39)`;
}

function queryTermsCte(bridge: string, keepLexeme: (lexeme: string) => string = () => 'true', bridgedWeight = BRIDGED_WEIGHT): string {
  return `
WITH configs AS (
  SELECT ts_config, n::float8 AS total FROM chunk_counts WHERE agent_id = $1 AND n > 0
),
groups AS (
  SELECT cf.ts_config, g.i::text AS gid, l.lexeme
  FROM configs cf
  CROSS JOIN LATERAL jsonb_array_elements_text(${bridge}::jsonb -> cf.ts_config::text) WITH ORDINALITY AS g(txt, i)
  CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector(cf.ts_config, g.txt))) AS l(lexeme)
  WHERE ${keepLexeme('l.lexeme')}
  UNION ALL
  SELECT cf.ts_config, l.lexeme, l.lexeme
  FROM configs cf CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector(cf.ts_config, $3))) AS l(lexeme)
  WHERE NOT (${bridge}::jsonb ? cf.ts_config::text) AND ${keepLexeme('l.lexeme')}
),
alternatives AS (
  SELECT DISTINCT ts_config, alts, loose_alts FROM (
    SELECT ts_config, string_agg(${quotedLexeme('lexeme')}, ' | ' ORDER BY lexeme) AS alts,
           string_agg(CASE WHEN length(lexeme) >= ${LOOSE_PREFIX} THEN ${quotedLexeme(`left(lexeme, ${LOOSE_PREFIX})`)} || ':*'
                      ELSE ${quotedLexeme('lexeme')} END, ' | ' ORDER BY lexeme) AS loose_alts
    FROM groups GROUP BY ts_config, gid
  ) x
),
queries AS (
  SELECT cf.ts_config, coalesce(t.terms, '{}') AS terms, coalesce(t.loose_terms, '{}') AS loose_terms, t.any_term,
         coalesce(t.lexemes, '{}') AS lexemes,
         CASE WHEN $6::regconfig IS NULL OR cf.ts_config = $6::regconfig THEN 1
              WHEN ${bridge}::jsonb ? cf.ts_config::text THEN ${bridgedWeight}
              ELSE ${CROSS_LANGUAGE_WEIGHT} END AS weight
  FROM configs cf CROSS JOIN LATERAL (
    SELECT array_agg(a.alts::tsquery ORDER BY a.alts) AS terms, array_agg(a.loose_alts::tsquery ORDER BY a.alts) AS loose_terms,
           string_agg(a.alts, ' | ')::tsquery AS any_term,
           (SELECT array_agg(DISTINCT g.lexeme) FROM groups g WHERE g.ts_config = cf.ts_config) AS lexemes
    FROM alternatives a WHERE a.ts_config = cf.ts_config
  ) t
)`;
}

const SQL = `${queryTermsCte('$9')},
idf AS (
  SELECT q.ts_config, array_agg(t.term ORDER BY t.i) AS terms,
         array_agg(ln(1 + (n.total - d.df + 0.5) / (d.df + 0.5)) ORDER BY t.i) AS idfs,
         sum(ln(1 + (n.total - d.df + 0.5) / (d.df + 0.5))) AS idf_sum,
         coalesce(sum(ln(1 + (n.total - d.df + 0.5) / (d.df + 0.5))) FILTER (WHERE d.df > 0), 0) AS present,
         coalesce(string_agg(t.term::text, ' | ') FILTER (WHERE d.df <= ${POOL_TERM_MAX_DF}),
                  (array_agg(t.term::text ORDER BY d.df, t.i))[1])::tsquery AS pool_term
  FROM queries q
  JOIN configs n ON n.ts_config = q.ts_config
  CROSS JOIN LATERAL unnest(q.terms) WITH ORDINALITY AS t(term, i)
  CROSS JOIN LATERAL (SELECT count(*)::float8 AS df FROM (
    SELECT 1 FROM chunks c WHERE c.agent_id = $1 AND c.ts_config = q.ts_config AND c.tsv @@ t.term LIMIT ${DF_COUNT_CAP}
  ) m) d
  GROUP BY q.ts_config
),
fts AS (
  SELECT id, share, row_number() OVER (ORDER BY share DESC, rank DESC, id)::int AS r FROM (
    SELECT m.* FROM queries q JOIN idf w ON w.ts_config = q.ts_config CROSS JOIN LATERAL (
      SELECT k.id, ts_rank_cd(k.tsv, q.any_term) AS rank,
             q.weight * ((SELECT sum(x.w) FROM unnest(w.terms, w.idfs) AS x(t, w) WHERE k.tsv @@ x.t)
               + ${TITLE_BOOST} * coalesce((SELECT sum(x.w) FROM unnest(w.terms, w.idfs) AS x(t, w) WHERE k.head_tsv @@ x.t), 0))
               / nullif((1 + ${TITLE_BOOST}) * w.present, 0) AS share
      FROM (
        SELECT c.id, c.tsv, ts_filter(c.tsv, '{a,b}') AS head_tsv FROM chunks c JOIN sources s ON s.id = c.source_id
        WHERE c.agent_id = $1 AND c.ts_config = q.ts_config AND c.tsv @@ w.pool_term AND s.enabled AND s.type <> 'short_answer'
          AND NOT EXISTS (SELECT 1 FROM sources p WHERE p.id = s.parent_id AND NOT p.enabled)
        ORDER BY ts_rank(c.tsv, q.any_term) DESC, c.id
        LIMIT CASE WHEN $7::float8 > 0 THEN greatest(${FTS_POOL_MIN}, $5 * ${FTS_POOL_FACTOR}) ELSE 0 END
      ) k
      ORDER BY share DESC, rank DESC LIMIT $5
    ) m
    ORDER BY m.share DESC, m.rank DESC LIMIT $5
  ) x
),
vec AS (
  SELECT id, r,
         greatest(0, least(1, ((max(dist) FILTER (WHERE r <= 10) OVER ()) - (min(dist) OVER ()) - ${SPREAD_FLOOR}) / ${SPREAD_RANGE}))::float8 AS lift
  FROM (
    SELECT id, dist, row_number() OVER (ORDER BY dist, id)::int AS r FROM (
      SELECT c.id, c.embedding <=> $2::vector AS dist
      FROM chunks c JOIN sources s ON s.id = c.source_id
      WHERE c.agent_id = $1 AND s.enabled AND s.type <> 'short_answer'
        AND NOT EXISTS (SELECT 1 FROM sources p WHERE p.id = s.parent_id AND NOT p.enabled)
      ORDER BY c.embedding <=> $2::vector LIMIT CASE WHEN $8::float8 > 0 THEN $5 ELSE 0 END
    ) v0
  ) v
),
fused AS (
  SELECT coalesce(f.id, v.id) AS id, f.r AS fts_rank, v.r AS vec_rank,
         ($7::float8 * coalesce(f.share / (${RRF_K} + f.r), 0) + $8::float8 * coalesce(CASE WHEN $7::float8 > 0 THEN v.lift ELSE 1 END / (${RRF_K} + v.r), 0))::float8 AS score
  FROM fts f FULL JOIN vec v ON v.id = f.id
  ORDER BY score DESC, id LIMIT $4
)
SELECT c.id, c.source_id, c.title, s.url, s.kind, c.heading, c.location, c.text, c.language,
       f.score, f.fts_rank, f.vec_rank,
       greatest(0, least(1, 1 - (c.embedding <=> $2::vector)))::float8 AS similarity,
       coalesce((SELECT count(*) FROM unnest(q.terms) t WHERE c.tsv @@ t)::float8 / nullif(cardinality(q.terms), 0), 0)
         AS coverage,
       coalesce((SELECT sum(x.w) FROM unnest(w.terms, w.idfs) AS x(t, w) WHERE c.tsv @@ x.t)
         / nullif(w.idf_sum, 0), 0)::float8 AS weighted_coverage
FROM fused f
JOIN chunks c ON c.id = f.id
JOIN sources s ON s.id = c.source_id
JOIN queries q ON q.ts_config = c.ts_config
LEFT JOIN idf w ON w.ts_config = c.ts_config
ORDER BY f.score DESC, c.id`;

/**
 * Lexemes that mean nothing on their own in a short question: single letters ('e' of "e-mail") and the
 * English contraction tails the parser splits off and no stop list drops ("I'd" → 'd', "we've" → 've').
 * A question's term that no short answer has weighs the most by idf, so "I'd like to …" would otherwise
 * count as a subject the phrasing lacks. Digits stay: '7' names a model.
 */
const noiseFree = (lexeme: string) => `${lexeme} !~ '^([[:alpha:]]|ll|re|ve)$'`;

/*
 * Short answers, apart from the fused lists (their chunks are phrasings, not content): the phrasings of
 * the agent's enabled short answers nearest by embedding or sharing a term with the question, each with
 * its similarity and term coverage in both directions, measured on the phrasing alone. $1 agent,
 * $2 query vector, $3 query text, $4 nearest phrasings by embedding, $5 by text, $6 the query's ts_config,
 * $7 the bridged query (as $9 above), $8 the vector of its English gloss (null when there is none).
 * Query terms are those of the article query, noise dropped.
 *
 * A question asked in one language may mean the same as a short answer stored in another (a Danish shop's
 * curated answers are often English): the English gloss's vector stands for the question against an
 * English phrasing (the mean vector the articles get half reads the question's own surface form), and
 * bridged terms count fully (SHORT_ANSWER_BRIDGED_WEIGHT), so such a match is judged as an English
 * question's would be. A short answer in the customer's own language still wins when both exist: its
 * words match exactly, and the lead over the next best holds back two equally good ones.
 *
 * stored, stored_lexemes: the agent's enabled short answers, and the lexemes of each (all its phrasings).
 * idf, phrasing_idf: the rarity of each query term and of each candidate phrasing's lexeme among the
 *   stored short answers (BM25's idf, as for articles, over short answers instead of chunks): a word
 *   that sets one stored question apart ('strikethrough') tells more than one they all share (the
 *   product's name). Counted among the short answers, which are few: counting among all the agent's
 *   chunks, as the article query does, doubled the short-answer query's time on 430 chunks and made it
 *   ten times slower on 3,000 (PGlite).
 * phrasings: each candidate's own lexemes (its text alone: a chunk's tsv also holds the title, which
 *   for an alternate is the main question), noise dropped as for the query.
 * coverage / reverse_coverage: the share of the question's terms in the phrasing and of the phrasing's
 *   lexemes in the question; weighted_*: the same shares weighted by idf. loose_coverage /
 *   loose_reverse_coverage: the weighted shares with a term found in the phrasing or in the short
 *   answer's answer, and by a lexeme beginning with its first LOOSE_PREFIX letters (knowledge/short-answers.ts
 *   says why). All scaled by the language weight, as for articles.
 */
/** Exported for bench/short-answers.ts, which calibrates the match on these rows. */
export const SHORT_ANSWER_SQL = `${queryTermsCte('$7', noiseFree, SHORT_ANSWER_BRIDGED_WEIGHT)},
stored AS MATERIALIZED (
  SELECT c.id, c.ts_config, c.source_id, c.tsv, c.embedding <=> $2::vector AS dist
  FROM sources s JOIN chunks c ON c.source_id = s.id
  WHERE s.agent_id = $1 AND s.type = 'short_answer' AND s.enabled
),
stored_count AS (
  SELECT ts_config, count(DISTINCT source_id)::float8 AS total FROM stored GROUP BY ts_config
),
stored_lexemes AS (
  SELECT DISTINCT st.ts_config, st.source_id, x.lexeme FROM stored st CROSS JOIN LATERAL unnest(tsvector_to_array(st.tsv)) AS x(lexeme)
),
idf AS (
  SELECT q.ts_config, array_agg(t.term ORDER BY t.i) AS terms, array_agg(t.loose ORDER BY t.i) AS loose_terms,
         array_agg(ln(1 + (n.total - d.df + 0.5) / (d.df + 0.5)) ORDER BY t.i) AS idfs
  FROM queries q
  JOIN stored_count n ON n.ts_config = q.ts_config
  CROSS JOIN LATERAL unnest(q.terms, q.loose_terms) WITH ORDINALITY AS t(term, loose, i)
  CROSS JOIN LATERAL (SELECT count(DISTINCT st.source_id)::float8 AS df FROM stored st WHERE st.ts_config = q.ts_config AND st.tsv @@ t.term) d
  GROUP BY q.ts_config
),
candidates AS (
  (SELECT st.id FROM stored st ORDER BY st.dist, st.id LIMIT $4)
  UNION
  (SELECT st.id FROM queries q JOIN stored st ON st.ts_config = q.ts_config
   WHERE st.tsv @@ q.any_term
   ORDER BY q.weight DESC, ts_rank_cd(st.tsv, q.any_term) DESC, st.id LIMIT $5)
),
phrasings AS (
  SELECT k.id, c.ts_config, v.tsv, array(SELECT l FROM unnest(tsvector_to_array(v.tsv)) l WHERE ${noiseFree('l')}) AS lexemes,
         to_tsvector(c.ts_config, coalesce(s.metadata->'shortAnswer'->>'answer', '')) AS answer_tsv
  FROM candidates k JOIN chunks c ON c.id = k.id JOIN sources s ON s.id = c.source_id
  CROSS JOIN LATERAL (SELECT to_tsvector(c.ts_config, c.text) AS tsv) v
),
phrasing_idf AS (
  SELECT n.ts_config, n.lexeme, ln(1 + (t.total - count(st.source_id) + 0.5) / (count(st.source_id) + 0.5)) AS idf
  FROM (SELECT DISTINCT p.ts_config, x.lexeme FROM phrasings p CROSS JOIN LATERAL unnest(p.lexemes) AS x(lexeme)) n
  JOIN stored_count t ON t.ts_config = n.ts_config
  LEFT JOIN stored_lexemes st ON st.ts_config = n.ts_config AND st.lexeme = n.lexeme
  GROUP BY n.ts_config, n.lexeme, t.total
)
SELECT c.id, c.source_id, c.text AS phrasing, c.language, s.title, s.url, s.kind,
       s.metadata->'shortAnswer'->>'question' AS question, s.metadata->'shortAnswer'->>'answer' AS answer,
       greatest(0, least(1, 1 - (c.embedding <=> CASE WHEN $8::vector IS NOT NULL AND c.ts_config = 'english'::regconfig THEN $8::vector ELSE $2::vector END)))::float8
         AS similarity,
       coalesce(q.weight * (SELECT count(*) FROM unnest(q.terms) t WHERE p.tsv @@ t)::float8 / nullif(cardinality(q.terms), 0), 0)::float8
         AS coverage,
       coalesce(q.weight * (SELECT count(*) FROM unnest(p.lexemes) l WHERE l = ANY (q.lexemes))::float8
         / nullif(cardinality(p.lexemes), 0), 0)::float8 AS reverse_coverage,
       coalesce(q.weight * (SELECT sum(x.w) FROM unnest(w.terms, w.idfs) AS x(t, w) WHERE p.tsv @@ x.t)
         / nullif((SELECT sum(x) FROM unnest(w.idfs) x), 0), 0)::float8 AS weighted_coverage,
       coalesce(q.weight * (SELECT sum(x.w) FROM unnest(w.loose_terms, w.idfs) AS x(t, w) WHERE p.tsv @@ x.t OR p.answer_tsv @@ x.t)
         / nullif((SELECT sum(x) FROM unnest(w.idfs) x), 0), 0)::float8 AS loose_coverage,
       coalesce(q.weight * (SELECT sum(pi.idf) FROM unnest(p.lexemes) l JOIN phrasing_idf pi ON pi.ts_config = p.ts_config AND pi.lexeme = l
                            WHERE l = ANY (q.lexemes))
         / nullif((SELECT sum(pi.idf) FROM unnest(p.lexemes) l JOIN phrasing_idf pi ON pi.ts_config = p.ts_config AND pi.lexeme = l), 0), 0)::float8
         AS weighted_reverse_coverage,
       coalesce(q.weight * (SELECT sum(pi.idf) FROM unnest(p.lexemes) l JOIN phrasing_idf pi ON pi.ts_config = p.ts_config AND pi.lexeme = l
                            WHERE l = ANY (q.lexemes)
                               OR (length(l) >= ${LOOSE_PREFIX} AND left(l, ${LOOSE_PREFIX}) = ANY (SELECT left(ql, ${LOOSE_PREFIX}) FROM unnest(q.lexemes) ql WHERE length(ql) >= ${LOOSE_PREFIX})))
         / nullif((SELECT sum(pi.idf) FROM unnest(p.lexemes) l JOIN phrasing_idf pi ON pi.ts_config = p.ts_config AND pi.lexeme = l), 0), 0)::float8
         AS loose_reverse_coverage
FROM phrasings p
JOIN chunks c ON c.id = p.id
JOIN sources s ON s.id = c.source_id
JOIN queries q ON q.ts_config = c.ts_config
LEFT JOIN idf w ON w.ts_config = c.ts_config`;

const PASSAGES = preparedStatement('passages', SQL);
const SHORT_ANSWERS = preparedStatement('short_answers', SHORT_ANSWER_SQL);

export interface ShortAnswerRow extends Record<string, unknown> {
  id: string;
  source_id: string;
  phrasing: string;
  language: string;
  title: string;
  url: string | null;
  kind: string;
  question: string | null;
  answer: string | null;
  similarity: number;
  coverage: number;
  reverse_coverage: number;
  weighted_coverage: number;
  weighted_reverse_coverage: number;
  loose_coverage: number;
  loose_reverse_coverage: number;
}

interface Row extends Record<string, unknown> {
  id: string;
  source_id: string;
  title: string;
  url: string | null;
  kind: string;
  heading: string | null;
  location: string | null;
  text: string;
  language: string;
  score: number;
  fts_rank: number | null;
  vec_rank: number | null;
  similarity: number;
  coverage: number;
  weighted_coverage: number;
}

/** Which candidate lists are fused: both (the product), or one alone (for measuring each, in the bench). */
export type RetrievalMode = 'hybrid' | 'fulltext' | 'vector';

export interface RetrieverDeps {
  db: Db;
  embedder: Embedder;
  mode?: RetrievalMode;
  /**
   * Bridge the query into the other supported languages (knowledge/bridge.ts) so that chunks in another
   * language than the question's are found by meaning, not by coincidence. On by default; off to measure.
   */
  bridge?: boolean;
  /** Embed a bridged question's English gloss instead of its text; by default for English-centric embedders. */
  glossEmbedding?: boolean;
}

export function createRetriever({
  db, embedder, mode = 'hybrid', bridge = true, glossEmbedding = ENGLISH_CENTRIC_EMBEDDER.test(embedder.model),
}: RetrieverDeps): Retriever {
  const ftsWeight = mode === 'vector' ? 0 : 1;
  const vectorWeight = mode === 'fulltext' ? 0 : 1;
  return {
    async retrieve(query: RetrieveQuery): Promise<Passage[]> {
      const text = query.text.trim();
      if (!text) return [];
      const limit = Math.max(1, query.limit ?? DEFAULT_LIMIT);
      const candidates = Math.max(MIN_CANDIDATES, limit * CANDIDATE_FACTOR);
      const language = query.language ?? detectLanguage(text).language;
      // Full text reads the question without the words that only shape it ("how long does … take"); the embedder reads it whole.
      const terms = searchText(text);
      const bridged = bridge && language ? bridgeToOthers(terms, language, SUPPORTED_LANGUAGES) : {};
      const bridgeParam = JSON.stringify(Object.fromEntries(
        Object.entries(bridged).map(([lang, b]) => [tsConfigFor(lang), b.groups]),
      ));
      // Embed before taking a connection: on PGlite the only connection would otherwise idle meanwhile.
      const english = glossEmbedding && language && language !== 'en' ? bridgeQuery(text, 'en', language) : undefined;
      const { vector, gloss } = await queryVectors(embedder, text, english);
      if (!vector) throw new Error('the embedder returned no vector for the query');
      const tsConfig = language ? tsConfigFor(language) : null;
      const vectorParam = toVectorParam(vector);
      const { rows, shortAnswers } = await db.transaction(async (tx) => {
        // Iterative HNSW scans keep reading the graph until enough rows pass the agent/enabled filters.
        // No JIT: the planner's estimate for these CTEs (~500,000) is far above jit_above_cost, and a
        // PostgreSQL server built with LLVM spent 40–150 ms compiling each query that runs in 1–5 ms.
        // The same statement asks whether the agent has short answers: planning their query alone took
        // 5–9 ms of a turn on PGlite (measured, demo agent, which has none), more than running it.
        const { rows: [settings] } = await tx.query<{ short_answers: boolean }>(
          `SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', $1, true), set_config('jit', 'off', true),
                  EXISTS (SELECT 1 FROM sources WHERE agent_id = $2 AND type = 'short_answer' AND enabled) AS short_answers`,
          [String(Math.max(40, candidates)), query.agentId],
        );
        const res = await tx.query<Row>(PASSAGES, [
          query.agentId, vectorParam, terms, limit, candidates, tsConfig, ftsWeight, vectorWeight, bridgeParam,
        ]);
        const sa = mode === 'hybrid' && settings?.short_answers
          ? await tx.query<ShortAnswerRow>(SHORT_ANSWERS, [
            query.agentId, vectorParam, terms, SHORT_ANSWER_CANDIDATES, SHORT_ANSWER_CANDIDATES, tsConfig, bridgeParam,
            gloss ? toVectorParam(gloss) : null,
          ])
          : { rows: [] };
        return { rows: res.rows, shortAnswers: sa.rows };
      });
      return [...bestShortAnswers(shortAnswers), ...rows.map(toPassage)];
    },
  };
}

/** Embedders that read English only (the offline USE-lite): they get a bridged question's English gloss. */
const ENGLISH_CENTRIC_EMBEDDER = /universal-sentence-encoder/i;

/**
 * The query embedding. The offline embedder is English-centric: on a question in another language it ranks
 * that language's chunks by surface form, whatever they are about (a Danish password question is nearest
 * the Danish shipping article, cosine 0.89). A question bridged into English is therefore embedded as the
 * mean of its own text and its English gloss, which the embedder reads by meaning: the gloss finds the
 * English article, the text still finds the customer's own language's. A multilingual embedder gets the
 * question as written. The gloss's own vector is returned too, for English short answers (SHORT_ANSWER_SQL).
 */
async function queryVectors(embedder: Embedder, text: string, english: Bridged | undefined): Promise<{ vector?: number[]; gloss?: number[] }> {
  if (!english) {
    const [vector] = await embedder.embed([text]);
    return vector ? { vector } : {};
  }
  const [own, gloss] = await embedder.embed([text, english.gloss]);
  if (!own || !gloss) return {};
  const mean = own.map((x, i) => x + (gloss[i] ?? 0));
  const norm = Math.hypot(...mean) || 1;
  return { vector: mean.map((x) => x / norm), gloss };
}

/**
 * The best phrasing of each short answer, best match first, at most SHORT_ANSWERS_RETURNED. `score` puts
 * them on the fused scale (a match of 1 ranks like a first place in both lists); the graph judges them
 * by `shortAnswer.match` and by the best one's lead over the next (graphs/turn/nodes/decide.ts).
 */
function bestShortAnswers(rows: readonly ShortAnswerRow[]): Passage[] {
  const best = new Map<string, Passage>();
  for (const r of rows) {
    if (r.answer === null) continue;
    const match = shortAnswerMatch({
      similarity: r.similarity, looseCoverage: r.loose_coverage, looseReverseCoverage: r.loose_reverse_coverage,
    });
    const seen = best.get(r.source_id);
    if (seen && (seen.shortAnswer?.match ?? 0) >= match) continue;
    best.set(r.source_id, {
      chunkId: r.id,
      sourceId: r.source_id,
      title: r.title,
      ...(r.url ? { url: r.url } : {}),
      text: r.answer,
      language: r.language,
      score: (match * 2) / (RRF_K + 1),
      similarity: r.similarity,
      coverage: r.coverage,
      weightedCoverage: r.weighted_coverage,
      sourceKind: r.kind,
      shortAnswer: {
        question: r.question ?? r.title, phrasing: r.phrasing, reverseCoverage: r.reverse_coverage,
        weightedReverseCoverage: r.weighted_reverse_coverage,
        looseCoverage: r.loose_coverage, looseReverseCoverage: r.loose_reverse_coverage, match,
      },
    });
  }
  return [...best.values()]
    .sort((a, b) => (b.shortAnswer?.match ?? 0) - (a.shortAnswer?.match ?? 0) || a.sourceId.localeCompare(b.sourceId))
    .slice(0, SHORT_ANSWERS_RETURNED);
}

function toPassage(r: Row): Passage {
  return {
    chunkId: r.id,
    sourceId: r.source_id,
    title: r.title,
    ...(r.url ? { url: r.url } : {}),
    sourceKind: r.kind,
    ...(r.heading ? { heading: r.heading } : {}),
    ...(r.location ? { location: r.location } : {}),
    text: r.text,
    language: r.language,
    score: r.score,
    similarity: r.similarity,
    coverage: r.coverage,
    weightedCoverage: r.weighted_coverage,
    ...(r.fts_rank !== null ? { ftsRank: r.fts_rank } : {}),
    ...(r.vec_rank !== null ? { vectorRank: r.vec_rank } : {}),
  };
}
