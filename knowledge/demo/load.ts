/**
 * The demo agent ("demo") and its help centre: the help articles of Fjeldspor, a fictional outdoor-gear
 * web shop, in English with Danish and German translations of some. Idempotent: each article has a
 * fixed source id and is re-ingested only when its text changed, so restarts are fast.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureAgent } from '../../db/agents.js';
import { getSource } from '../../db/sources.js';
import type { Db } from '../../db/types.js';
import { contentHash, ingestSource } from '../ingest.js';
import type { Embedder } from '../types.js';
import { PACKAGE_ROOT } from '../../workers/package-root.js';

export const DEMO_AGENT_ID = 'demo';
const ARTICLES_DIR = path.join(PACKAGE_ROOT, 'knowledge', 'demo', 'articles');
const HELP_CENTRE_URL = 'https://help.fjeldspor.example/articles/';

export interface DemoArticle {
  slug: string;
  title: string;
  url: string;
  content: string;
}

export interface LoadDemoResult {
  agentId: string;
  articles: number;
  ingested: number;
  chunks: number;
}

export async function demoArticles(): Promise<DemoArticle[]> {
  const files = (await readdir(ARTICLES_DIR)).filter((f) => f.endsWith('.md')).sort();
  return Promise.all(files.map(async (file) => {
    const content = await readFile(path.join(ARTICLES_DIR, file), 'utf8');
    const slug = file.replace(/\.md$/, '');
    const title = /^#\s+(.+)$/m.exec(content)?.[1]?.trim() ?? slug;
    return { slug, title, url: `${HELP_CENTRE_URL}${slug}`, content };
  }));
}

export async function loadDemo(
  db: Db,
  embedder: Embedder,
  opts: { onProgress?: (line: string) => void } = {},
): Promise<LoadDemoResult> {
  const say = opts.onProgress ?? (() => {});
  await ensureAgent(db, {
    id: DEMO_AGENT_ID,
    name: 'Fjeldspor Assistant',
    personality: 'Friendly, brief and practical, like a shop assistant who hikes at weekends.',
    defaultLanguage: 'en',
  });
  const articles = await demoArticles();
  let ingested = 0;
  let chunks = 0;
  for (const [i, a] of articles.entries()) {
    const input = { agentId: DEMO_AGENT_ID, type: 'markdown' as const, title: a.title, url: a.url, content: a.content };
    const sourceId = `src_demo_${a.slug.replace(/[^a-z0-9]+/g, '_')}`;
    const existing = await getSource(db, DEMO_AGENT_ID, sourceId);
    const step = `[${i + 1}/${articles.length}]`;
    if (existing?.contentHash === contentHash(input)) {
      chunks += existing.chunkCount;
      say(`  demo knowledge ${step} ${a.title}: unchanged`);
      continue;
    }
    const res = await ingestSource(db, embedder, { ...input, sourceId });
    ingested++;
    chunks += res.chunks;
    say(`  demo knowledge ${step} ${a.title}: ${res.chunks} chunks`);
  }
  return { agentId: DEMO_AGENT_ID, articles: articles.length, ingested, chunks };
}
