/**
 * How retrieval latency grows with the knowledge base: one agent's generated help centre is grown in
 * steps, and after each step the same questions are asked of the hybrid retriever. The smallest size is
 * the baseline of the same run; each larger one prints its latency and the ratio to it.
 */
import { createAgent } from '../db/agents.js';
import type { Db } from '../db/types.js';
import { ingestSource } from '../knowledge/ingest.js';
import { createRetriever } from '../knowledge/retrieve.js';
import type { Embedder } from '../knowledge/types.js';
import { generatedCorpus } from './ingestion.js';
import { fmt, percentile, timed } from './stats.js';

/** Articles in the knowledge base at each step (about 7 chunks each). */
const STEPS = (process.env.BENCH_SCALE_ARTICLES ?? '50,200,800').split(',').map(Number);
const QUESTIONS = [
  'How do I track my parcel for returns?',
  'Can I cancel my order for gift cards within 14 days?',
  'How do I reset the password of my account?',
  'How long do warranty repairs take for boots?',
  'Where do I confirm the delivery slot for store pickup?',
  'How do I exchange a voucher for jackets?',
];
// 5 rounds (30 samples) let the 340-chunk baseline swing between 35 and 62 ms on PGlite from run to run,
// so the ratio read anywhere from 1.5× to 3.2×: 20 rounds after 2 warm ones.
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 20);
const WARM_ROUNDS = 2;

/**
 * A PostgreSQL server with autovacuum off (some shared test servers) never analyzes the chunks the bench
 * just stored, and its planner then scans every chunk where a real server would use the GIN and HNSW
 * indexes. Such a server is vacuumed and analyzed here, after each write, as autovacuum would have done; PGlite
 * does both itself (db/statistics.ts). True when it did.
 */
export async function analyzeLikeAutovacuum(db: Db): Promise<boolean> {
  if (db.kind !== 'postgres') return false;
  const { rows } = await db.query<{ on: boolean }>(`SELECT current_setting('autovacuum') = 'on' AS on`);
  if (rows[0]?.on) return false;
  await db.query('VACUUM (ANALYZE) chunks, sources');
  return true;
}

export async function benchRetrievalScale(options: { db: Db; embedder: Embedder; line: (label: string, value: string) => void }): Promise<void> {
  const { db, embedder, line } = options;
  const agent = await createAgent(db, { name: 'bench retrieval scale' });
  const retriever = createRetriever({ db, embedder });
  const corpus = generatedCorpus(Math.max(...STEPS));
  let stored = 0;
  let chunks = 0;
  let baseline: number | undefined;
  // Removed afterwards: every agent's chunks share one HNSW graph, so a run left behind would slow the next one's searches.
  try {
    await scaleSteps();
  } finally {
    // Its deployments (a new agent answers on chat) do not go with it by themselves.
    await db.query('DELETE FROM deployments WHERE agent_id = $1', [agent.id]);
    await db.query('DELETE FROM agents WHERE id = $1', [agent.id]);
  }

  async function scaleSteps(): Promise<void> {
    for (const articles of STEPS) {
      for (; stored < articles; stored++) {
        const doc = corpus[stored]!;
        chunks += (await ingestSource(db, embedder, { agentId: agent.id, type: 'markdown', title: doc.title, content: doc.content })).chunks;
        if (stored % 50 === 49 && process.stdout.isTTY) process.stdout.write(`\r    … storing ${stored + 1}/${articles} articles (${chunks} chunks)`);
      }
      if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
      if (await analyzeLikeAutovacuum(db) && articles === STEPS[0]) line('(autovacuum is off on this server)', 'analyzed after each step');
      for (let r = 0; r < WARM_ROUNDS; r++) for (const q of QUESTIONS) await retriever.retrieve({ agentId: agent.id, text: q });
      const ms: number[] = [];
      for (let r = 0; r < ROUNDS; r++) for (const q of QUESTIONS) ms.push((await timed(() => retriever.retrieve({ agentId: agent.id, text: q }))).ms);
      const p50 = percentile(ms, 50);
      baseline ??= p50;
      line(`${chunks} chunks: retrieval p50 / p95, ms`, `${fmt(p50)} / ${fmt(percentile(ms, 95))}  (${fmt(p50 / baseline, 2)}× the ${STEPS[0]}-article baseline)`);
    }
  }
}
