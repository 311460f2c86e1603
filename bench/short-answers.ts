/**
 * `npm run bench:short-answers`: how often a paraphrase gets the right short answer, on ../shared/data/stackfaq.
 * Every other thread's title is stored as a short answer (its question); each thread's crowd paraphrases are
 * the questions. A paraphrase of a stored one should get it ("right"), never another ("wrong"); a question
 * about a thread not stored should get none ("given, none stored"). Printed for the product's decision (match
 * at the graph's threshold, with the graph's lead over the next-best short answer), for the previous decision
 * (the phrasing's exact lexemes alone, threshold 0.56, lead 0.1) measured in the same run, and for the
 * product's match at other thresholds and leads, to show the trade-off a new calibration must beat.
 * Asserts nothing.
 * `-- --other-half` stores the odd threads instead: a check that a calibration chosen on the even half holds.
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

export interface Candidate {
  sourceId: string; similarity: number; coverage: number; reverseCoverage: number;
  weightedCoverage: number; weightedReverseCoverage: number; looseCoverage: number; looseReverseCoverage: number;
}
export interface Case { positive: boolean; gold: string | undefined; candidates: Candidate[] }

/** The match before issue 10, item 6: the phrasing's exact lexemes alone, not the answer's, nor words that begin alike. */
const previousMatch = (c: Candidate) => shortAnswerMatch({ ...c, looseCoverage: c.weightedCoverage, looseReverseCoverage: c.weightedReverseCoverage });
/** The previous graph's threshold and lead over the next-best short answer. */
const PREVIOUS = { min: 0.56, lead: 0.1 };

const productMatch = (c: Candidate) => shortAnswerMatch(c);

export async function collect(half: 0 | 1 = 0): Promise<Case[]> {
  const docs = await readJsonl<Doc>(join(DATA, 'documents.jsonl'));
  const questions = await readJsonl<Question>(join(DATA, 'questions.jsonl'));
  const config = loadConfig({ ...process.env, DEMO: 'false' });
  const embedder = createEmbedder(config);
  const db = await openDb({ memory: true, embeddingDimensions: embedder.dimensions });
  try {
    const agent = await createAgent(db, { name: 'bench short answers', defaultLanguage: 'en' });
    const docOf = new Map<string, string>();
    for (const d of docs.filter((_, i) => i % 2 === half)) {
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
      const { rows } = await db.query<ShortAnswerRow>(SHORT_ANSWER_SQL, [agent.id, toVectorParam(vector!), q.question, 10, 10, 'english', '{}', null]);
      const best = new Map<string, Candidate>();
      for (const r of rows) {
        const c: Candidate = {
          sourceId: docOf.get(r.source_id) ?? r.source_id, similarity: r.similarity, coverage: r.coverage, reverseCoverage: r.reverse_coverage,
          weightedCoverage: r.weighted_coverage, weightedReverseCoverage: r.weighted_reverse_coverage,
          looseCoverage: r.loose_coverage, looseReverseCoverage: r.loose_reverse_coverage,
        };
        // Each stackfaq short answer has one phrasing, so which phrasing is kept does not depend on the scoring.
        const seen = best.get(c.sourceId);
        if (!seen || productMatch(c) > productMatch(seen)) best.set(c.sourceId, c);
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

/**
 * [right, wrong, given with none stored] shares for a scoring of each question's candidates: the best is
 * given when it reaches `threshold` and leads the runner-up (or 0, alone) by at least `lead`.
 */
export function rates(cases: readonly Case[], score: (c: Candidate) => number, threshold: number, lead = 0) {
  let right = 0; let wrong = 0; let falsePositive = 0;
  for (const k of cases) {
    const [top, next] = k.candidates.map((c) => ({ c, s: score(c) })).sort((a, b) => b.s - a.s);
    if (!top || top.s < threshold || top.s - (next?.s ?? 0) < lead) continue;
    if (!k.positive) falsePositive++;
    else if (top.c.sourceId === k.gold) right++;
    else wrong++;
  }
  const pos = cases.filter((k) => k.positive).length;
  return { right: right / pos, wrong: wrong / pos, falsePositive: falsePositive / (cases.length - pos) };
}

/** Share of paraphrases whose own stored question is the best-scoring candidate. */
function rankFirst(cases: readonly Case[], score: (c: Candidate) => number): number {
  const positives = cases.filter((k) => k.positive);
  return positives.filter((k) => [...k.candidates].sort((a, b) => score(b) - score(a))[0]?.sourceId === k.gold).length / positives.length;
}

async function main(): Promise<void> {
  const otherHalf = process.argv.includes('--other-half');
  const cases = await collect(otherHalf ? 1 : 0);
  const { shortAnswerMin: t, shortAnswerLead: lead } = DEFAULT_THRESHOLDS;
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  const row = (label: string, r: ReturnType<typeof rates>) =>
    console.log(`  ${label.padEnd(44)} ${pct(r.right).padStart(7)} ${pct(r.wrong).padStart(7)} ${pct(r.falsePositive).padStart(19)}`);
  console.log(`stackfaq short answers (${otherHalf ? 'odd' : 'even'} threads stored): ${cases.filter((k) => k.positive).length} paraphrases of a stored question, ${cases.filter((k) => !k.positive).length} questions with none stored`);
  console.log(`  the right short answer is the best-matching candidate for ${pct(rankFirst(cases, productMatch))} of paraphrases ` +
    `(previous match: ${pct(rankFirst(cases, previousMatch))})`);
  console.log(`  ${'scoring'.padEnd(44)} ${'right'.padStart(7)} ${'wrong'.padStart(7)} ${'given, none stored'.padStart(19)}`);
  row(`product: match ≥ ${t}, lead ≥ ${lead} (the graph)`, rates(cases, productMatch, t, lead));
  row(`previous: phrasing alone ≥ ${PREVIOUS.min}, lead ≥ ${PREVIOUS.lead}`, rates(cases, previousMatch, PREVIOUS.min, PREVIOUS.lead));
  for (const l of [0.1, 0.15, 0.2, 0.25]) {
    for (const threshold of [0.36, 0.4, 0.45, 0.5, 0.56]) row(`match ≥ ${threshold}, lead ≥ ${l}`, rates(cases, productMatch, threshold, l));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
