/**
 * Memory of the process that runs the worker, as conversations accumulate: RSS and V8 heap after a full
 * GC, sampled as idle conversations are opened (one message each, then left waiting on their idle timer)
 * and as a fixed set of conversations keeps talking. A figure to read, not a timed test: RSS depends on
 * the allocator and the machine; what matters is whether the curve levels off.
 */
import { randomUUID } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { fmt } from './stats.js';

export interface MemorySample {
  label: string;
  rssMb: number;
  heapMb: number;
}

export interface MemoryBenchOptions {
  /** Sends one message in one conversation and waits for the reply. */
  send: (conversationId: string, messageId: string, text: string) => Promise<unknown>;
  questions: readonly string[];
  /** Sample points: conversations opened so far (ascending), e.g. [100, 250, 500, 1000]. */
  idleSteps: readonly number[];
  /** The talking load: conversations × messages each, sampled every `loadSampleEvery` messages. */
  load: { conversations: number; messages: number; sampleEvery: number };
  concurrency?: number;
  line: (label: string, value: string) => void;
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** RSS and heap after two full collections, so garbage waiting for the collector is not counted. */
export function sampleMemory(label: string): MemorySample {
  gc();
  gc();
  const m = process.memoryUsage();
  return { label, rssMb: m.rss / 1024 / 1024, heapMb: m.heapUsed / 1024 / 1024 };
}

export async function inParallel(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await fn(next++);
  }));
}

export async function benchMemory(options: MemoryBenchOptions): Promise<{ idle: MemorySample[]; load: MemorySample[] }> {
  const { send, questions, line, concurrency = 4 } = options;
  const question = (i: number) => questions[i % questions.length] as string;
  const show = (s: MemorySample) => line(s.label, `RSS ${fmt(s.rssMb, 0).padStart(5)} MB   heap ${fmt(s.heapMb, 0).padStart(4)} MB`);

  const run = randomUUID().slice(0, 8);
  const idle: MemorySample[] = [sampleMemory('idle conversations: 0')];
  show(idle[0]!);
  let opened = 0;
  for (const step of options.idleSteps) {
    const from = opened;
    await inParallel(step - from, concurrency, (i) => send(`idle-${run}-${from + i}`, 'm0', question(from + i)));
    opened = step;
    const s = sampleMemory(`idle conversations: ${step}`);
    idle.push(s);
    show(s);
  }

  const { conversations, messages, sampleEvery } = options.load;
  const load: MemorySample[] = [sampleMemory(`${conversations} talking, messages each: 0`)];
  show(load[0]!);
  for (let m = 0; m < messages; m += sampleEvery) {
    const upTo = Math.min(messages, m + sampleEvery);
    await inParallel(conversations, concurrency, async (c) => {
      for (let k = m; k < upTo; k++) await send(`load-${run}-${c}`, `m${k}`, question(c + k));
    });
    const s = sampleMemory(`${conversations} talking, messages each: ${upTo}`);
    load.push(s);
    show(s);
  }
  return { idle, load };
}
