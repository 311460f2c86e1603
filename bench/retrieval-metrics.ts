/**
 * Ranking metrics and the BM25 baseline of `npm run bench:retrieval`. Pure and synchronous, so the
 * figures the bench prints can be checked by unit tests on rankings worked out by hand.
 */

/** recall@k, reciprocal rank within the top 10 and nDCG@10 for one question, binary relevance. */
export interface QuestionScore {
  recallAt: Record<1 | 5 | 10, number>;
  rr10: number;
  ndcg10: number;
}

export const CUTOFFS = [1, 5, 10] as const;

/** `ranked` are document ids best first (duplicates already removed); `gold` the relevant ones. */
export function scoreRanking(ranked: readonly string[], gold: readonly string[]): QuestionScore {
  const relevant = new Set(gold);
  const firstHit = ranked.findIndex((id) => relevant.has(id));
  const recallAt = Object.fromEntries(CUTOFFS.map((k) => {
    const found = new Set(ranked.slice(0, k).filter((id) => relevant.has(id)));
    return [k, relevant.size === 0 ? 0 : found.size / relevant.size];
  })) as Record<1 | 5 | 10, number>;
  let dcg = 0;
  ranked.slice(0, 10).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(relevant.size, 10); i++) idcg += 1 / Math.log2(i + 2);
  return {
    recallAt,
    rr10: firstHit >= 0 && firstHit < 10 ? 1 / (firstHit + 1) : 0,
    ndcg10: idcg === 0 ? 0 : dcg / idcg,
  };
}

export interface Summary {
  questions: number;
  r1: number;
  r5: number;
  r10: number;
  mrr10: number;
  ndcg10: number;
}

export function summarize(scores: readonly QuestionScore[]): Summary {
  const mean = (f: (s: QuestionScore) => number) => (scores.length ? scores.reduce((a, s) => a + f(s), 0) / scores.length : Number.NaN);
  return {
    questions: scores.length,
    r1: mean((s) => s.recallAt[1]),
    r5: mean((s) => s.recallAt[5]),
    r10: mean((s) => s.recallAt[10]),
    mrr10: mean((s) => s.rr10),
    ndcg10: mean((s) => s.ndcg10),
  };
}

/** Ids in first-seen order: several passages of one document count once, at its best rank. */
export function distinctInOrder(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Lower-cased `\w+` tokens as Python's `re` reads them (Unicode letters, digits and underscore). */
export function bm25Tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\p{Mn}\p{Pc}]+/gu) ?? [];
}

export interface Bm25Doc {
  id: string;
  text: string;
}

/**
 * Okapi BM25 over whole documents, the plain baseline of the data set's README: k1 1.2, b 0.75,
 * idf = ln(1 + (N − df + 0.5) / (df + 0.5)).
 */
export function createBm25(docs: readonly Bm25Doc[], { k1 = 1.2, b = 0.75 } = {}) {
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths: number[] = [];
  docs.forEach((d, doc) => {
    const tokens = bm25Tokens(d.text);
    lengths.push(tokens.length);
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [term, n] of tf) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push({ doc, tf: n });
    }
  });
  const avgLength = lengths.reduce((a, n) => a + n, 0) / Math.max(1, lengths.length);
  const n = docs.length;
  return {
    /** Document ids, best first, at most `limit`; ties broken by document order. */
    search(query: string, limit = 10): string[] {
      const scores = new Float64Array(n);
      for (const term of new Set(bm25Tokens(query))) {
        const list = postings.get(term);
        if (!list) continue;
        const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
        for (const { doc, tf } of list) {
          const norm = k1 * (1 - b + (b * (lengths[doc] ?? 0)) / avgLength);
          scores[doc]! += (idf * tf * (k1 + 1)) / (tf + norm);
        }
      }
      return [...scores.keys()]
        .filter((i) => scores[i]! > 0)
        .sort((a, c) => scores[c]! - scores[a]! || a - c)
        .slice(0, limit)
        .map((i) => docs[i]!.id);
    },
  };
}

/** `count` items spread evenly over the list (deterministic, so quick runs are comparable). */
export function evenSample<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(items[Math.floor((i * items.length) / count)]!);
  return out;
}
