/**
 * Writes the answer through the injected responder, then enforces the citation invariant whatever the
 * responder did: only numbers of passages actually given survive, they are renumbered 1..k per source,
 * and the sources listed are exactly those k sources in that order. A short answer is given verbatim.
 */
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { keepValidCitations, renumberCitations } from '../citations.js';
import type { Clock } from '../clock.js';
import { ANSWER, Trigger } from '../names.js';
import { extractiveAnswer } from '../responders/extractive.js';
import type { Responder, ResponderInput } from '../responders/types.js';
import { toLanguage } from '../../../knowledge/language.js';
import type { Language, Passage } from '../../../knowledge/types.js';
import { messagesFor } from '../messages.js';
import { sourcesBlock, toSourceRef } from '../sources.js';

export function createAnswerNode({ responder, clock }: { responder: Responder; clock: Clock }) {
  return async function answerNode({ decision, input, language, question }: TurnStateType): Promise<TurnUpdate> {
    if (decision?.kind === 'short_answer') return shortAnswerReply(decision.passage, language, decision.confidence);
    if (decision?.kind !== 'answer') throw new Error(`answer node reached with decision ${decision?.kind}`);
    const request: ResponderInput = {
      question,
      language,
      passages: decision.passages,
      agent: input.agent,
      history: input.history,
    };
    const started = clock().getTime();
    const out = await responder.answer(request);
    const elapsed = Math.max(0, clock().getTime() - started);
    const triggers: string[] = [];
    let answeredBy = out.answeredBy ?? responder.name;
    let checked = keepValidCitations(out.text, decision.passages.length);
    if (out.fallback) triggers.push(Trigger.llmFallback, `${Trigger.llmFallback}:${out.fallback}`);
    if (checked.citations.length === 0) {
      // A responder broke its contract; the extractive reply always cites what it quotes.
      triggers.push(Trigger.noValidCitation);
      checked = keepValidCitations(extractiveAnswer(request).text, decision.passages.length);
      answeredBy = 'extractive';
    }
    const { text, order } = renumberCitations(checked.text, (n) => decision.passages[n - 1]?.sourceId ?? String(n));
    const sources = order.flatMap((n) => {
      const p = decision.passages[n - 1];
      return p ? [toSourceRef(p, checked.citations.flatMap((m) => decision.passages[m - 1] ?? []))] : [];
    });
    return {
      path: [ANSWER],
      reply: {
        text: `${text}\n\n${sourcesBlock(language, sources)}`,
        kind: 'answer',
        sources,
        language,
        confidence: decision.confidence,
      },
      responder: answeredBy,
      triggers,
      scores: { answerMs: elapsed, citations: sources.length },
    };
  };
}

/**
 * A curated short answer is given as written, never through a responder (an LLM must not reword what a
 * person curated): a fixed framing in the reply language (saying so when the short answer is written in
 * another), the answer, and the short answer as its source.
 */
function shortAnswerReply(passage: Passage, language: Language, confidence: number): TurnUpdate {
  const m = messagesFor(language);
  const source = toSourceRef(passage);
  const question = m.quote(passage.shortAnswer?.question ?? passage.title);
  // Stored in another language than the reply's (an English short answer to a Danish question): say so.
  const written = toLanguage(passage.language);
  const intro = written && written !== language
    ? m.shortAnswerIntroOtherLanguage({ question, language: m.languageNames[written] })
    : m.shortAnswerIntro({ question });
  return {
    path: [ANSWER],
    reply: {
      text: `${intro}\n\n${passage.text} [1]\n\n${sourcesBlock(language, [source])}`,
      kind: 'answer',
      sources: [source],
      language,
      confidence,
    },
    responder: 'short_answer',
    scores: { citations: 1 },
  };
}
