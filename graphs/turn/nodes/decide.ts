/**
 * Answer, clarify, ask to rephrase, or hand off, from the absolute retrieval signals alone. Pure: the
 * clarify and rephrase replies are fixed messages composed here; answers are written by the answer node.
 */
import type { Passage } from '../../../knowledge/types.js';
import type { Reply } from '../../../workflows/conversation.contract.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { messagesFor, topicList } from '../messages.js';
import { DECIDE, Trigger } from '../names.js';
import { answerConfidence, assess, rankPassages, round, type Assessment, type ScoredPassage, type Thresholds } from '../relevance.js';
import { notStated, type NotStated } from '../stated.js';

const MAX_TOPICS = 3;

export function createDecideNode(thresholds: Thresholds) {
  return function decideNode(state: TurnStateType): TurnUpdate {
    // Short answers are judged only by their own match: their similarity is on a phrasing-to-question scale
    // the article thresholds were not calibrated for.
    const shortAnswer = bestShortAnswer(state.passages);
    const reader = { languages: [state.language, state.input.agent.defaultLanguage].filter((l): l is string => !!l) };
    const ranked = rankPassages(state.passages.filter((p) => !p.shortAnswer), thresholds, state.question, reader);
    // A picked topic: retrieval kept only its passages, and the customer has said which one is meant.
    const verdict: Assessment = state.topic !== undefined && ranked[0]
      ? { kind: 'confident', top: ranked[0].relevance, runnerUp: 0, passages: ranked.slice(0, thresholds.maxPassages) }
      : assess(ranked, thresholds);
    const best = ranked[0];
    const scores: Record<string, number> = {
      topRelevance: verdict.top,
      topSimilarity: best?.passage.similarity ?? 0,
      topCoverage: best?.passage.coverage ?? 0,
      ...('runnerUp' in verdict ? { runnerUpRelevance: verdict.runnerUp } : {}),
      ...(shortAnswer ? { shortAnswerMatch: shortAnswer.match, shortAnswerLead: shortAnswer.lead } : {}),
    };
    const clarify = (text: string, confidence: number): Reply => ({ text, kind: 'clarify', sources: [], language: state.language, confidence });
    const m = messagesFor(state.language);

    if (state.vague) {
      const topics = verdict.kind === 'miss' ? [] : topicsOf(verdict.kind === 'confident' ? verdict.passages : verdict.candidates);
      return {
        path: [DECIDE], scores,
        decision: { kind: 'clarify', confidence: 0.25 },
        reply: clarify(m.clarifyVague(topics.length ? { topics: topicList(state.language, topics) } : {}), 0.25),
        triggers: [Trigger.vague],
        reason: `vague_question: the message names no specific topic${topics.length ? `; offered ${topics.length} possible topics` : ''}.`,
      };
    }

    if (shortAnswer && shortAnswer.match >= thresholds.shortAnswerMin && shortAnswer.lead >= thresholds.shortAnswerLead) {
      const { passage, match, lead } = shortAnswer;
      return {
        path: [DECIDE], scores,
        decision: { kind: 'short_answer', passage, confidence: match },
        missStreak: 0,
        triggers: [Trigger.shortAnswer],
        reason: `short_answer: the question means the same as the short answer “${passage.shortAnswer?.phrasing}” ` +
          `(match ${match} ≥ ${thresholds.shortAnswerMin}, ${round(lead)} ahead of any other: similarity ${passage.similarity}, ` +
          `weighted coverage ${round(passage.shortAnswer?.looseCoverage ?? passage.weightedCoverage ?? passage.coverage)} / ` +
          `${round(passage.shortAnswer?.looseReverseCoverage ?? passage.shortAnswer?.weightedReverseCoverage ?? passage.shortAnswer?.reverseCoverage ?? 0)}` +
          `); its curated answer is given verbatim.`,
      };
    }

    switch (verdict.kind) {
      case 'miss': {
        const confidence = round(1 - verdict.top);
        const detail = `best relevance ${verdict.top} is below ${thresholds.relevantMin}`;
        if (state.missStreak >= 1) {
          return {
            path: [DECIDE], scores,
            decision: { kind: 'handoff', reason: 'second_miss', confidence },
            triggers: [Trigger.secondMiss],
            reason: `second_miss: nothing relevant found for the second message in a row (${detail}).`,
          };
        }
        return {
          path: [DECIDE], scores,
          decision: { kind: 'rephrase', confidence },
          reply: { text: m.rephrase(), kind: 'clarify', sources: [], language: state.language, confidence },
          missStreak: state.missStreak + 1,
          triggers: [Trigger.firstMiss],
          reason: `first_miss: nothing relevant found (${detail}); asked the customer to rephrase.`,
        };
      }
      case 'weak':
      case 'ambiguous': {
        const topics = topicsOf(verdict.candidates);
        const confidence = round(verdict.top * 0.5);
        const why = verdict.kind === 'weak'
          ? `weak_match: best relevance ${verdict.top} is below ${thresholds.answerMin}`
          : `ambiguous_top_candidates: ${topics.length} sources within ${thresholds.closeMargin} of the best (${verdict.top} vs ${verdict.runnerUp})`;
        return {
          path: [DECIDE], scores,
          decision: { kind: 'clarify', confidence },
          reply: clarify(m.clarifyTopics({ topics: topicList(state.language, topics) }), confidence),
          triggers: [verdict.kind === 'weak' ? Trigger.weakMatch : Trigger.ambiguous],
          reason: `${why}; asked which topic the customer means.`,
        };
      }
      case 'confident': {
        // Judged on the best passage alone: a name found in another section of the same article ("Norway"
        // under delivery times) does not make the section on prices state the price to Norway.
        // The question's own language decides how it is read (German capitalises every noun, so a
        // capital is no name there), not the passage's: a German question answered from an English article
        // is still German.
        const first = verdict.passages[0]?.passage;
        const missing = thresholds.checkStated && first ? notStated(state.question, [first], state.queryLanguage ?? first.language) : undefined;
        if (missing) return notStatedUpdate(state, scores, missing, best?.passage.title ?? '');
        const confidence = answerConfidence(verdict.top, verdict.runnerUp);
        return {
          path: [DECIDE], scores,
          decision: { kind: 'answer', passages: verdict.passages.map((s) => s.passage), confidence },
          missStreak: 0,
          triggers: [Trigger.confident],
          reason: `confident_match: “${best?.passage.title}” has relevance ${verdict.top} ` +
            `(similarity ${best?.passage.similarity}, coverage ${best?.passage.coverage}); answering from ${verdict.passages.length} passage(s).`,
        };
      }
    }
  };
}

/**
 * The best source does not state what was asked: quoting it would hand over a span that only shares the
 * question's words. Counted as a miss: the first time the customer is told so and offered a person (a yes
 * hands off, see follow-up.ts), a second miss in a row hands off.
 */
function notStatedUpdate(state: TurnStateType, scores: Record<string, number>, missing: NotStated, title: string): TurnUpdate {
  const what = missing.kind === 'specific' ? `“${missing.term}”, which it never names` : { number: 'an amount or a duration', time: 'a time', reason: 'a reason' }[missing.kind] + ', which it never gives';
  const detail = `“${title}” matches the question's words but not what it asks for: ${what}`;
  const confidence = 0.5;
  if (state.missStreak >= 1) {
    return {
      path: [DECIDE], scores,
      decision: { kind: 'handoff', reason: 'second_miss', confidence },
      triggers: [Trigger.notStated, Trigger.secondMiss],
      reason: `second_miss: nothing found that answers the second message in a row (${detail}).`,
    };
  }
  return {
    path: [DECIDE], scores,
    decision: { kind: 'clarify', confidence },
    reply: { text: messagesFor(state.language).notStated(), kind: 'clarify', sources: [], language: state.language, confidence },
    missStreak: state.missStreak + 1,
    triggers: [`${Trigger.notStated}:${missing.kind}`],
    reason: `${Trigger.notStated}: ${detail}; said so and offered a person.`,
  };
}

/**
 * The short answer that matches best, if retrieval returned any, with its lead over the next-best short
 * answer (its whole match when there is none).
 */
export function bestShortAnswer(passages: readonly Passage[]): { passage: Passage; match: number; lead: number } | undefined {
  let best: { passage: Passage; match: number } | undefined;
  let runnerUp = 0;
  for (const p of passages) {
    const match = p.shortAnswer?.match;
    if (match === undefined) continue;
    if (!best || match > best.match) {
      if (best) runnerUp = Math.max(runnerUp, best.match);
      best = { passage: p, match };
    } else {
      runnerUp = Math.max(runnerUp, match);
    }
  }
  return best && { ...best, lead: Math.round((best.match - runnerUp) * 1000) / 1000 };
}

/** One label per source, best first: its title, or title and heading when two sources share a title. */
export function topicsOf(candidates: readonly ScoredPassage[]): string[] {
  const perSource = new Map<string, ScoredPassage>();
  for (const c of candidates) if (!perSource.has(c.passage.sourceId)) perSource.set(c.passage.sourceId, c);
  const chosen = [...perSource.values()].slice(0, MAX_TOPICS).map((c) => c.passage);
  return chosen.map((p) => {
    const shared = chosen.some((o) => o !== p && o.title === p.title);
    return shared && p.heading ? `${p.title} – ${p.heading}` : p.title;
  });
}
