import { openDb } from '../db/open.js';
import { runTurn } from '../graphs/turn/graph.js';
import { loadDemo } from '../knowledge/demo/load.js';
import { loadConfig } from '../workers/config.js';
import { createRuntime } from '../workers/runtime.js';
const QUESTIONS = ['How long does shipping take?', 'How do I return an item?', 'How can I reset my password?', 'Which payment methods do you accept?', 'Can I pick up my order in a store?', 'How do I track my order?', 'How long is the warranty?', 'Can I use a gift card online?'];
const config = loadConfig({ ...process.env, DEMO: 'false', LOG_LEVEL: 'warn' });
const db = await openDb(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { memory: true });
const runtime = await createRuntime(config, { db });
await loadDemo(db, runtime.embedder, { onProgress: () => {} });
const input = (i: number) => ({ agent: { id: 'demo', name: 'Demo', defaultLanguage: 'en' }, message: { id: `b${i}`, text: QUESTIONS[i % QUESTIONS.length]! }, history: [], missStreak: 0 });
for (let i = 0; i < 10; i++) await runTurn(runtime.graph, input(i));
const ms: number[] = [];
const t0 = performance.now();
for (let i = 0; i < 300; i++) { const s = performance.now(); await runTurn(runtime.graph, input(i)); ms.push(performance.now() - s); }
ms.sort((a, b) => a - b);
console.log('p50', ms[150]!.toFixed(1), 'turns/s', (300 / ((performance.now() - t0) / 1000)).toFixed(1));
process.exit(0);
