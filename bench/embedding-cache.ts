/**
 * Document embeddings memoised in memory and, when asked, on disk between bench runs (keyed by what the
 * embedder computes, not only its name). For tuning loops; never use it to judge an embedder's speed.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Embedder } from '../knowledge/types.js';

export async function cachingEmbedder(inner: Embedder, onDisk: boolean): Promise<Embedder> {
  const memory = new Map<string, number[]>();
  // Keyed by what the embedder computes, not only its name: a changed engine never reuses stale vectors.
  const probe = await inner.embed(['Where is my order? It has not arrived yet.', 'Wo ist meine Bestellung? Sie ist noch nicht da.']);
  const fingerprint = createHash('sha256').update(JSON.stringify(probe.map((v) => v.map((x) => x.toFixed(3))))).digest('hex').slice(0, 12);
  const file = join(tmpdir(), 'customer-agent-bench', `${inner.model.replace(/\W+/g, '_')}-${inner.dimensions}-${fingerprint}.jsonl`);
  if (onDisk && existsSync(file)) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line) continue;
      const [key, vector] = JSON.parse(line) as [string, number[]];
      memory.set(key, vector);
    }
  }
  if (onDisk) await mkdir(dirname(file), { recursive: true });
  const keyOf = (t: string) => createHash('sha256').update(t).digest('base64url');
  return {
    dimensions: inner.dimensions,
    model: inner.model,
    async embed(texts) {
      const keys = texts.map(keyOf);
      const missing = [...new Set(keys.filter((k) => !memory.has(k)))];
      if (missing.length > 0) {
        const textOf = new Map(keys.map((k, i) => [k, texts[i]!]));
        const vectors = await inner.embed(missing.map((k) => textOf.get(k)!));
        missing.forEach((k, i) => memory.set(k, vectors[i]!));
        if (onDisk) await appendFile(file, missing.map((k, i) => `${JSON.stringify([k, vectors[i]])}\n`).join(''));
      }
      return keys.map((k) => memory.get(k)!);
    },
  };
}
