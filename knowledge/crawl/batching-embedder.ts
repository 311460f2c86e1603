/**
 * Pages of a crawl are embedded a few chunks at a time, concurrently; embedding models are much faster
 * per text in larger batches. This wrapper runs one batch at a time and gathers every call that arrives
 * meanwhile into the next batch, so no call waits longer than the batch ahead of it. Scoped to one crawl
 * (never shared across tenants): it holds texts only until they are embedded.
 */
import type { Embedder } from '../types.js';

interface Waiting {
  texts: string[];
  resolve: (vectors: number[][]) => void;
  reject: (err: unknown) => void;
}

export function batchingEmbedder(inner: Embedder, maxBatch = 64): Embedder {
  let queue: Waiting[] = [];
  let running = false;

  const run = () => {
    if (running || queue.length === 0) return;
    running = true;
    // Whole calls only, up to maxBatch texts (one larger call still goes alone).
    const batch: Waiting[] = [];
    let size = 0;
    while (queue.length > 0 && (batch.length === 0 || size + queue[0]!.texts.length <= maxBatch)) {
      const next = queue.shift()!;
      batch.push(next);
      size += next.texts.length;
    }
    inner.embed(batch.flatMap((w) => w.texts)).then((vectors) => {
      let at = 0;
      for (const w of batch) {
        w.resolve(vectors.slice(at, at + w.texts.length));
        at += w.texts.length;
      }
    }, (err: unknown) => {
      for (const w of batch) w.reject(err);
    }).finally(() => {
      running = false;
      run();
    });
  };

  return {
    dimensions: inner.dimensions,
    model: inner.model,
    embed(texts: string[]): Promise<number[][]> {
      if (texts.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue = [...queue, { texts, resolve, reject }];
        run();
      });
    },
  };
}
