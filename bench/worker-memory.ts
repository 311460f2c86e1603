/**
 * The worker as production runs it: the `worker` script of package.json (`node workers/run-compiled.mjs
 * worker`: the compiled copy on plain node) in its own process (PostgreSQL only: the embedded database
 * lives in one process), its RSS read from /proc as idle conversations accumulate, each opened by one
 * message from this process and then left waiting on its idle timer. What the memory target is about: the
 * worker alone, not this bench's client, pool and embedder. The worker gets the script's Node flags (its
 * `--…` words, before the launcher); when there are any, it runs again with Node's defaults as the baseline.
 * Each line also shows the worker's CPU seconds so far: a flag that saves memory may cost CPU.
 * Measured (PostgreSQL, 2 cores): `--max-semi-space-size=4` gave 616 MB at 1,000 idle conversations against
 * 534 MB with the defaults, for 12% more CPU; runs of the defaults alone spread 502–603 MB. Not adopted.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ConversationClient } from '../api/conversation-client.js';
import { inParallel } from './memory.js';
import { fmt } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

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

/** User + system CPU seconds of a process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The package's `worker` script (`node [--flags…] <launcher> worker`) as its Node flags and the rest, so the bench runs the worker as `npm run worker` does. */
async function workerScript(): Promise<{ flags: string[]; args: string[] }> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...words] = (pkg.scripts.worker ?? '').split(/\s+/).filter(Boolean);
  if (command !== 'node') throw new Error(`the worker script should start with node, not: ${pkg.scripts.worker}`);
  return { flags: words.filter((w) => w.startsWith('--')), args: words.filter((w) => !w.startsWith('--')) };
}

export async function benchWorkerMemory(o: WorkerMemoryOptions): Promise<void> {
  const override = process.env.BENCH_WORKER_NODE_OPTIONS;
  const script = await workerScript();
  const flags = override === undefined ? script.flags : override.split(' ').filter(Boolean);
  o.line('worker flags', flags.length ? flags.join(' ') : '(none)');
  await oneWorker(o, flags, script.args, '');
  if (flags.length) await oneWorker(o, [], script.args, 'baseline, Node defaults: ');
}

async function oneWorker(o: WorkerMemoryOptions, flags: readonly string[], args: readonly string[], label: string): Promise<void> {
  // A queue of its own per run: the first worker's idle conversations stay out of the second's way.
  const taskQueue = `${o.taskQueue}-${flags.length ? 'flags' : 'defaults'}`;
  const child = spawn(process.execPath, [...flags, ...args], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: o.temporalAddress, DATABASE_URL: o.databaseUrl, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
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
    // RSS swings by tens of MB with the collector's timing: the median of three readings a second apart.
    const show = async (step: number) => {
      const readings: number[] = [];
      for (let k = 0; k < 3; k++) {
        await new Promise((r) => setTimeout(r, 1000));
        readings.push(await rssMb(pid));
      }
      const [low, median, high] = readings.sort((a, b) => a - b) as [number, number, number];
      o.line(`${label}idle conversations: ${step}`, `RSS ${fmt(median, 0).padStart(5)} MB (${fmt(low, 0)}–${fmt(high, 0)})   CPU ${fmt(await cpuSeconds(pid), 1).padStart(5)} s`);
    };
    await show(0);
    const client = o.conversations(taskQueue);
    const run = Date.now().toString(36);
    let opened = 0;
    for (const step of o.idleSteps) {
      const from = opened;
      await inParallel(step - from, 4, (k) => client.send(
        { agentId: 'demo', conversationId: `worker-idle-${run}-${from + k}` },
        { messageId: 'm0', text: o.questions[(from + k) % o.questions.length] as string, channel: 'test' },
      ));
      opened = step;
      await show(step);
    }
  } finally {
    // A worker that already exited (it failed to start) fires no second 'exit': waiting for one hung the bench.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}
