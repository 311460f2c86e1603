/** A deterministic bag-of-words embedder: fast, offline, and similar texts get similar vectors. */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import type { Db } from '../../../db/types.js';
import { createTurnGraph, runTurn } from '../../../graphs/turn/graph.js';
import { createExtractiveResponder } from '../../../graphs/turn/responders/extractive.js';
import { systemGlossary } from '../../../knowledge/bridge.js';
import { dictionaryPackages } from '../../../knowledge/dictionary.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { createRetriever } from '../../../knowledge/retrieve.js';
import { shortAnswerBlocks, shortAnswerMetadata, type ShortAnswerContent } from '../../../knowledge/short-answers.js';
import type { Embedder } from '../../../knowledge/types.js';
import { openTestDb } from '../../support/db.js';

export function hashEmbedder(dimensions = 512): Embedder & { calls: number } {
  const e = {
    dimensions,
    model: 'test-hash',
    calls: 0,
    async embed(texts: string[]) {
      e.calls++;
      return texts.map((t) => {
        const v = new Array<number>(dimensions).fill(0);
        for (const w of t.toLowerCase().match(/\p{L}+/gu) ?? []) {
          const h = createHash('md5').update(w).digest();
          v[h.readUInt32LE(0) % dimensions]! += h[4]! & 1 ? 1 : -1;
        }
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      });
    },
  };
  return e;
}

/** A Markdown article with `sections` headed sections, each one short paragraph about `topic`. */
export function longArticle(topic: string, sections: number): string {
  return Array.from({ length: sections }, (_, i) => `## ${topic} part ${i + 1}\n\nDetail ${i + 1} about ${topic}.`).join('\n\n');
}

/**
 * Like {@link hashEmbedder}, but every word spreads over all dimensions, as a real model's embeddings
 * do. Sparse vectors compress to a few bytes and stay inside the table row, which makes a scan of the
 * table look cheaper to the planner than it is with real, incompressible embeddings.
 */
export function denseHashEmbedder(dimensions = 512): Embedder {
  return {
    dimensions,
    model: 'test-dense-hash',
    async embed(texts: string[]) {
      return texts.map((t) => {
        const v = new Array<number>(dimensions).fill(0);
        for (const w of t.toLowerCase().match(/\p{L}+|\d+/gu) ?? []) {
          let seed = createHash('md5').update(w).digest().readUInt32LE(0) || 1;
          for (let i = 0; i < dimensions; i++) {
            seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
            v[i]! += seed / 0xffffffff - 0.5;
          }
        }
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      });
    },
  };
}

/** Asks the offline agent one question over a test database: the turn graph in-process, extractive answers. */
export function askAgent(db: Db, embedder: Embedder, agent: { id: string; defaultLanguage: string }, text: string) {
  let tick = 0;
  const graph = createTurnGraph({
    retriever: createRetriever({ db, embedder }),
    responder: createExtractiveResponder(),
    clock: () => new Date(Date.UTC(2025, 0, 1) + 5 * tick++),
  });
  return runTurn(graph, {
    agent: { id: agent.id, name: 'Fjeldspor', defaultLanguage: agent.defaultLanguage },
    message: { id: `m-${text.length}`, text },
    history: [],
    missStreak: 0,
  });
}

/** Stores each as an operator's short answer, as the API's short-answer route does. */
export async function storeShortAnswers(db: Db, embedder: Embedder, agentId: string, shortAnswers: readonly ShortAnswerContent[]): Promise<void> {
  for (const sa of shortAnswers) {
    await ingestSource(db, embedder, {
      agentId, type: 'short_answer', kind: 'short_answer', title: sa.question,
      blocks: shortAnswerBlocks(sa), metadata: { ...shortAnswerMetadata(sa) },
    });
  }
}

/** A test database with one English agent whose knowledge is these Markdown articles and short answers. */
export async function agentWithKnowledge(embedder: Embedder, { name, articles = [], shortAnswers = [] }: {
  name: string;
  articles?: readonly { title: string; content: string }[];
  shortAnswers?: readonly ShortAnswerContent[];
}): Promise<{ db: Db; agentId: string }> {
  const db = await openTestDb();
  const agentId = (await createAgent(db, { name, defaultLanguage: 'en' })).id;
  for (const a of articles) await ingestSource(db, embedder, { agentId, type: 'markdown', title: a.title, content: a.content });
  await storeShortAnswers(db, embedder, agentId, shortAnswers);
  return { db, agentId };
}

/**
 * An English agent whose customers ask in other languages: fails at once, saying what to install, when the
 * system's bilingual dictionaries (installed by npm test, test/provision.ts) are missing.
 */
export async function englishAgentForOtherLanguages(embedder: Embedder, knowledge: Parameters<typeof agentWithKnowledge>[1]) {
  expect(systemGlossary().languages, `the FreeDict dictionaries are missing: apt-get install ${dictionaryPackages().join(' ')}`)
    .toEqual(['da', 'nl', 'de', 'fr', 'es']);
  const { db, agentId } = await agentWithKnowledge(embedder, knowledge);
  return { db, ask: (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'en' }, text) };
}
