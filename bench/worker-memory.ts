/**
 * The worker as production runs it: `npm run worker` in its own process (PostgreSQL only: the embedded
 * database lives in one process), its RSS read from /proc as idle conversations accumulate, each opened by
 * one message from this process and then left waiting on its idle timer. What the memory target is about:
 * the worker alone, not this bench's client, pool and embedder.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConversationClient } from '../api/conversation-client.js';
import { inParallel } from './memory.js';
import { fmt } from './stats.js';

const require = createRequire(import.meta.url);
const WORKER_MAIN = fileURLToPath(new URL('../workers/worker-main.ts', import.meta.url));

export interface WorkerMemoryOptions {
  temporalAddress: string;
  databaseUrl: string;
  taskQueue: string;
  conversations: (taskQueue: string) => ConversationClient;
  questions: readonly string[];
  idleSteps: readonly number[];
  line: (label: string, value: string) => void;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function benchWorkerMemory(o: WorkerMemoryOptions): Promise<void> {
  const child = spawn(process.execPath, [...(process.env.BENCH_WORKER_NODE_OPTIONS ?? '').split(' ').filter(Boolean), '--import', pathToFileURL(require.resolve('tsx')).href, WORKER_MAIN], {
    env: { ...process.env, TEMPORAL_ADDRESS: o.temporalAddress, DATABASE_URL: o.databaseUrl, TEMPORAL_TASK_QUEUE: o.taskQueue, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const seen = (b: Buffer) => {
        output = (output + b.toString()).slice(-4000);
        if (output.includes('customer-agent worker running')) resolve();
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.on('exit', (code) => reject(new Error(`the worker exited (${code}) before it ran:\n${output}`)));
    });
    const pid = child.pid!;
    const show = async (label: string) => {
      await new Promise((r) => setTimeout(r, 1000));
      o.line(label, `RSS ${fmt(await rssMb(pid), 0).padStart(5)} MB`);
    };
    await show('idle conversations: 0');
    const client = o.conversations(o.taskQueue);
    const run = Date.now().toString(36);
    let opened = 0;
    for (const step of o.idleSteps) {
      const from = opened;
      await inParallel(step - from, 4, (k) => client.send(
        { agentId: 'demo', conversationId: `worker-idle-${run}-${from + k}` },
        { messageId: 'm0', text: o.questions[(from + k) % o.questions.length] as string, channel: 'test' },
      ));
      opened = step;
      await show(`idle conversations: ${step}`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
