/**
 * Ingestion: chunk → detect each chunk's language → embed → store. The slow part (embedding) runs
 * before the database is touched; the source row and all its chunks are then written in ONE
 * transaction, so a failure at any point leaves nothing half-stored, and a source is searchable the
 * moment this returns. Re-ingesting an existing source id replaces its chunks atomically.
 *
 * With `replaceSame` (what a person adds through the API), pasted content or a file that repeats a source
 * (same content, URL, title or file name; db/sources.ts findSameSource) updates it in place instead of
 * adding a duplicate that would compete with it in every answer; the same content again is not even
 * re-embedded. Programmatic loads (benchmarks, data sets whose paragraphs share a title) leave it off. Two concurrent first additions of the
 * same article can still both be created: the check is not under a lock.
 */
import { createHash } from 'node:crypto';
import { getAgent } from '../db/agents.js';
import { deleteChunksOfSource, insertChunks, type NewChunk } from '../db/chunks.js';
import { newId } from '../db/ids.js';
import { findSameSource, saveSource, type Source } from '../db/sources.js';
import { noteChunksWritten } from '../db/statistics.js';
import type { Db, Queryable } from '../db/types.js';
import type { SourceType } from '../domain/source.js';
import type { Block } from './blocks.js';
import { chunkDocument, type Chunk, type ChunkInput, type ContentType } from './chunk.js';
import { detectLanguage, tsConfigFor } from './language.js';
import type { Embedder } from './types.js';

export interface IngestProgress {
  stage: 'chunked' | 'embedded' | 'stored';
  done: number;
  total: number;
}

export interface IngestSourceInput {
  agentId: string;
  type: SourceType;
  title: string;
  url?: string;
  /** Pasted content, parsed by `type` (text, markdown or html)... */
  content?: string;
  /** ...or content already extracted to blocks (files, fetched pages, short answers). */
  blocks?: readonly Block[];
  kind?: string;
  metadata?: Record<string, unknown>;
  /** Replace this source (same agent) instead of creating a new one: re-sync keeps the id. */
  sourceId?: string;
  /** Update the source this one repeats (same content, URL, title or file name) instead of adding one. */
  replaceSame?: boolean;
  /** The crawled site a page belongs to. */
  parentId?: string;
  /** HTTP validators of the fetch that produced the content. */
  etag?: string;
  lastModified?: string;
  fetchedAt?: Date;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestResult {
  id: string;
  chunks: number;
  /** Present when an existing source was updated in place instead of a new one created. */
  updated?: true;
}

/** Types whose re-addition updates the source it repeats; URL, site and short-answer sources have their own ids. */
const DEDUPED_TYPES: Partial<Record<SourceType, readonly SourceType[]>> = {
  text: ['text', 'markdown', 'html'],
  markdown: ['text', 'markdown', 'html'],
  html: ['text', 'markdown', 'html'],
  file: ['file'],
};

const EMBED_BATCH = 16;
const STORE_BATCH = 32;
/** Below this a chunk's own detection is not trusted over the whole document's. */
const CHUNK_LANGUAGE_CONFIDENCE = 0.5;

export class AgentNotFoundError extends Error {
  override name = 'AgentNotFoundError';
}

export async function ingestSource(db: Db, embedder: Embedder, input: IngestSourceInput): Promise<IngestResult> {
  const agent = await getAgent(db, input.agentId);
  if (!agent) throw new AgentNotFoundError(`agent ${input.agentId} does not exist`);
  const progress = input.onProgress ?? (() => {});
  const same = await sameSource(db, input);
  if (same && same.contentHash === contentHash(input) && same.kind === (input.kind ?? 'article') && same.status === 'ready') {
    return { id: same.id, chunks: same.chunkCount, updated: true };
  }

  const chunks = chunkDocument(chunkInput(input));
  progress({ stage: 'chunked', done: chunks.length, total: chunks.length });
  const languages = chunkLanguages(chunks, agent.defaultLanguage);

  const embeddings: number[][] = [];
  for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
    embeddings.push(...(await embedder.embed(chunks.slice(i, i + EMBED_BATCH).map(embeddingInput))));
    progress({ stage: 'embedded', done: embeddings.length, total: chunks.length });
  }

  const rows: NewChunk[] = chunks.map((c, i) => ({
    id: newId('chk'),
    ord: c.ord,
    title: c.title,
    ...(c.heading ? { heading: c.heading } : {}),
    ...(c.location ? { location: c.location } : {}),
    text: c.text,
    language: languages[i]!,
    tsConfig: tsConfigFor(languages[i]),
    embedding: embeddings[i]!,
  }));
  const id = input.sourceId ?? same?.id ?? newId('src');

  await db.transaction(async (tx) => {
    await store(tx, id, input, rows, progress);
  });
  await noteChunksWritten(db, rows.length);
  return { id, chunks: rows.length, ...(same ? { updated: true as const } : {}) };
}

/** The source a new top-level addition repeats, when there is one; never for a given id or a site's page. */
async function sameSource(db: Db, input: IngestSourceInput): Promise<Source | undefined> {
  const types = DEDUPED_TYPES[input.type];
  if (!input.replaceSame || !types || input.sourceId || input.parentId) return undefined;
  const fileName = input.metadata?.fileName;
  return findSameSource(db, input.agentId, {
    types,
    contentHash: contentHash(input),
    title: input.title,
    ...(input.url ? { url: input.url } : {}),
    ...(typeof fileName === 'string' && fileName ? { fileName } : {}),
  });
}

async function store(
  tx: Queryable,
  id: string,
  input: IngestSourceInput,
  rows: readonly NewChunk[],
  progress: (p: IngestProgress) => void,
): Promise<void> {
  const saved = await saveSource(tx, {
    id,
    agentId: input.agentId,
    type: input.type,
    ...(input.kind ? { kind: input.kind } : {}),
    title: input.title,
    ...(input.url ? { url: input.url } : {}),
    ...(input.parentId ? { parentId: input.parentId } : {}),
    ...(input.etag ? { etag: input.etag } : {}),
    ...(input.lastModified ? { lastModified: input.lastModified } : {}),
    ...(input.fetchedAt ? { fetchedAt: input.fetchedAt } : {}),
    status: rows.length > 0 ? 'ready' : 'empty',
    contentHash: contentHash(input),
    chunkCount: rows.length,
    metadata: { ...input.metadata, languages: [...new Set(rows.map((r) => r.language))] },
  });
  if (!saved) throw new Error(`source ${id} belongs to another agent`);
  await deleteChunksOfSource(tx, input.agentId, id);
  for (let i = 0; i < rows.length; i += STORE_BATCH) {
    await insertChunks(tx, input.agentId, id, rows.slice(i, i + STORE_BATCH));
    progress({ stage: 'stored', done: Math.min(i + STORE_BATCH, rows.length), total: rows.length });
  }
}

const CONTENT_TYPES: readonly string[] = ['text', 'markdown', 'html'] satisfies ContentType[];

function chunkInput(input: IngestSourceInput): ChunkInput {
  if (input.blocks) return { title: input.title, blocks: input.blocks };
  if (input.content === undefined || !CONTENT_TYPES.includes(input.type)) {
    throw new TypeError(`a ${input.type} source is ingested from extracted blocks, not raw content`);
  }
  return { title: input.title, type: input.type as ContentType, content: input.content };
}

/** A chunk's own language when clear, else the document's, else the agent's default. */
function chunkLanguages(chunks: readonly Chunk[], agentDefault: string): string[] {
  const whole = detectLanguage(chunks.map((c) => c.text).join('\n').slice(0, 8000)).language ?? agentDefault;
  return chunks.map((c) => {
    const own = detectLanguage(c.text);
    return own.language && own.confidence >= CHUNK_LANGUAGE_CONFIDENCE ? own.language : whole;
  });
}

/** The title and heading path give a short section the context its body leaves implicit. */
function embeddingInput(c: Chunk): string {
  return [c.title, c.heading, c.text].filter(Boolean).join('\n');
}

/** Identifies what was ingested, so an unchanged re-sync can be skipped. */
export function contentHash(input: Pick<IngestSourceInput, 'type' | 'title' | 'url' | 'content' | 'blocks'>): string {
  const body = input.blocks ?? input.content ?? null;
  return createHash('sha256').update(JSON.stringify([input.type, input.title, input.url ?? null, body])).digest('hex');
}
