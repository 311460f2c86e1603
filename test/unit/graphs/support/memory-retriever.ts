/**
 * A complete in-memory Retriever for graph tests: the same contract as the PostgreSQL one, with simpler
 * signals. coverage = share of the query's content terms found in the chunk (loose stemming);
 * similarity = best term-set cosine between the query and any one sentence (or the title and heading),
 * a stand-in for an embedding; score = reciprocal-rank fusion of the two rankings.
 */
import type { Passage, RetrieveQuery, Retriever } from '../../../../knowledge/types.js';
import { contentTerms, foldedWords, sameStem } from '../../../../graphs/turn/words.js';

export type Chunk = Omit<Passage, 'score' | 'similarity' | 'coverage' | 'ftsRank' | 'vectorRank'> & { agentId?: string };

const RRF_K = 60;

export function createMemoryRetriever(chunks: readonly Chunk[]): Retriever & { queries: RetrieveQuery[] } {
  const queries: RetrieveQuery[] = [];
  return {
    queries,
    async retrieve(query) {
      queries.push(query);
      const terms = contentTerms(query.text);
      const scored = chunks
        .filter((c) => !c.agentId || c.agentId === query.agentId)
        .map((c) => ({ c, coverage: coverage(terms, c), similarity: similarity(terms, c) }));
      const byFts = [...scored].filter((s) => s.coverage > 0).sort((a, b) => b.coverage - a.coverage);
      const byVector = [...scored].sort((a, b) => b.similarity - a.similarity);
      return scored
        .map((s) => {
          const ftsRank = byFts.indexOf(s) + 1 || undefined;
          const vectorRank = byVector.indexOf(s) + 1;
          const score = (ftsRank ? 1 / (RRF_K + ftsRank) : 0) + 1 / (RRF_K + vectorRank);
          const { agentId: _, ...chunk } = s.c;
          return { ...chunk, score, similarity: s.similarity, coverage: s.coverage, ...(ftsRank ? { ftsRank } : {}), vectorRank };
        })
        .sort((a, b) => b.score - a.score)
        .slice(0, query.limit ?? 8);
    },
  };
}

function coverage(terms: string[], c: Chunk): number {
  if (terms.length === 0) return 0;
  const words = foldedWords(`${c.title} ${c.heading ?? ''} ${c.text}`);
  return round(terms.filter((t) => words.some((w) => sameStem(t, w))).length / terms.length);
}

function similarity(terms: string[], c: Chunk): number {
  if (terms.length === 0) return 0;
  const units = [`${c.title} ${c.heading ?? ''}`, ...c.text.split(/(?<=[.!?])\s+|\n+/)];
  return round(Math.max(...units.map((u) => {
    const unitTerms = contentTerms(u);
    if (unitTerms.length === 0) return 0;
    const shared = terms.filter((t) => unitTerms.some((w) => sameStem(t, w))).length;
    return shared / Math.sqrt(terms.length * unitTerms.length);
  })));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
