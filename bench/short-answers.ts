/**
 * `npm run bench:short-answers`: how often a paraphrase gets the right short answer, on ../shared/data/stackfaq.
 * Every other thread's title is stored as a short answer (its question); each thread's crowd paraphrases are
 * the questions. A paraphrase of a stored one should get it ("right"), never another ("wrong"); a question
 * about a thread not stored should get none ("given, none stored"). Printed for the product's match at the
 * graph's threshold, and for candidate scorings (cosine + coverages, given only with a lead over the
 * runner-up) to show the trade-off a new calibration must beat. Asserts nothing.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../db/agents.js';
import { openDb } from '../db/open.js';
import { toVectorParam } from '../db/vector-type.js';
import { DEFAULT_THRESHOLDS } from '../graphs/turn/relevance.js';
import { createEmbedder } from '../knowledge/embedders/index.js';
import { ingestSource } from '../knowledge/ingest.js';
import { SHORT_ANSWER_SQL, type ShortAnswerRow } from '../knowledge/retrieve.js';
import { shortAnswerBlocks, shortAnswerMatch, shortAnswerMetadata } from '../knowledge/short-answers.js';
import { loadConfig } from '../workers/config.js';

const DATA = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data'), 'stackfaq');

interface Doc { id: string; title: string; text: string }
interface Question { id: string; question: string; gold_doc_ids: string[] }

const readJsonl = async <T>(f: string) => (await readFile(f, 'utf8')).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);

export interface Candidate { sourceId: string; similarity: number; coverage: number; reverseCoverage: number }
export interface Case { positive: boolean; gold: string | undefined; candidates: Candidate[] }

/** The previous match: 0.4 × cosine scaled from 0.45..0.9, 0.6 × harmonic mean of both coverages. */
function previousMatch(c: Candidate): number {
  const sim = Math.min(1, Math.max(0, (c.similarity - 0.45) / 0.45));
  const f = c.coverage + c.reverseCoverage > 0 ? (2 * c.coverage * c.reverseCoverage) / (c.coverage + c.reverseCoverage) : 0;
  return 0.4 * sim + 0.6 * f;
}

export async function collect(): Promise<Case[]> {
  const docs = await readJsonl<Doc>(join(DATA, 'documents.jsonl'));
  const questions = await readJsonl<Question>(join(DATA, 'questions.jsonl'));
  const config = loadConfig({ ...process.env, DEMO: 'false' });
  const embedder = createEmbedder(config);
  const db = await openDb({ memory: true, embeddingDimensions: embedder.dimensions });
  try {
    const agent = await createAgent(db, { name: 'bench short answers', defaultLanguage: 'en' });
    const docOf = new Map<string, string>();
    for (const d of docs.filter((_, i) => i % 2 === 0)) {
      const content = { question: d.title, answer: d.text.slice(0, 400) };
      const { id } = await ingestSource(db, embedder, {
        agentId: agent.id, type: 'short_answer', kind: 'short_answer', title: d.title,
        blocks: shortAnswerBlocks(content), metadata: { ...shortAnswerMetadata(content) },
      });
      docOf.set(id, d.id);
    }
    const stored = new Set(docOf.values());
    const cases: Case[] = [];
    for (const [i, q] of questions.entries()) {
      const [vector] = await embedder.embed([q.question.trim()]);
      const { rows } = await db.query<ShortAnswerRow>(SHORT_ANSWER_SQL, [agent.id, toVectorParam(vector!), q.question, 10, 10, 'english', '{}']);
      const best = new Map<string, Candidate>();
      for (const r of rows) {
        const c = { sourceId: docOf.get(r.source_id) ?? r.source_id, similarity: r.similarity, coverage: r.coverage, reverseCoverage: r.reverse_coverage };
        const seen = best.get(c.sourceId);
        if (!seen || previousMatch(c) > previousMatch(seen)) best.set(c.sourceId, c);
      }
      const gold = q.gold_doc_ids.find((g) => stored.has(g));
      cases.push({ positive: gold !== undefined, gold, candidates: [...best.values()] });
      if (i % 200 === 199) process.stderr.write(`questions: ${i + 1}/${questions.length}\n`);
    }
    return cases;
  } finally {
    await db.close();
  }
}

/** [right, wrong, given with none stored] shares at `threshold` for a scoring of each question's candidates. */
export function rates(cases: readonly Case[], score: (c: Candidate, all: readonly Candidate[]) => number, threshold: number) {
  let right = 0; let wrong = 0; let falsePositive = 0;
  for (const k of cases) {
    const scored = k.candidates.map((c) => ({ c, s: score(c, k.candidates) })).sort((a, b) => b.s - a.s);
    const top = scored[0];
    if (!top || top.s < threshold) continue;
    if (!k.positive) falsePositive++;
    else if (top.c.sourceId === k.gold) right++;
    else wrong++;
  }
  const pos = cases.filter((k) => k.positive).length;
  return { right: right / pos, wrong: wrong / pos, falsePositive: falsePositive / (cases.length - pos) };
}

/** A candidate scoring under study: cosine plus weighted coverages, given only with a lead over the runner-up. */
function marginScore(margin: number) {
  const f = (c: Candidate) => c.similarity + 0.6 * c.coverage + 0.3 * c.reverseCoverage;
  return (c: Candidate, all: readonly Candidate[]) => {
    const runnerUp = Math.max(-1, ...all.filter((o) => o !== c).map(f));
    return f(c) - runnerUp >= margin ? f(c) : 0;
  };
}

async function main(): Promise<void> {
  const cases = await collect();
  const t = DEFAULT_THRESHOLDS.shortAnswerMin;
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  const row = (label: string, r: ReturnType<typeof rates>) =>
    console.log(`  ${label.padEnd(36)} ${pct(r.right).padStart(7)} ${pct(r.wrong).padStart(7)} ${pct(r.falsePositive).padStart(19)}`);
  const top1 = cases.filter((k) => k.positive && [...k.candidates].sort((a, b) => previousMatch(b) - previousMatch(a))[0]?.sourceId === k.gold).length;
  console.log(`stackfaq short answers: ${cases.filter((k) => k.positive).length} paraphrases of a stored question, ${cases.filter((k) => !k.positive).length} questions with none stored`);
  console.log(`  the right short answer is the best-matching candidate for ${pct(top1 / cases.filter((k) => k.positive).length)} of paraphrases`);
  console.log(`  ${'scoring'.padEnd(36)} ${'right'.padStart(7)} ${'wrong'.padStart(7)} ${'given, none stored'.padStart(19)}`);
  row(`product match ≥ ${t} (graph threshold)`, rates(cases, (c) => shortAnswerMatch(c), t));
  row(`previous match ≥ ${t}`, rates(cases, previousMatch, t));
  for (const margin of [0, 0.1, 0.2]) {
    for (const threshold of [1.0, 1.2, 1.3]) row(`cos+cov, lead ≥ ${margin}, score ≥ ${threshold}`, rates(cases, marginScore(margin), threshold));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
