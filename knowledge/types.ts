import { z } from 'zod';

/** Languages with full support: Snowball stemming, fixed messages, detection. */
export const SUPPORTED_LANGUAGES = ['en', 'da', 'nl', 'de', 'fr', 'es'] as const;
export const Language = z.enum(SUPPORTED_LANGUAGES);
export type Language = z.infer<typeof Language>;

/** One retrieved passage, with the evidence the graph needs to judge relevance. */
export const Passage = z.object({
  chunkId: z.string(),
  sourceId: z.string(),
  title: z.string(),
  url: z.string().optional(),
  heading: z.string().optional(),
  /** Where in its source the passage is ('page 3', 'slide 2'). */
  location: z.string().optional(),
  text: z.string(),
  language: z.string(),
  /** Reciprocal-rank-fusion score (relative, for ordering only). */
  score: z.number(),
  /** Cosine similarity of query and chunk embeddings, 0..1 (absolute). */
  similarity: z.number(),
  /** Share of the query's content terms (stemmed) found in the chunk, 0..1 (absolute). */
  coverage: z.number(),
  /** The same share weighted by each term's rarity among the agent's chunks (idf), 0..1. */
  weightedCoverage: z.number().optional(),
  ftsRank: z.number().optional(),
  vectorRank: z.number().optional(),
  /** What the source is ('article', 'blog_post', 'short_answer', …), shown with its citation. */
  sourceKind: z.string().optional(),
  /**
   * Present on a short answer's passage: `text` is its curated answer, to be given verbatim;
   * `similarity` and `coverage` compare the customer's question with the matched phrasing, and
   * `weightedCoverage` weighs its terms by their rarity among the agent's short answers.
   */
  shortAnswer: z.object({
    question: z.string(),
    /** The phrasing (question or alternate) that matched best. */
    phrasing: z.string(),
    /** Share of the phrasing's content terms found in the customer's question, 0..1. */
    reverseCoverage: z.number(),
    /** The same share weighted by each term's rarity among the agent's short answers (idf), 0..1. */
    weightedReverseCoverage: z.number().optional(),
    /** The two shares the match uses: terms also found in the answer, and by their first letters (knowledge/short-answers.ts). */
    looseCoverage: z.number().optional(),
    looseReverseCoverage: z.number().optional(),
    /** How surely the two mean the same, 0..1 (knowledge/short-answers.ts shortAnswerMatch). */
    match: z.number(),
  }).optional(),
});
export type Passage = z.infer<typeof Passage>;

export interface RetrieveQuery {
  agentId: string;
  text: string;
  /** Detected language of the query, when known; helps stemming. */
  language?: Language;
  limit?: number;
}

export interface Retriever {
  retrieve(query: RetrieveQuery): Promise<Passage[]>;
}

export interface Embedder {
  readonly dimensions: number;
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
}
