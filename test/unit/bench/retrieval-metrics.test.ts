import { describe, expect, it } from 'vitest';
import { bm25Tokens, createBm25, evenSample, scoreRanking, summarize } from '../../../bench/retrieval-metrics.js';

describe('retrieval bench metrics', () => {
  it('score a ranking by recall at 1, 5 and 10, reciprocal rank and nDCG, worked out by hand', () => {
    const s = scoreRanking(['a', 'b', 'gold', 'c'], ['gold']);
    expect(s.recallAt).toEqual({ 1: 0, 5: 1, 10: 1 });
    expect(s.rr10).toBeCloseTo(1 / 3);
    expect(s.ndcg10).toBeCloseTo(1 / Math.log2(4));
    expect(scoreRanking(['gold'], ['gold'])).toEqual({ recallAt: { 1: 1, 5: 1, 10: 1 }, rr10: 1, ndcg10: 1 });
  });

  it('count nothing for a relevant document ranked below 10 or missing', () => {
    const ranked = Array.from({ length: 12 }, (_, i) => `d${i}`);
    expect(scoreRanking(ranked, ['d10'])).toEqual({ recallAt: { 1: 0, 5: 0, 10: 0 }, rr10: 0, ndcg10: 0 });
    expect(scoreRanking([], ['x']).rr10).toBe(0);
  });

  it('normalise nDCG by the ideal ranking when several documents are relevant', () => {
    const s = scoreRanking(['x', 'g1', 'g2'], ['g1', 'g2']);
    const ideal = 1 + 1 / Math.log2(3);
    expect(s.ndcg10).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / ideal);
    expect(s.recallAt[1]).toBe(0);
    expect(s.recallAt[5]).toBe(1);
  });

  it('average per-question scores', () => {
    const m = summarize([scoreRanking(['g'], ['g']), scoreRanking(['x', 'g'], ['g'])]);
    expect(m).toMatchObject({ questions: 2, r1: 0.5, r5: 1, mrr10: 0.75 });
  });

  it('tokenise like Python’s \\w+, letters of every language included', () => {
    expect(bm25Tokens('Größe: 42_b, naïve café-au-lait!')).toEqual(['größe', '42_b', 'naïve', 'café', 'au', 'lait']);
  });

  it('rank with BM25: rarer matching terms weigh more, and longer documents less', () => {
    const bm25 = createBm25([
      { id: 'twice', text: 'order status order' },
      { id: 'rare', text: 'refund policy' },
      { id: 'long', text: `refund ${'filler '.repeat(50)}` },
      { id: 'once', text: 'order tracking' },
      { id: 'once-later', text: 'order history' },
    ]);
    // 'refund' is in 2 of 5 documents, 'order' in 3: the short refund document leads, the long one trails.
    expect(bm25.search('refund order', 10)).toEqual(['rare', 'twice', 'once', 'once-later', 'long']);
    expect(bm25.search('unknown words')).toEqual([]);
  });

  it('sample evenly and deterministically', () => {
    expect(evenSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([1, 4, 7]);
    expect(evenSample([1, 2], 5)).toEqual([1, 2]);
  });
});
