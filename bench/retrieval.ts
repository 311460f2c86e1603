/**
 * `npm run bench:retrieval [-- --set stackfaq|xquad --limit N --cache-embeddings]`: retrieval quality on the
 * public sets in ../shared/data. Each set (each xquad language on its own agent, so a question is searched
 * within its language) is ingested through the product's own ingestion into PGlite, and into PostgreSQL too
 * when BENCH_DATABASE_URL is set. Prints recall@1/5/10, MRR@10 and nDCG@10 for full text only, vector only
 * and hybrid next to plain BM25 computed in the same run on the same documents, plus query latency.
 * Asserts nothing: the figures are read by people.
 *
 * --limit N keeps N questions per set (per language for xquad), spread evenly; documents are always all
 * ingested, so a quick run ranks among as many documents as a full one.
 * On stackfaq it also measures short answers (every other thread's title stored as one): how often a
 * paraphrase gets the right one, a wrong one, and how often a question gets one though none is stored.
 * --skip-short-answers leaves that out.
 * --cache-embeddings keeps document embeddings on disk between runs (keyed by model and text), for tuning
 * loops; never use it to judge an embedder's speed.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAgent } from '../db/agents.js';
import { openDb } from '../db/open.js';
import type { Db } from '../db/types.js';
import { createEmbedder } from '../knowledge/embedders/index.js';
import { ingestSource } from '../knowledge/ingest.js';
import { DEFAULT_THRESHOLDS } from '../graphs/turn/relevance.js';
import { bestShortAnswer } from '../graphs/turn/nodes/decide.js';
import { createRetriever, type RetrievalMode } from '../knowledge/retrieve.js';
import { shortAnswerBlocks, shortAnswerMetadata } from '../knowledge/short-answers.js';
import type { Embedder } from '../knowledge/types.js';
import { loadConfig } from '../workers/config.js';
import { cachingEmbedder } from './embedding-cache.js';
import { createBm25, distinctInOrder, evenSample, scoreRanking, summarize, type QuestionScore, type Summary } from './retrieval-metrics.js';
import { fmt, percentile } from './stats.js';
import { progress, progressDone, readJsonl } from './progress.js';

const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const SETS = ['stackfaq', 'xquad'] as const;
const MODES: readonly RetrievalMode[] = ['fulltext', 'vector', 'hybrid'];
const MODE_LABEL: Record<RetrievalMode | 'bm25', string> = {
  bm25: 'BM25 baseline', fulltext: 'full text only', vector: 'vector only', hybrid: 'hybrid',
};
/** Passages asked per question: enough that ten distinct documents remain after folding chunks. */
const PASSAGES_PER_QUESTION = 20;

const Document = z.object({ id: z.string(), title: z.string(), text: z.string(), lang: z.string(), url: z.string().optional() });
const Question = z.object({ id: z.string(), question: z.string(), gold_doc_ids: z.array(z.string()), lang: z.string() });
type Document = z.infer<typeof Document>;
type Question = z.infer<typeof Question>;

interface Group {
  set: string;
  lang: string;
  docs: Document[];
  questions: Question[];
}

interface Row {
  label: string;
  summary: Summary;
  p50: number;
  p95: number;
}


async function loadGroups(set: string, limit: number | undefined): Promise<Group[]> {
  const dir = join(DATA_DIR, set);
  const docs = await readJsonl(join(dir, 'documents.jsonl'), Document);
  const questions = await readJsonl(join(dir, 'questions.jsonl'), Question);
  const langs = [...new Set(docs.map((d) => d.lang))];
  return langs.map((lang) => {
    const own = questions.filter((q) => q.lang === lang);
    return { set, lang, docs: docs.filter((d) => d.lang === lang), questions: limit ? evenSample(own, limit) : own };
  });
}

/** Ingests the group's documents as one agent; returns the agent and source id → document id. */
async function ingestGroup(db: Db, embedder: Embedder, g: Group, dbLabel: string, agentIds: string[]) {
  const agent = await createAgent(db, { name: `bench ${g.set} ${g.lang}`, defaultLanguage: g.lang });
  agentIds.push(agent.id);
  const docOf = new Map<string, string>();
  const started = performance.now();
  let chunks = 0;
  for (const [i, d] of g.docs.entries()) {
    const { id, chunks: n } = await ingestSource(db, embedder, {
      agentId: agent.id, type: 'text', title: d.title, content: d.text, ...(d.url ? { url: d.url } : {}),
    });
    docOf.set(id, d.id);
    chunks += n;
    if (i % 10 === 9 || i === g.docs.length - 1) {
      progress(`[${dbLabel}] ingesting ${g.set}/${g.lang}: ${i + 1}/${g.docs.length} documents, ${chunks} chunks, ${fmt((performance.now() - started) / 1000)} s`);
    }
  }
  progressDone();
  return { agentId: agent.id, docOf, chunks, seconds: (performance.now() - started) / 1000 };
}

/** Query vectors computed once, one call per question as in a turn; the embedding latency is reported on its own. */
async function embedQuestions(embedder: Embedder, g: Group): Promise<{ vectors: Map<string, number[]>; ms: number[] }> {
  const vectors = new Map<string, number[]>();
  const ms: number[] = [];
  for (const [i, q] of g.questions.entries()) {
    const t = performance.now();
    const [v] = await embedder.embed([q.question.trim()]);
    ms.push(performance.now() - t);
    vectors.set(q.question.trim(), v!);
    if (i % 50 === 49 || i === g.questions.length - 1) progress(`embedding ${g.set}/${g.lang} questions: ${i + 1}/${g.questions.length}`);
  }
  progressDone();
  return { vectors, ms };
}

function fixedEmbedder(inner: Embedder, vectors: Map<string, number[]>): Embedder {
  return {
    dimensions: inner.dimensions,
    model: inner.model,
    embed: async (texts) => Promise.all(texts.map(async (t) => vectors.get(t) ?? (await inner.embed([t]))[0]!)),
  };
}

async function measureMode(db: Db, embedder: Embedder, g: Group, agentId: string, docOf: Map<string, string>, mode: RetrievalMode, dbLabel: string): Promise<Row> {
  const retriever = createRetriever({ db, embedder, mode });
  const scores: QuestionScore[] = [];
  const ms: number[] = [];
  for (const [i, q] of g.questions.entries()) {
    const t = performance.now();
    const passages = await retriever.retrieve({ agentId, text: q.question, limit: PASSAGES_PER_QUESTION });
    ms.push(performance.now() - t);
    const ranked = distinctInOrder(passages.map((p) => docOf.get(p.sourceId) ?? p.sourceId)).slice(0, 10);
    scores.push(scoreRanking(ranked, q.gold_doc_ids));
    if (i % 50 === 49 || i === g.questions.length - 1) progress(`[${dbLabel}] ${g.set}/${g.lang} ${MODE_LABEL[mode]}: ${i + 1}/${g.questions.length} questions`);
  }
  progressDone();
  return { label: MODE_LABEL[mode], summary: summarize(scores), p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

interface ShortAnswerFigures {
  stored: number;
  positives: number;
  negatives: number;
  /**
   * [threshold, right short answer given to a paraphrase, wrong one given to it, one given though none is
   * stored], each with the graph's lead over the next-best short answer.
   */
  sweep: [number, number, number, number][];
  p50: number;
  p95: number;
}

/**
 * Short answers on stackfaq: every other thread's title becomes a short answer's question. Its crowd
 * paraphrases should get that short answer; questions about the other threads (stored nowhere as a
 * short answer) should get none. Reported at the graph's threshold and around it, always with the graph's
 * lead over the next-best short answer (graphs/turn/nodes/decide.ts).
 */
async function measureShortAnswers(db: Db, docEmbedder: Embedder, queryEmbedder: Embedder, g: Group, dbLabel: string, agentIds: string[]): Promise<ShortAnswerFigures> {
  const agent = await createAgent(db, { name: `bench ${g.set} short answers`, defaultLanguage: g.lang });
  agentIds.push(agent.id);
  const storedDocs = g.docs.filter((_, i) => i % 2 === 0);
  const docOf = new Map<string, string>();
  for (const [i, d] of storedDocs.entries()) {
    const content = { question: d.title, answer: d.text.slice(0, 400) };
    const { id } = await ingestSource(db, docEmbedder, {
      agentId: agent.id, type: 'short_answer', kind: 'short_answer', title: d.title,
      blocks: shortAnswerBlocks(content), metadata: { ...shortAnswerMetadata(content) },
    });
    docOf.set(id, d.id);
    if (i % 10 === 9 || i === storedDocs.length - 1) progress(`[${dbLabel}] storing short answers: ${i + 1}/${storedDocs.length}`);
  }
  progressDone();
  const stored = new Set(storedDocs.map((d) => d.id));
  const retriever = createRetriever({ db, embedder: queryEmbedder });
  const outcomes: { match: number; lead: number; right: boolean; positive: boolean }[] = [];
  const ms: number[] = [];
  for (const [i, q] of g.questions.entries()) {
    const t = performance.now();
    const passages = await retriever.retrieve({ agentId: agent.id, text: q.question, limit: 1 });
    ms.push(performance.now() - t);
    const best = bestShortAnswer(passages);
    const positive = q.gold_doc_ids.some((id) => stored.has(id));
    outcomes.push({
      match: best?.match ?? 0, lead: best?.lead ?? 0, right: !!best && q.gold_doc_ids.includes(docOf.get(best.passage.sourceId) ?? ''), positive,
    });
    if (i % 50 === 49 || i === g.questions.length - 1) progress(`[${dbLabel}] ${g.set} short answers: ${i + 1}/${g.questions.length} questions`);
  }
  progressDone();
  const positives = outcomes.filter((o) => o.positive);
  const negatives = outcomes.filter((o) => !o.positive);
  const share = (n: number, of: number) => (of ? n / of : Number.NaN);
  const thresholds = [...new Set([0.4, 0.5, DEFAULT_THRESHOLDS.shortAnswerMin, 0.6, 0.7])].sort((a, b) => a - b);
  const given = (o: (typeof outcomes)[number], t: number) => o.match >= t && o.lead >= DEFAULT_THRESHOLDS.shortAnswerLead;
  return {
    stored: storedDocs.length,
    positives: positives.length,
    negatives: negatives.length,
    sweep: thresholds.map((t) => [
      t,
      share(positives.filter((o) => given(o, t) && o.right).length, positives.length),
      share(positives.filter((o) => given(o, t) && !o.right).length, positives.length),
      share(negatives.filter((o) => given(o, t)).length, negatives.length),
    ]),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
  };
}

function printShortAnswers(title: string, f: ShortAnswerFigures): void {
  console.log(`\n${title}: ${f.stored} stored; ${f.positives} paraphrases of a stored question, ${f.negatives} questions with none stored`);
  console.log(`  (given when the best short answer leads the next by ≥ ${DEFAULT_THRESHOLDS.shortAnswerLead}, as in the graph)`);
  console.log(`  ${'match ≥'.padEnd(10)} ${'right given'.padStart(12)} ${'wrong given'.padStart(12)} ${'given, none stored'.padStart(19)}`);
  for (const [t, right, wrong, falsePositive] of f.sweep) {
    const mark = t === DEFAULT_THRESHOLDS.shortAnswerMin ? ' ← the graph\'s threshold' : '';
    console.log(`  ${t.toFixed(2).padEnd(10)} ${f3(right).padStart(12)} ${f3(wrong).padStart(12)} ${f3(falsePositive).padStart(19)}${mark}`);
  }
  console.log(`  retrieval with short answers p50/p95: ${fmt(f.p50, 2)}/${fmt(f.p95, 2)} ms`);
}

function measureBm25(g: Group): Row {
  const bm25 = createBm25(g.docs.map((d) => ({ id: d.id, text: `${d.title} ${d.text}` })));
  const scores: QuestionScore[] = [];
  const ms: number[] = [];
  for (const q of g.questions) {
    const t = performance.now();
    const ranked = bm25.search(q.question, 10);
    ms.push(performance.now() - t);
    scores.push(scoreRanking(ranked, q.gold_doc_ids));
  }
  return { label: MODE_LABEL.bm25, summary: summarize(scores), p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3).replace(/^0/, '') : 'n/a');
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(3)}`;

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log(`  ${'method'.padEnd(16)} ${['R@1', 'R@5', 'R@10', 'MRR@10', 'nDCG@10'].map((h) => h.padStart(7)).join(' ')}   ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)}`);
  for (const r of rows) {
    const s = r.summary;
    console.log(`  ${r.label.padEnd(16)} ${[s.r1, s.r5, s.r10, s.mrr10, s.ndcg10].map((n) => f3(n).padStart(7)).join(' ')}   ${fmt(r.p50, 2).padStart(7)} ${fmt(r.p95, 2).padStart(7)}`);
  }
  const bm25 = rows.find((r) => r.label === MODE_LABEL.bm25)?.summary.mrr10;
  const hybrid = rows.find((r) => r.label === MODE_LABEL.hybrid)?.summary.mrr10;
  if (bm25 !== undefined && hybrid !== undefined) console.log(`  hybrid − BM25, MRR@10: ${signed(hybrid - bm25)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', multiple: true },
      limit: { type: 'string' },
      'cache-embeddings': { type: 'boolean', default: false },
      'skip-short-answers': { type: 'boolean', default: false },
    },
  });
  const sets = (values.set?.length ? values.set : [...SETS]).flatMap((s) => s.split(','));
  for (const s of sets) if (!SETS.includes(s as (typeof SETS)[number])) throw new Error(`--set must be one of ${SETS.join(', ')}, not ${s}`);
  const limit = values.limit ? Number(values.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit must be a positive whole number, not ${values.limit}`);

  const config = loadConfig({ ...process.env, DEMO: 'false' });
  const live = createEmbedder(config);
  const docEmbedder = await cachingEmbedder(live, values['cache-embeddings']);
  const databases: { label: string; open: () => Promise<Db> }[] = [
    { label: 'PGlite', open: () => openDb({ memory: true, embeddingDimensions: live.dimensions }) },
  ];
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl) databases.push({ label: 'PostgreSQL', open: () => openDb({ databaseUrl: serverUrl, embeddingDimensions: live.dimensions }) });

  console.log(`customer-agent retrieval bench — embedder ${live.model} (${live.dimensions} d), databases: ${databases.map((d) => d.label).join(', ')}` +
    `${limit ? `, ${limit} questions per set and language` : ', all questions'}`);
  await live.embed(['warm up']);

  for (const set of sets) {
    for (const g of await loadGroups(set, limit)) {
      const bm25 = measureBm25(g);
      const queries = await embedQuestions(live, g);
      const queryEmbedder = fixedEmbedder(live, queries.vectors);
      for (const database of databases) {
        const db = await database.open();
        const agentIds: string[] = [];
        try {
          const ingested = await ingestGroup(db, docEmbedder, g, database.label, agentIds);
          const rows: Row[] = [bm25];
          for (const mode of MODES) rows.push(await measureMode(db, queryEmbedder, g, ingested.agentId, ingested.docOf, mode, database.label));
          printTable(
            `${g.set}${g.set === 'xquad' ? ` ${g.lang}` : ''} — ${database.label}: ${g.docs.length} documents → ${ingested.chunks} chunks ` +
              `(${fmt(ingested.chunks / ingested.seconds)} chunks/s), ${g.questions.length} questions; ` +
              `query embedding p50/p95 ${fmt(percentile(queries.ms, 50), 2)}/${fmt(percentile(queries.ms, 95), 2)} ms, latency columns exclude it`,
            rows,
          );
          if (g.set === 'stackfaq' && !values['skip-short-answers']) {
            const figures = await measureShortAnswers(db, docEmbedder, queryEmbedder, g, database.label, agentIds);
            printShortAnswers(`stackfaq short answers — ${database.label}`, figures);
          }
        } finally {
          // A server database is the operator's: leave it as found (agents cascade to sources and chunks).
          if (database.label === 'PostgreSQL') for (const id of agentIds) await db.query('DELETE FROM agents WHERE id = $1', [id]);
          await db.close();
        }
      }
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
