/**
 * Ingestion speed, offline embedder: parse + chunk + embed chunks/s and stored chunks/s (the whole
 * ingestSource path into an in-memory PGlite), on the demo help centre and on a generated corpus. The
 * baseline is the previous engine (USE-lite on tfjs-wasm) measured in the same run on the same chunks,
 * so load on the machine affects both alike; both engines produce the same vectors. Asserts nothing.
 */
import { ensureAgent } from '../db/agents.js';
import { openDb } from '../db/open.js';
import { chunkDocument, type Chunk } from '../knowledge/chunk.js';
import { demoArticles } from '../knowledge/demo/load.js';
import { createOfflineEmbedder, type OfflineEngine } from '../knowledge/embedders/offline.js';
import { ingestSource } from '../knowledge/ingest.js';
import { fmt, timed } from './stats.js';

const GENERATED_ARTICLES = Number(process.env.BENCH_INGEST_ARTICLES ?? 200);
/** The baseline is slow: it embeds at most this many chunks of the generated corpus. */
const BASELINE_SAMPLE = Number(process.env.BENCH_INGEST_BASELINE_CHUNKS ?? 160);
const EMBED_BATCH = 16;

interface Doc {
  title: string;
  content: string;
}

const line = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);

/** Deterministic help-centre-like Markdown: headings, paragraphs, lists; no two chunks identical. */
export function generatedCorpus(articles: number): Doc[] {
  const topics = ['shipping', 'returns', 'warranty', 'payment', 'gift cards', 'sizing', 'store pickup', 'account', 'repairs', 'tents', 'boots', 'jackets'];
  const verbs = ['check', 'update', 'cancel', 'track', 'exchange', 'register', 'reset', 'combine', 'extend', 'confirm'];
  const nouns = ['order', 'parcel', 'invoice', 'voucher', 'receipt', 'password', 'address', 'refund', 'delivery slot', 'size guide'];
  let seed = 7;
  const pick = <T>(xs: readonly T[]): T => xs[(seed = (seed * 48271) % 2147483647) % xs.length]!;
  return Array.from({ length: articles }, (_, a) => {
    const topic = pick(topics);
    const sections = Array.from({ length: 5 }, (_, s) => {
      const sentences = Array.from({ length: 6 + (s % 4) * 3 }, (_, k) =>
        `To ${pick(verbs)} your ${pick(nouns)} for ${topic}, open article ${a} step ${s}.${k} and ${pick(verbs)} the ${pick(nouns)} within ${3 + ((a + k) % 27)} days.`);
      const list = s % 2 ? `\n\n- ${pick(verbs)} the ${pick(nouns)}\n- ${pick(verbs)} the ${pick(nouns)}` : '';
      return `## ${topic} question ${a}.${s}\n\n${sentences.join(' ')}${list}`;
    });
    return { title: `About ${topic} (${a})`, content: `# About ${topic} (${a})\n\n${sections.join('\n\n')}` };
  });
}

function chunkAll(docs: readonly Doc[]): string[] {
  return docs.flatMap((d) => chunkDocument({ title: d.title, type: 'markdown', content: d.content }).map(embeddingText));
}

function embeddingText(c: Chunk): string {
  return [c.title, c.heading, c.text].filter(Boolean).join('\n');
}

/** Chunks/s of parse + chunk + embed with a fresh embedder (no cache carried over), after a warm-up. */
async function parseChunkEmbed(engine: OfflineEngine, docs: readonly Doc[], limit = Infinity): Promise<{ chunks: number; perSecond: number }> {
  const embedder = createOfflineEmbedder({ engine });
  await embedder.embed(['warm up the model']);
  const { ms, value } = await timed(async () => {
    const texts = chunkAll(docs).slice(0, limit);
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      await embedder.embed(texts.slice(i, i + EMBED_BATCH));
      if ((i / EMBED_BATCH) % 20 === 19) process.stdout.write(`    … ${engine}: ${i + EMBED_BATCH}/${texts.length} chunks\r`);
    }
    return texts.length;
  });
  return { chunks: value, perSecond: value / (ms / 1000) };
}

/** Chunks/s through ingestSource into a fresh in-memory PGlite: parse, chunk, language, embed, store. */
async function stored(engine: OfflineEngine, docs: readonly Doc[]): Promise<number> {
  const db = await openDb({ memory: true });
  try {
    await ensureAgent(db, { id: 'bench', name: 'Bench', defaultLanguage: 'en' });
    const embedder = createOfflineEmbedder({ engine });
    await embedder.embed(['warm up the model']);
    let chunks = 0;
    const { ms } = await timed(async () => {
      for (const d of docs) chunks += (await ingestSource(db, embedder, { agentId: 'bench', type: 'markdown', title: d.title, content: d.content })).chunks;
    });
    return chunks / (ms / 1000);
  } finally {
    await db.close();
  }
}

export async function runIngestionBench(): Promise<void> {
  const demo = (await demoArticles()).map((a) => ({ title: a.title, content: a.content }));
  const generated = generatedCorpus(GENERATED_ARTICLES);
  const engine = await createOfflineEmbedder().engine();
  const rss0 = process.memoryUsage().rss;

  console.log(`\nIngestion, offline embedder (USE-lite, 512 dimensions): ${engine} engine against the tfjs engine (baseline, same run)`);
  const demoBase = await parseChunkEmbed('tfjs', demo);
  const demoNew = await parseChunkEmbed(engine, demo);
  line(`demo help centre: ${demoNew.chunks} chunks`, '');
  line('parse+chunk+embed chunks/s, tfjs (baseline)', fmt(demoBase.perSecond));
  line(`parse+chunk+embed chunks/s, ${engine} (goal ≥ 100)`, `${fmt(demoNew.perSecond)}  (${fmt(demoNew.perSecond / demoBase.perSecond, 2)}×)`);
  const [storedBase, storedNew] = [await stored('tfjs', demo), await stored(engine, demo)];
  line('stored chunks/s, tfjs (baseline)', fmt(storedBase));
  line(`stored chunks/s, ${engine}`, `${fmt(storedNew)}  (${fmt(storedNew / storedBase, 2)}×)`);

  const genBase = await parseChunkEmbed('tfjs', generated, BASELINE_SAMPLE);
  const genNew = await parseChunkEmbed(engine, generated);
  line(`generated corpus: ${generated.length} articles, ${genNew.chunks} chunks`, '');
  line(`parse+chunk+embed chunks/s, tfjs (baseline, ${genBase.chunks})`, fmt(genBase.perSecond));
  line(`parse+chunk+embed chunks/s, ${engine}`, `${fmt(genNew.perSecond)}  (${fmt(genNew.perSecond / genBase.perSecond, 2)}×)`);
  line(`stored chunks/s, ${engine}`, fmt(await stored(engine, generated)));
  line('process RSS, MB (growth during ingestion)', `${fmt(process.memoryUsage().rss / 1024 / 1024, 0)} (+${fmt((process.memoryUsage().rss - rss0) / 1024 / 1024, 0)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runIngestionBench().catch((err: unknown) => {
    console.error(`ingestion bench failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  });
}
