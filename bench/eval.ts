/**
 * `npm run eval [-- --set demo|stackfaq|xquad --limit N --all --cache-embeddings --verbose]`: what the offline agent
 * does with questions, a bench and not a test. The turn graph runs in-process (no Temporal) over PGlite
 * with the offline embedder and the extractive responder, on the public sets in ../shared/data, the demo
 * help centre with questions written for it (bench/eval-questions.ts), and questions written against a
 * passage that does not answer them. For every set it prints, for the current decision settings and for
 * the previous ones (BASELINE_THRESHOLDS, run in the same process on the same retrieval):
 *   answer / clarify / nothing found / not stated / handoff split, how often the first cited source is the
 *   right one, the reply language, how often the expected answer text is quoted (xquad), and on
 *   questions no passage answers, how often an answer is given anyway and the tempting span quoted.
 * Tune on these, but they are a sample of what customers ask, not the target. Large sets are sampled
 * evenly (deterministic) unless --all is given; documents are always all ingested.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAgent } from '../db/agents.js';
import { openDb } from '../db/open.js';
import type { Db } from '../db/types.js';
import { createTurnGraph, runTurn, type TurnGraph } from '../graphs/turn/graph.js';
import { Trigger } from '../graphs/turn/names.js';
import { BASELINE_THRESHOLDS, DEFAULT_THRESHOLDS, type Thresholds } from '../graphs/turn/relevance.js';
import { createExtractiveResponder } from '../graphs/turn/responders/extractive.js';
import type { TurnResult } from '../graphs/turn/state.js';
import { fold } from '../graphs/turn/words.js';
import { DEMO_AGENT_ID, loadDemo } from '../knowledge/demo/load.js';
import { createEmbedder } from '../knowledge/embedders/index.js';
import { ingestSource } from '../knowledge/ingest.js';
import { createRetriever } from '../knowledge/retrieve.js';
import type { Embedder, Passage, RetrieveQuery, Retriever } from '../knowledge/types.js';
import type { Turn } from '../workflows/conversation.contract.js';
import { loadConfig } from '../workers/config.js';
import { cachingEmbedder } from './embedding-cache.js';
import { DEMO_ADVERSARIAL, DEMO_PICKS, DEMO_QUESTIONS, XQUAD_ADVERSARIAL } from './eval-questions.js';
import { evenSample } from './retrieval-metrics.js';
import { progress, progressDone, readJsonl } from './progress.js';

const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const SETS = ['demo', 'stackfaq', 'xquad'] as const;
const DEFAULT_LIMITS: Record<string, number> = { stackfaq: 150, xquad: 60 };

const CONFIGS: { label: string; thresholds: Thresholds }[] = [
  { label: 'previous', thresholds: BASELINE_THRESHOLDS },
  { label: 'current', thresholds: DEFAULT_THRESHOLDS },
];

const Document = z.object({ id: z.string(), title: z.string(), text: z.string(), lang: z.string(), url: z.string().optional() });
const Question = z.object({ id: z.string(), question: z.string(), gold_doc_ids: z.array(z.string()), lang: z.string(), answer: z.string().optional() });
type Document = z.infer<typeof Document>;

type Outcome = 'answer' | 'clarify' | 'nothing found' | 'not stated' | 'handoff';
const OUTCOMES: Outcome[] = ['answer', 'clarify', 'nothing found', 'not stated', 'handoff'];

/** One question of a set: what would be right, in terms of the reply. */
interface Case {
  question: string;
  lang: string;
  agentId: string;
  history?: Turn[];
  /** Whether a reply's first source is a right one; absent when no source is right (clarify or none applies). */
  rightSource?: (source: { id: string; title: string }) => boolean;
  /** Text a right answer quotes (xquad's answer span). */
  answerText?: string;
  /** Text a wrong answer would quote (questions no passage answers). */
  tempting?: string;
}

interface Group {
  title: string;
  kind: 'answerable' | 'none applies' | 'picks';
  cases: Case[];
}

interface Tally {
  n: number;
  outcomes: Record<Outcome, number>;
  firstRight: number;
  languageRight: number;
  quoted: number;
  quotedOf: number;
  tempting: number;
}


/** Retrieval answered once per query, shared by both decision settings: the comparison is of the decision alone. */
function memoRetriever(inner: Retriever): Retriever {
  const memo = new Map<string, Promise<Passage[]>>();
  return {
    retrieve(query: RetrieveQuery) {
      const key = JSON.stringify([query.agentId, query.text, query.language ?? '', query.limit ?? 0]);
      let hit = memo.get(key);
      if (!hit) {
        hit = inner.retrieve(query);
        memo.set(key, hit);
      }
      return hit;
    },
  };
}

function outcomeOf(r: TurnResult): Outcome {
  if (r.reply.kind === 'answer') return 'answer';
  if (r.reply.kind === 'handoff') return 'handoff';
  if (r.insights.triggers.includes(Trigger.firstMiss)) return 'nothing found';
  if (r.insights.triggers.some((t) => t.startsWith(Trigger.notStated))) return 'not stated';
  return 'clarify';
}

const folded = (s: string) => fold(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

async function ingestDocs(db: Db, embedder: Embedder, name: string, lang: string, docs: Document[]) {
  const agent = await createAgent(db, { name, defaultLanguage: lang });
  const docOf = new Map<string, string>();
  for (const [i, d] of docs.entries()) {
    const { id } = await ingestSource(db, embedder, { agentId: agent.id, type: 'text', title: d.title, content: d.text, ...(d.url ? { url: d.url } : {}) });
    docOf.set(id, d.id);
    if (i % 20 === 19 || i === docs.length - 1) progress(`ingesting ${name}: ${i + 1}/${docs.length} documents`);
  }
  progressDone();
  return { agentId: agent.id, docOf };
}

async function publicGroups(db: Db, embedder: Embedder, set: 'stackfaq' | 'xquad', limit: number | undefined): Promise<Group[]> {
  const dir = join(DATA_DIR, set);
  const docs = await readJsonl(join(dir, 'documents.jsonl'), Document);
  const questions = await readJsonl(join(dir, 'questions.jsonl'), Question);
  const groups: Group[] = [];
  for (const lang of [...new Set(docs.map((d) => d.lang))]) {
    const { agentId, docOf } = await ingestDocs(db, embedder, `${set} ${lang}`, lang, docs.filter((d) => d.lang === lang));
    const own = questions.filter((q) => q.lang === lang);
    const sample = limit ? evenSample(own, limit) : own;
    groups.push({
      title: `${set}${set === 'xquad' ? ` ${lang}` : ''}`,
      kind: 'answerable',
      cases: sample.map((q) => ({
        question: q.question, lang, agentId,
        rightSource: (s) => q.gold_doc_ids.includes(docOf.get(s.id) ?? ''),
        ...(set === 'xquad' && q.answer ? { answerText: q.answer } : {}),
      })),
    });
    if (set === 'xquad' && lang === 'en') {
      groups.push({
        title: 'xquad en, none applies (written against a paragraph)',
        kind: 'none applies',
        cases: XQUAD_ADVERSARIAL.map((q) => ({ question: q.question, lang: q.lang, agentId, tempting: q.tempting })),
      });
    }
  }
  return groups;
}

function demoGroups(): Group[] {
  const agentId = DEMO_AGENT_ID;
  return [
    {
      title: 'demo (answerable)',
      kind: 'answerable',
      cases: DEMO_QUESTIONS.filter((q) => q.titles.length > 0).map((q) => ({ question: q.question, lang: q.lang, agentId, rightSource: (s) => q.titles.includes(s.title) })),
    },
    {
      title: 'demo (vague: a clarifying question helps)',
      kind: 'answerable',
      cases: DEMO_QUESTIONS.filter((q) => q.titles.length === 0).map((q) => ({ question: q.question, lang: q.lang, agentId })),
    },
    {
      title: 'demo, none applies (written against an article)',
      kind: 'none applies',
      cases: DEMO_ADVERSARIAL.map((q) => ({ question: q.question, lang: q.lang, agentId, tempting: q.tempting })),
    },
  ];
}

function ask(graph: TurnGraph, c: Case, text: string, history: Turn[], id: string): Promise<TurnResult> {
  return runTurn(graph, {
    agent: { id: c.agentId, name: 'Eval agent', defaultLanguage: 'en' },
    message: { id, text },
    history,
    missStreak: 0,
  });
}

function emptyTally(): Tally {
  return { n: 0, outcomes: { answer: 0, clarify: 0, 'nothing found': 0, 'not stated': 0, handoff: 0 }, firstRight: 0, languageRight: 0, quoted: 0, quotedOf: 0, tempting: 0 };
}

function count(t: Tally, c: Case, r: TurnResult): void {
  t.n++;
  const outcome = outcomeOf(r);
  t.outcomes[outcome]++;
  if (r.reply.language === c.lang) t.languageRight++;
  if (outcome !== 'answer') return;
  const first = r.reply.sources[0];
  const right = !!first && !!c.rightSource?.(first);
  if (right) t.firstRight++;
  if (c.answerText && right) {
    t.quotedOf++;
    if (folded(r.reply.text).includes(folded(c.answerText))) t.quoted++;
  }
  if (c.tempting && folded(r.reply.text).includes(folded(c.tempting))) t.tempting++;
}

let verbose = false;

/** One line per question for the current settings (--verbose), to see why a figure moved. */
function explain(c: Case, r: TurnResult): void {
  const first = r.reply.sources[0];
  const mark = outcomeOf(r) === 'answer' ? (first && c.rightSource?.(first) ? '✓' : '✗') : ' ';
  console.log(`    ${mark} ${outcomeOf(r).padEnd(13)} ${JSON.stringify(c.question)} → ${first?.title ?? ''} | ${r.insights.reason.slice(0, 160)}`);
}

async function runGroup(graphs: TurnGraph[], g: Group): Promise<Tally[]> {
  const tallies = graphs.map(emptyTally);
  for (const [i, c] of g.cases.entries()) {
    for (const [k, graph] of graphs.entries()) {
      const r = await ask(graph, c, c.question, c.history ?? [], `q${i}`);
      count(tallies[k]!, c, r);
      if (verbose && k === graphs.length - 1) explain(c, r);
    }
    if (i % 10 === 9 || i === g.cases.length - 1) progress(`${g.title}: ${i + 1}/${g.cases.length} questions`);
  }
  progressDone();
  return tallies;
}

/** Clarify-then-pick: when the first reply offers the topic, the customer answers with its title. */
async function runPicks(graphs: TurnGraph[]): Promise<{ offered: number; answeredFromPick: number; answeredAtOnce: number; n: number }[]> {
  const out = graphs.map(() => ({ offered: 0, answeredFromPick: 0, answeredAtOnce: 0, n: 0 }));
  for (const [i, p] of DEMO_PICKS.entries()) {
    const c: Case = { question: p.question, lang: p.lang, agentId: DEMO_AGENT_ID };
    for (const [k, graph] of graphs.entries()) {
      const o = out[k]!;
      o.n++;
      const first = await ask(graph, c, p.question, [], `p${i}`);
      if (first.reply.kind === 'answer') {
        o.answeredAtOnce++;
        continue;
      }
      if (!first.reply.text.includes(p.pick)) continue;
      o.offered++;
      const second = await ask(graph, c, p.pick, [{ role: 'customer', text: p.question }, { role: 'agent', text: first.reply.text }], `p${i}b`);
      if (second.reply.kind === 'answer' && second.reply.sources[0]?.title === p.pick && second.reply.text.includes(p.says)) o.answeredFromPick++;
      if (verbose && k === graphs.length - 1) console.log(`    pick ${JSON.stringify(p.question)} → ${JSON.stringify(p.pick)}: ${second.reply.text.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
  }
  return out;
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(0)}%` : 'n/a');

function printGroup(g: Group, tallies: Tally[]): void {
  console.log(`\n${g.title}: ${g.cases.length} questions`);
  const answerable = g.kind === 'answerable' && g.cases.some((c) => c.rightSource);
  const headers = [...OUTCOMES, ...(answerable ? ['1st src right', 'right/all'] : []), ...(g.cases.some((c) => c.answerText) ? ['span quoted'] : []),
    ...(g.kind === 'none applies' ? ['tempting quoted'] : []), 'language'];
  console.log(`  ${'settings'.padEnd(10)} ${headers.map((h) => h.padStart(14)).join('')}`);
  for (const [k, t] of tallies.entries()) {
    const cells = [
      ...OUTCOMES.map((o) => pct(t.outcomes[o], t.n)),
      ...(answerable ? [pct(t.firstRight, t.outcomes.answer), pct(t.firstRight, t.n)] : []),
      ...(g.cases.some((c) => c.answerText) ? [pct(t.quoted, t.quotedOf)] : []),
      ...(g.kind === 'none applies' ? [pct(t.tempting, t.n)] : []),
      pct(t.languageRight, t.n),
    ];
    console.log(`  ${CONFIGS[k]!.label.padEnd(10)} ${cells.map((c) => c.padStart(14)).join('')}`);
  }
  if (g.kind === 'none applies') {
    console.log(`  answered where none applies: ${tallies.map((t, k) => `${CONFIGS[k]!.label} ${pct(t.outcomes.answer, t.n)}`).join(', ')}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', multiple: true },
      limit: { type: 'string' },
      all: { type: 'boolean', default: false },
      'cache-embeddings': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  verbose = values.verbose;
  const sets = (values.set?.length ? values.set : [...SETS]).flatMap((s) => s.split(','));
  for (const s of sets) if (!SETS.includes(s as (typeof SETS)[number])) throw new Error(`--set must be one of ${SETS.join(', ')}, not ${s}`);
  const limit = values.limit ? Number(values.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new Error(`--limit must be a positive whole number, not ${values.limit}`);
  const limitFor = (set: string) => (values.all ? undefined : limit ?? DEFAULT_LIMITS[set]);

  const started = performance.now();
  const config = loadConfig({ ...process.env, DEMO: 'false' });
  const live = createEmbedder(config);
  const docEmbedder = await cachingEmbedder(live, values['cache-embeddings']);
  const db = await openDb({ memory: true, embeddingDimensions: live.dimensions });
  const retriever = memoRetriever(createRetriever({ db, embedder: live }));
  const responder = createExtractiveResponder();
  const graphs = CONFIGS.map(({ thresholds }) => createTurnGraph({ retriever, responder, clock: () => new Date(), thresholds }));
  console.log(`customer-agent eval — embedder ${live.model}, extractive responder; settings: ${CONFIGS.map((c) => c.label).join(' vs ')}` +
    `${values.all ? ', all questions' : `, sampled (${sets.filter((s) => s !== 'demo').map((s) => `${s} ${limitFor(s)}${s === 'xquad' ? ' per language' : ''}`).join(', ') || 'demo only'})`}`);
  try {
    for (const set of sets) {
      let groups: Group[];
      if (set === 'demo') {
        await loadDemo(db, docEmbedder, { onProgress: progress });
        progressDone();
        groups = demoGroups();
      } else {
        groups = await publicGroups(db, docEmbedder, set as 'stackfaq' | 'xquad', limitFor(set));
      }
      for (const g of groups) printGroup(g, await runGroup(graphs, g));
      if (set === 'demo') {
        const picks = await runPicks(graphs);
        console.log(`\ndemo, clarify then pick a topic: ${DEMO_PICKS.length} conversations`);
        for (const [k, p] of picks.entries()) {
          console.log(`  ${CONFIGS[k]!.label.padEnd(10)} answered at once ${p.answeredAtOnce}, topic offered ${p.offered}, answered the original question from the picked topic ${p.answeredFromPick}/${p.offered}`);
        }
      }
    }
  } finally {
    await db.close();
  }
  console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
