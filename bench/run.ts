/**
 * `npm run bench`: turn latency through Temporal against the same graph called in-process (the baseline,
 * measured in the same run), throughput with 50 concurrent conversations, the worker process's memory as
 * conversations accumulate, and ingestion speed. Prints figures and ratios; asserts nothing (targets are
 * read by people, not by a timed test). BENCH_SECTIONS=memory,retrieval (any of ingestion, turns,
 * memory, worker-memory, retrieval, crawl) runs only those.
 */
import { randomUUID } from 'node:crypto';
import { createConversationClient } from '../api/conversation-client.js';
import { openDb } from '../db/open.js';
import { runTurn } from '../graphs/turn/graph.js';
import { loadDemo } from '../knowledge/demo/load.js';
import { loadConfig } from '../workers/config.js';
import { startDevServer } from '../workers/dev-server.js';
import { startSystem } from '../workers/system.js';
import { ensureTemporalCli } from '../workers/temporal-cli.js';
import { benchCrawl, CRAWL_BENCH } from './crawl.js';
import { runIngestionBench } from './ingestion.js';
import { benchMemory } from './memory.js';
import { benchWorkerMemory } from './worker-memory.js';
import { analyzeLikeAutovacuum, benchRetrievalScale } from './retrieval-scale.js';
import { fmt, percentile, timed } from './stats.js';

const QUESTIONS = [
  'How long does shipping take?',
  'How do I return an item?',
  'How can I reset my password?',
  'Which payment methods do you accept?',
  'Can I pick up my order in a store?',
  'How do I track my order?',
  'How long is the warranty?',
  'Can I use a gift card online?',
];
const SEQUENTIAL_TURNS = Number(process.env.BENCH_TURNS ?? 100);
const CONCURRENT_CONVERSATIONS = Number(process.env.BENCH_CONCURRENCY ?? 50);
const TURNS_PER_CONVERSATION = Number(process.env.BENCH_TURNS_PER_CONVERSATION ?? 4);
const IDLE_STEPS = (process.env.BENCH_IDLE_CONVERSATIONS ?? '1,100,250,500,1000').split(',').map(Number);
const LOAD = (process.env.BENCH_MEMORY_LOAD ?? '50x40').split('x').map(Number) as [number, number];
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'ingestion,turns,memory,worker-memory,retrieval,crawl').split(',').map((s) => s.trim()));

const line = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', DEMO: 'false', TEMPORAL_TASK_QUEUE: `bench-${randomUUID().slice(0, 8)}` });
  console.log(`customer-agent bench — database: ${config.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in memory)'}, Temporal: ${config.TEMPORAL_ADDRESS ?? 'dev server'}`);

  let address = config.TEMPORAL_ADDRESS;
  let stopTemporal: (() => Promise<void>) | undefined;
  if (!address) {
    const dev = await startDevServer({ binary: await ensureTemporalCli({ version: config.TEMPORAL_CLI_VERSION, onProgress: console.log }), headless: true });
    address = dev.address;
    stopTemporal = dev.stop;
  }
  const db = await openDb(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { memory: true });
  // Turns go through the conversation client directly: no HTTP server (and no root key) is needed.
  const system = await startSystem(config, { temporalAddress: address, db, api: false });
  try {
    console.log('\nIngestion (demo knowledge base, offline embedder)');
    await system.runtime.embedder.embed(['warm up']);
    const ingest = await timed(() => loadDemo(db, system.runtime.embedder, { onProgress: () => {} }));
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM chunks WHERE agent_id = 'demo'`);
    const chunks = Number(rows[0]?.n ?? 0);
    line('chunks ingested', String(chunks));
    line('chunks/s (parse + chunk + embed + store)', fmt(chunks / (ingest.ms / 1000)));
    if (await analyzeLikeAutovacuum(db)) line('(autovacuum is off on this server)', 'analyzed after ingestion');
    if (SECTIONS.has('ingestion')) await runIngestionBench();

    const conversations = createConversationClient({ client: system.client, taskQueue: config.TEMPORAL_TASK_QUEUE });
    const send = (conv: string, i: number) => conversations.send({ agentId: 'demo', conversationId: conv }, {
      messageId: `m${i}`, text: QUESTIONS[i % QUESTIONS.length] as string, channel: 'test',
    });
    if (SECTIONS.has('turns')) await benchTurns(system, send);

    if (SECTIONS.has('memory')) {
      console.log(`\nMemory of this process (worker + client + ${config.DATABASE_URL ? 'pool' : 'PGlite'}), `
        + `WORKER_MAX_CACHED_WORKFLOWS=${config.WORKER_MAX_CACHED_WORKFLOWS}; after a full GC`);
      await benchMemory({
        send: (conversationId, messageId, text) => conversations.send({ agentId: 'demo', conversationId }, { messageId, text, channel: 'test' }),
        questions: QUESTIONS, idleSteps: IDLE_STEPS,
        load: { conversations: LOAD[0], messages: LOAD[1], sampleEvery: Math.max(1, Math.round(LOAD[1] / 4)) },
        line,
      });
    }

    if (SECTIONS.has('worker-memory')) {
      console.log('\nMemory of the worker alone (npm run worker in its own process), as idle conversations accumulate');
      if (!config.DATABASE_URL) line('(needs DATABASE_URL)', 'the embedded database lives in one process: skipped');
      else {
        await benchWorkerMemory({
          temporalAddress: address, databaseUrl: config.DATABASE_URL, taskQueue: `${config.TEMPORAL_TASK_QUEUE}-worker`,
          conversations: (taskQueue) => createConversationClient({ client: system.client, taskQueue }),
          questions: QUESTIONS, idleSteps: IDLE_STEPS, line,
        });
      }
    }

    if (SECTIONS.has('retrieval')) {
      console.log('\nRetrieval latency as the knowledge base grows (hybrid, one agent, generated help centre)');
      await benchRetrievalScale({ db, embedder: system.runtime.embedder, line });
    }

    if (SECTIONS.has('crawl')) {
      console.log(`\nCrawl of a generated ${CRAWL_BENCH.pages}-page site on loopback (concurrency ${CRAWL_BENCH.concurrency}, delay ${CRAWL_BENCH.delayMs} ms)`);
      await benchCrawl({ db, embedder: system.runtime.embedder, line });
    }
  } catch (err) {
    // Printed before stopping: a stop that fails too must not hide what went wrong.
    console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
    throw err;
  } finally {
    await system.stop();
    await db.close();
    await stopTemporal?.();
  }
}

async function benchTurns(system: Awaited<ReturnType<typeof startSystem>>, send: (conv: string, i: number) => Promise<unknown>): Promise<void> {
  console.log(`\nTurn latency, ${SEQUENTIAL_TURNS} sequential turns`);
  const input = (i: number) => ({
    agent: { id: 'demo', name: 'Demo', defaultLanguage: 'en' },
    message: { id: `b${i}`, text: QUESTIONS[i % QUESTIONS.length] as string },
    history: [], missStreak: 0,
  });
  for (let i = 0; i < 5; i++) await runTurn(system.runtime.graph, input(i));
  const inProcess: number[] = [];
  for (let i = 0; i < SEQUENTIAL_TURNS; i++) inProcess.push((await timed(() => runTurn(system.runtime.graph, input(i)))).ms);

  for (let i = 0; i < 5; i++) await send(`warm-${randomUUID().slice(0, 8)}`, i);
  const throughTemporal: number[] = [];
  const conv = `seq-${randomUUID().slice(0, 8)}`;
  for (let i = 0; i < SEQUENTIAL_TURNS; i++) throughTemporal.push((await timed(() => send(`${conv}-${i % 10}`, i))).ms);

  const [ip50, ip95, tp50, tp95] = [percentile(inProcess, 50), percentile(inProcess, 95), percentile(throughTemporal, 50), percentile(throughTemporal, 95)];
  line('graph in-process p50 / p95 (baseline), ms', `${fmt(ip50)} / ${fmt(ip95)}`);
  line('through Temporal p50 / p95, ms', `${fmt(tp50)} / ${fmt(tp95)}`);
  line('Temporal overhead p50 / p95, ms (goal ≤ 25 / ≤ 60)', `${fmt(tp50 - ip50)} / ${fmt(tp95 - ip95)}`);
  line('ratio through Temporal / in-process, p50', `${fmt(tp50 / ip50, 2)}×`);

  console.log(`\nThroughput, ${CONCURRENT_CONVERSATIONS} concurrent conversations × ${TURNS_PER_CONVERSATION} turns`);
  const inProcessThroughput = await timed(() => Promise.all(
    Array.from({ length: CONCURRENT_CONVERSATIONS }, async (_, c) => {
      for (let t = 0; t < TURNS_PER_CONVERSATION; t++) await runTurn(system.runtime.graph, input(c + t));
    }),
  ));
  const run = `conc-${randomUUID().slice(0, 8)}`;
  const latencies: number[] = [];
  const throughput = await timed(() => Promise.all(
    Array.from({ length: CONCURRENT_CONVERSATIONS }, async (_, c) => {
      for (let t = 0; t < TURNS_PER_CONVERSATION; t++) latencies.push((await timed(() => send(`${run}-${c}`, c + t))).ms);
    }),
  ));
  const total = CONCURRENT_CONVERSATIONS * TURNS_PER_CONVERSATION;
  const baselineTps = total / (inProcessThroughput.ms / 1000);
  const tps = total / (throughput.ms / 1000);
  line('graph in-process turns/s (baseline)', fmt(baselineTps));
  line('through Temporal turns/s (goal ≥ 100)', fmt(tps));
  line('ratio through Temporal / in-process', `${fmt(tps / baselineTps, 2)}×`);
  line('latency under load p50 / p95, ms', `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 95))}`);
  line('process RSS, MB', fmt(process.memoryUsage().rss / 1024 / 1024, 0));
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
