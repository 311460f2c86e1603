/**
 * File extraction off the API's event loop: files are read in worker threads, so a 50 MB PDF does not
 * stall every other request of the process, and a file that makes a parser run away (too long, too much
 * memory) is stopped and refused instead of taking the process with it. Threads are kept and reused;
 * one that was stopped is replaced on the next file.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExtractReply } from './thread.js';
import {
  DEFAULT_MAX_FILE_BYTES, ExtractError, tooLarge, type ExtractErrorCode, type ExtractOptions, type Extracted, type FileExtractor, type FileInput,
} from './types.js';
import { ffmpegAvailable } from './video.js';

export interface IsolationOptions {
  /** Files read at once (threads). Default: half the cores, at least 1, at most 4. */
  threads?: number;
  /** A file still being read after this long is refused. Default 120 s. */
  timeoutMs?: number;
  /** Heap limit of a thread; a file that needs more is refused. Default 1536 MB. */
  maxMemoryMb?: number;
  /** A thread idle this long is ended, giving its memory back (the readers take ~150 MB). Default 60 s. */
  idleMs?: number;
}

interface Job {
  input: FileInput;
  resolve: (e: Extracted) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  idle?: NodeJS.Timeout;
}

/**
 * The thread's module: from the compiled copy (`npm run worker` / `npm run api`), the compiled thread.js
 * itself; from the TypeScript source, an entry that makes sure tsx is loaded first.
 */
const THREAD_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './thread-entry.mjs' : './thread.js', import.meta.url);

export function createIsolatedExtractor(options: ExtractOptions & IsolationOptions = {}): FileExtractor & { readonly runningThreads: number; close(): Promise<void> } {
  const { threads = Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2))), timeoutMs = 120_000, maxMemoryMb = 1536, idleMs = 60_000, ...extractOptions } = options;
  // The readers themselves (pdf.js, SheetJS, JSZip: ~200 MB and seconds to load) live only in the threads.
  const maxBytes = extractOptions.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  let ffmpeg: Promise<boolean> | undefined;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(THREAD_ENTRY, {
      workerData: extractOptions,
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const slot: Slot = { worker, ready: Promise.resolve(), busy: false };
    // A thread that fails or ends between files is dropped; the next file starts a new one.
    worker.on('error', () => retire(slot));
    worker.on('exit', () => retire(slot));
    slot.ready = new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`it exited with code ${code}`));
      const onMessage = (m: unknown) => {
        if (m !== 'ready') return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', onExit);
    });
    return slot;
  };

  const run = async (slot: Slot, job: Job): Promise<void> => {
    const id = nextId++;
    try {
      await slot.ready;
    } catch (err) {
      retire(slot);
      job.reject(new Error(`the file reader could not start: ${(err as Error).message}`));
      return;
    }
    await new Promise<void>((done) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        slot.worker.off('message', onMessage);
        slot.worker.off('error', onError);
        slot.worker.off('exit', onExit);
        fn();
        done();
      };
      const onMessage = (reply: ExtractReply) => {
        if (reply.id !== id) return;
        finish(() => {
          if (reply.ok) job.resolve(reply.extracted);
          else job.reject(reply.error.extract ? new ExtractError(reply.error.code as ExtractErrorCode, reply.error.message) : new Error(reply.error.message));
        });
      };
      const stopped = (why: string) => finish(() => {
        retire(slot);
        job.reject(new ExtractError('corrupt', `${job.input.name} could not be read: ${why}. It may be damaged or built to exhaust a reader; `
          + 'save it again from the application that made it, or split it, and upload it again'));
      });
      const onError = (err: Error) => stopped((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `reading it needed more than ${maxMemoryMb} MB of memory` : `the reader failed (${err.message})`);
      const onExit = () => stopped('the reader stopped');
      const timer = setTimeout(() => stopped(`reading it took longer than ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`), timeoutMs);
      slot.worker.on('message', onMessage);
      slot.worker.once('error', onError);
      slot.worker.once('exit', onExit);
      // A copy: the caller keeps its bytes.
      slot.worker.postMessage({ id, input: job.input });
    });
  };

  const retire = (slot: Slot) => {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    clearTimeout(slot.idle);
    void slot.worker.terminate();
  };

  const pump = () => {
    while (queue.length > 0 && !closed) {
      let slot = slots.find((s) => !s.busy);
      if (!slot && slots.length < threads) {
        slot = spawn();
        slots.push(slot);
      }
      if (!slot) return;
      const job = queue.shift()!;
      const taken = slot;
      taken.busy = true;
      clearTimeout(taken.idle);
      void run(taken, job).finally(() => {
        taken.busy = false;
        taken.idle = setTimeout(() => {
          if (!taken.busy) retire(taken);
        }, idleMs).unref();
        pump();
      });
    }
  };

  return {
    maxBytes,
    /** Threads running now (busy or idle). */
    get runningThreads() {
      return slots.length;
    },
    async videoSupport() {
      return { captions: await (ffmpeg ??= ffmpegAvailable(extractOptions.video ?? {})), transcription: Boolean(extractOptions.video?.transcription) };
    },
    extract(input) {
      if (closed) return Promise.reject(new Error('the file extractor is closed'));
      // Checked here too, so an oversized file is refused without being copied to a thread.
      const refusal = tooLarge(input.name, input.bytes.length, maxBytes);
      if (refusal) return Promise.reject(refusal);
      return new Promise<Extracted>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the file extractor is closed'));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
