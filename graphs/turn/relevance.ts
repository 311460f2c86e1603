/**
 * Judging retrieval from absolute signals only: `similarity` (embedding cosine) and `coverage` (share of
 * the query's stemmed content terms in the chunk). `score` (RRF) is relative to the candidate set and
 * says nothing about whether anything matched, so it only breaks ties.
 */
import { conceptsIn, glossesFor } from '../../knowledge/bridge.js';
import { askedKind, namesKind, statesKind, type AskedKind } from '../../knowledge/question.js';
import type { Passage } from '../../knowledge/types.js';
import { foldedWords, headingQuestionWords, keyTerms, sameStem } from './words.js';

export interface Thresholds {
  /** Cosine at or below this is no semantic evidence (USE-lite: unrelated help-centre pairs score 0.0–0.3). */
  simFloor: number;
  /** Cosine at which semantic evidence is full (USE-lite: matching question/section pairs score 0.55–0.8). */
  simFull: number;
  /** Most one signal alone can contribute: a full match on one signal alone is strong, not certain. */
  singleSignalCap: number;
  /** Below this relevance a passage is noise. */
  relevantMin: number;
  /** The best passage must reach this to be answered without asking. */
  answerMin: number;
  /** A passage from another source within this of the best makes the question ambiguous... */
  closeMargin: number;
  /**
   * ...unless the best clearly leads on one raw signal and is no worse on the other: relevance saturates
   * (both 0.7 and 0.76 similarity count as full), so a question whose terms one source covers twice as
   * well is not ambiguous just because both saturate.
   */
  dominantCoverageLead: number;
  dominantSimilarityLead: number;
  /** How much worse the other signal may be while the lead still counts. */
  similarityTolerance: number;
  /** Further passages within this of the best join the answer. */
  companionMargin: number;
  /** Most passages handed to the responder. */
  maxPassages: number;
  /** A short answer whose match (knowledge/short-answers.ts) reaches this is given instead of any article... */
  shortAnswerMin: number;
  /**
   * ...when it also leads the next-best short answer by this much: a question that matches two stored
   * questions about equally means neither clearly, and a wrong curated answer, given verbatim, is worse
   * than an answer from the articles.
   */
  shortAnswerLead: number;
  /**
   * When to ask which topic is meant. `close`: whenever another source comes within closeMargin or the
   * best is below answerMin (the rule before issue 10). `disagree`: only when another source covers the
   * question's key terms about as well, in its text and in its title, and the best is not clearly ahead;
   * a low score alone never makes a clarifying question when one source clearly covers the question best.
   */
  clarifyWhen: 'close' | 'disagree';
  /** With clarifyWhen `disagree`: a rival must come this close in strength (relevance saturates near 0.8–0.95). */
  rivalMargin: number;
  /** How much a source's title (and, at half weight, its heading) naming the question's key terms adds to its relevance. */
  titleWeight: number;
  /** A rival whose title match trails the best's by more than this does not make the question ambiguous. */
  titleTie: number;
  /** Refuse to quote a passage that does not state what the question asks for (stated.ts). */
  checkStated: boolean;
  /**
   * How much a passage that gives the kind of answer asked for adds ("how long" → a duration, "how much" →
   * a price, knowledge/question.ts): of two sections of the shipping article, the one with the delivery
   * times answers "how long does shipping take?", not the one about carriers. A title or heading naming
   * that kind ("Delivery times", "Fragtpris") also counts towards titleMatch.
   */
  kindWeight: number;
  /**
   * How much a passage in the customer's language, or else in the agent's own, adds over one in a third
   * language: a Dutch customer reads the English article more easily than its Danish translation.
   */
  languageWeight: number;
  /**
   * Whether a passage in another language than the customer's counts its embedding similarity although it
   * has none of the question's words in its own language (coverage 0) while the question names support
   * words the bridge translates (knowledge/bridge.ts). An embedder's similarity across languages is no
   * evidence of meaning then: the offline model scores a Dutch question 0.78 against the Danish shipping
   * article by surface form alone, which made it a rival of the English payment article it asked about.
   */
  untranslatedSimilarity: boolean;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  simFloor: 0.3,
  simFull: 0.6,
  singleSignalCap: 0.8,
  relevantMin: 0.35,
  answerMin: 0.5,
  closeMargin: 0.1,
  dominantCoverageLead: 0.25,
  dominantSimilarityLead: 0.1,
  similarityTolerance: 0.05,
  companionMargin: 0.15,
  maxPassages: 3,
  shortAnswerMin: 0.45,
  shortAnswerLead: 0.2,
  clarifyWhen: 'disagree',
  titleWeight: 0.2,
  rivalMargin: 0.05,
  titleTie: 0.2,
  checkStated: true,
  kindWeight: 0.1,
  languageWeight: 0.02,
  untranslatedSimilarity: false,
};

/** The settings of the commit before issue 10's decision rules, kept so `npm run eval` shows a change's effect. */
export const BASELINE_THRESHOLDS: Thresholds = {
  ...DEFAULT_THRESHOLDS,
  clarifyWhen: 'close',
  titleWeight: 0,
  rivalMargin: DEFAULT_THRESHOLDS.closeMargin,
  titleTie: 0,
  checkStated: false,
  kindWeight: 0,
  languageWeight: 0,
  untranslatedSimilarity: true,
};

export interface ScoredPassage {
  passage: Passage;
  relevance: number;
  /** 0..1: how far the passage's title (fully) and heading (half) name the question's key terms. */
  titleMatch?: number;
  /** The passage gives the kind of answer the question asks for (a duration, a price, …). */
  givesKind?: boolean;
  /** The passage is in the customer's language or the agent's own. */
  readable?: boolean;
}

/** Who asks: the languages a passage reads best in, the customer's first. */
export interface Reader {
  languages: readonly string[];
}

/**
 * 0..1. The two signals combine as independent evidence, 1 − (1 − c)(1 − s), each capped so that one
 * signal alone cannot reach certainty: coverage 1 alone or similarity ≥ simFull alone gives 0.8.
 */
export function relevanceOf(p: Pick<Passage, 'similarity' | 'coverage'>, t: Thresholds = DEFAULT_THRESHOLDS): number {
  const sim = clamp01((p.similarity - t.simFloor) / (t.simFull - t.simFloor)) * t.singleSignalCap;
  const cov = clamp01(p.coverage) * t.singleSignalCap;
  return round(1 - (1 - sim) * (1 - cov));
}

/**
 * Passages by strength, best first: relevance, plus (with a question) titleWeight × how well the title
 * and heading name its key terms, as help content names its subject there; RRF score breaks ties. A
 * passage in another language than the customer's that has none of the question's bridged words counts
 * no similarity (Thresholds.untranslatedSimilarity).
 */
export function rankPassages(passages: readonly Passage[], t: Thresholds = DEFAULT_THRESHOLDS, question?: string, reader?: Reader): ScoredPassage[] {
  const terms = question === undefined ? [] : keyTerms(question);
  const asked = question === undefined ? [] : headingQuestionWords(question);
  const kind = question === undefined ? undefined : askedKind(question);
  const judged = kind !== undefined && kind !== 'yesno' ? kind : undefined;
  const termConcepts = terms.map((t) => conceptsIn(t));
  // The customer's language, and whether the question has words the bridge carries into other languages.
  const customer = reader?.languages[0];
  const termGlosses = terms.map((t) => glossesFor(t, customer));
  const bridged = !t.untranslatedSimilarity && customer !== undefined && termConcepts.some((c) => c.size > 0);
  return passages
    .map((passage) => ({
      passage,
      relevance: relevanceOf(bridged && passage.language !== customer && passage.coverage === 0 ? { ...passage, similarity: 0 } : passage, t),
      titleMatch: round(titleMatch(passage, terms, asked, judged === 'duration' || judged === 'price' ? judged : undefined, termConcepts,
        passage.language !== customer ? termGlosses : [])),
      ...(judged ? { givesKind: statesKind(passage.text, judged) } : {}),
      ...(reader ? { readable: reader.languages.includes(passage.language) } : {}),
    }))
    .sort((a, b) => strength(b, t) - strength(a, t) || b.relevance - a.relevance || b.passage.score - a.passage.score);
}

/**
 * Relevance plus what the title, the kind of answer and the language add. Giving the kind of answer asked
 * for only counts for a passage relevant enough to answer: any page with a date would otherwise lead a
 * "when" question about something no page covers.
 */
export function strength(s: ScoredPassage, t: Thresholds): number {
  const kind = s.givesKind && s.relevance >= t.answerMin ? t.kindWeight : 0;
  return s.relevance + t.titleWeight * (s.titleMatch ?? 0) + kind + (s.readable ? t.languageWeight : 0);
}

/**
 * Each key term counts 1 when the title names it and ½ when only the heading does; a question word the
 * heading repeats ("Where is my order?" under "Where is my order?") counts ½, as an FAQ heading asks the
 * customer's question, and so does a heading naming the kind of answer asked for ("Delivery times" for
 * "how long"). Divided by the key terms: 0..1.
 */
export function titleMatch(
  p: Pick<Passage, 'title' | 'heading'>, terms: readonly string[], asked: readonly string[] = [], kind?: AskedKind,
  /** The bridge's concepts of each term, when the caller ranks many passages for one question. */
  termConcepts: readonly ReadonlySet<number>[] = [],
  /** The dictionary's English words of each term (knowledge/bridge.ts glossesFor), for a title in English. */
  termGlosses: readonly (readonly string[])[] = [],
): number {
  if (terms.length === 0) return 0;
  const title = foldedWords(p.title);
  const heading = foldedWords(p.heading ?? '');
  // A title names a term in another language too when both name the same support concept (bridge.ts):
  // "retourneren" is named by "Returns and refunds" and by "Returnering og refundering".
  const titleConcepts = conceptsIn(p.title);
  const headingConcepts = conceptsIn(p.heading ?? '');
  const has = (words: string[], concepts: ReadonlySet<number>, term: string, i: number) =>
    words.some((w) => sameStem(term, w)) || [...(termConcepts[i] ?? conceptsIn(term))].some((c) => concepts.has(c))
    || !!termGlosses[i]?.some((g) => words.some((w) => sameStem(g, w)));
  let sum = 0;
  terms.forEach((term, i) => { sum += has(title, titleConcepts, term, i) ? 1 : has(heading, headingConcepts, term, i) ? 0.5 : 0; });
  for (const word of asked) if (heading.includes(word)) sum += 0.5;
  const kindNamed = kind !== undefined && namesKind(`${p.title} ${p.heading ?? ''}`, kind);
  return Math.min(1, (sum + (kindNamed ? 0.5 : 0)) / (terms.length + 0.5 * asked.length + (kind !== undefined ? 0.5 : 0)));
}

export type Assessment =
  | { kind: 'miss'; top: number }
  | { kind: 'weak'; top: number; candidates: ScoredPassage[] }
  | { kind: 'ambiguous'; top: number; runnerUp: number; candidates: ScoredPassage[] }
  | { kind: 'confident'; top: number; runnerUp: number; passages: ScoredPassage[] };

export function assess(ranked: readonly ScoredPassage[], t: Thresholds = DEFAULT_THRESHOLDS): Assessment {
  if (t.clarifyWhen === 'disagree') return assessDisagreement(ranked, t);
  const best = ranked[0];
  if (!best || best.relevance < t.relevantMin) return { kind: 'miss', top: best?.relevance ?? 0 };
  const relevant = ranked.filter((r) => r.relevance >= t.relevantMin);
  const otherSource = relevant.find((r) => r.passage.sourceId !== best.passage.sourceId);
  const runnerUp = otherSource?.relevance ?? 0;
  if (best.relevance < t.answerMin) return { kind: 'weak', top: best.relevance, candidates: relevant };
  if (otherSource && best.relevance - otherSource.relevance <= t.closeMargin && !dominates(best.passage, otherSource.passage, t)) {
    return { kind: 'ambiguous', top: best.relevance, runnerUp, candidates: relevant };
  }
  const passages = relevant
    .filter((r) => best.relevance - r.relevance <= t.companionMargin)
    .slice(0, t.maxPassages);
  return { kind: 'confident', top: best.relevance, runnerUp, passages };
}

/**
 * Clarify only when it helps: the best source (by strength) is answered unless another source, under
 * another title the customer could pick, is about as strong, is not clearly behind on either raw signal,
 * and names the question's key terms in its title about as well. Sources sharing one title cannot be told
 * apart by the customer, so they never make a clarifying question.
 */
function assessDisagreement(ranked: readonly ScoredPassage[], t: Thresholds): Assessment {
  const relevant = ranked.filter((r) => r.relevance >= t.relevantMin);
  const best = relevant[0];
  if (!best) return { kind: 'miss', top: Math.max(0, ...ranked.map((r) => r.relevance)) };
  const label = (p: Passage) => p.title.trim().toLowerCase();
  const others = relevant.filter((r) => r.passage.sourceId !== best.passage.sourceId && label(r.passage) !== label(best.passage)
    && !translationOf(r.passage, best.passage));
  const runnerUp = others[0]?.relevance ?? 0;
  const rivals = others.filter((r) => strength(best, t) - strength(r, t) <= t.rivalMargin
    && (r.titleMatch ?? 0) >= (best.titleMatch ?? 0) - t.titleTie
    && !dominates(best.passage, r.passage, t));
  if (rivals.length > 0) {
    const candidates = [best, ...relevant.filter((r) => r !== best && (r.passage.sourceId === best.passage.sourceId || rivals.includes(r)))];
    return { kind: 'ambiguous', top: best.relevance, runnerUp: rivals[0]!.relevance, candidates };
  }
  const passages = relevant.filter((r) => strength(best, t) - strength(r, t) <= t.companionMargin).slice(0, t.maxPassages);
  return { kind: 'confident', top: best.relevance, runnerUp, passages };
}

/**
 * Two sources in different languages whose titles name the same support concepts ("Levering og fragt",
 * "Shipping and delivery") are one topic translated: the customer cannot choose between them, so they
 * never make a clarifying question.
 */
function translationOf(a: Passage, b: Passage): boolean {
  if (a.language === b.language) return false;
  const ca = conceptsIn(a.title);
  const cb = conceptsIn(b.title);
  return ca.size > 0 && ca.size === cb.size && [...ca].every((c) => cb.has(c));
}

/** True when `a` clearly leads `b` on one raw signal without trailing on the other. */
export function dominates(
  a: Pick<Passage, 'similarity' | 'coverage' | 'weightedCoverage'>, b: Pick<Passage, 'similarity' | 'coverage' | 'weightedCoverage'>, t: Thresholds = DEFAULT_THRESHOLDS,
): boolean {
  // Weighted by rarity when both have it: finding the one rare term of the question ('step 7') is a lead.
  const weighted = a.weightedCoverage !== undefined && b.weightedCoverage !== undefined;
  const coverageLead = weighted ? a.weightedCoverage! - b.weightedCoverage! : a.coverage - b.coverage;
  const similarityLead = a.similarity - b.similarity;
  return (coverageLead >= t.dominantCoverageLead && similarityLead >= -t.similarityTolerance)
    || (similarityLead >= t.dominantSimilarityLead && coverageLead >= 0);
}

/** Confidence in an answer: the best relevance, discounted when another source came close. */
export function answerConfidence(top: number, runnerUp: number): number {
  const lead = clamp01((top - runnerUp) / 0.3);
  return round(top * (0.7 + 0.3 * lead));
}

export function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
