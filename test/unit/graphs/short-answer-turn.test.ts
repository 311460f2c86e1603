import { describe, expect, it } from 'vitest';
import { createTurnGraph, runTurn } from '../../../graphs/turn/graph.js';
import { ACTION, ANSWER, DECIDE, INTAKE, RETRIEVE } from '../../../graphs/turn/names.js';
import { DEFAULT_THRESHOLDS } from '../../../graphs/turn/relevance.js';
import type { Responder } from '../../../graphs/turn/responders/types.js';
import type { Passage, Retriever } from '../../../knowledge/types.js';

const ARTICLE: Passage = {
  chunkId: 'c-article', sourceId: 'returns', title: 'Returns and refunds', text: 'You can return any item within 30 days for a full refund.',
  language: 'en', score: 0.03, similarity: 0.72, coverage: 1, sourceKind: 'article',
};

/** A stored short answer as retrieval returns it, matched to the question at `match`. */
function storedAnswer(chunkId: string, sourceId: string, question: string, text: string, similarity: number, match: number): Passage {
  return {
    chunkId, sourceId, title: question, language: 'en', text, score: 0.02, similarity, coverage: 0.75, sourceKind: 'short_answer',
    shortAnswer: { question, phrasing: question, reverseCoverage: 0.75, match },
  };
}

const shortAnswer = (match: number) => storedAnswer('c-sa', 'sa-returns', 'How long do I have to return an item?',
  'Returns are free within 60 days of delivery; keep the receipt.', 0.8, match);

/** Another short answer, on exchanges, that a returns question can match about as well. */
const exchangeAnswer = (match: number) => storedAnswer('c-sa-2', 'sa-exchanges', 'How long do I have to exchange an item?',
  'Exchanges are free within 90 days; bring the item to any store.', 0.78, match);

function world(passages: Passage[]) {
  const calls: string[] = [];
  const retriever: Retriever = { retrieve: async () => passages };
  const responder: Responder = {
    name: 'recording',
    async answer(input) {
      calls.push(input.question);
      return { text: `${input.passages[0]?.text} [1]`, citations: [1] };
    },
  };
  let tick = 0;
  const graph = createTurnGraph({ retriever, responder, clock: () => new Date(Date.UTC(2025, 0, 1) + 5 * tick++) });
  const ask = (text: string) => runTurn(graph, {
    agent: { id: 'agent-1', name: 'Example Shop', defaultLanguage: 'en' }, message: { id: 'm1', text }, history: [], missStreak: 0,
  });
  return { ask, calls };
}

describe('short answers in a turn', () => {
  it('a matching short answer is given verbatim instead of a matching article, and cited as a short answer', async () => {
    const { ask, calls } = world([ARTICLE, shortAnswer(0.8)]);
    const result = await ask('How many days do I have to send something back?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.text).toContain('Returns are free within 60 days of delivery; keep the receipt.');
    expect(result.reply.text).toMatch(/^Here is our answer to “How long do I have to return an item\?”:/);
    expect(result.reply.text).toMatch(/Sources:\n\[1\] How long do I have to return an item\? \(short answer\)$/);
    expect(result.reply.sources).toEqual([expect.objectContaining({ id: 'sa-returns', kind: 'short_answer' })]);
    expect(result.reply.confidence).toBe(0.8);
    expect(result.insights.triggers).toEqual(['short_answer']);
    expect(result.insights.responder).toBe('short_answer');
    expect(result.insights.path).toEqual([INTAKE, ACTION, RETRIEVE, DECIDE, ANSWER]);
    expect(result.insights.scores.shortAnswerMatch).toBe(0.8);
    expect(calls).toEqual([]);
  });

  it('a short answer that does not mean the same is passed over for the article', async () => {
    const { ask, calls } = world([shortAnswer(DEFAULT_THRESHOLDS.shortAnswerMin - 0.05), ARTICLE]);
    const result = await ask('Can I return an item for a refund?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.text).toContain('You can return any item within 30 days');
    expect(result.reply.text).not.toContain('60 days');
    expect(result.reply.sources.map((s) => s.id)).toEqual(['returns']);
    expect(result.insights.triggers).toEqual(['confident_match']);
    expect(calls).toHaveLength(1);
  });

  it('of two short answers that match about equally, neither is given: the article answers', async () => {
    const { ask } = world([shortAnswer(0.8), exchangeAnswer(0.8 - DEFAULT_THRESHOLDS.shortAnswerLead / 2), ARTICLE]);
    const result = await ask('How long do I have to bring back or swap an item?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.text).toContain('You can return any item within 30 days');
    expect(result.reply.text).not.toContain('60 days');
    expect(result.reply.text).not.toContain('90 days');
    expect(result.insights.triggers).not.toContain('short_answer');
    expect(result.insights.scores).toMatchObject({ shortAnswerMatch: 0.8, shortAnswerLead: DEFAULT_THRESHOLDS.shortAnswerLead / 2 });
  });

  it('a short answer that clearly leads the next one is given', async () => {
    const { ask } = world([exchangeAnswer(0.5), shortAnswer(0.8), ARTICLE]);
    const result = await ask('How many days do I have to send something back?');
    expect(result.reply.text).toContain('Returns are free within 60 days of delivery; keep the receipt.');
    expect(result.reply.text).not.toContain('90 days');
    expect(result.insights.triggers).toEqual(['short_answer']);
    expect(result.insights.scores).toMatchObject({ shortAnswerMatch: 0.8, shortAnswerLead: 0.3 });
  });

  it('frames the short answer in the customer’s language and says it is written in English', async () => {
    const { ask } = world([shortAnswer(0.9)]);
    const result = await ask('Hvor lang tid har jeg til at returnere en vare?');
    expect(result.reply.language).toBe('da');
    expect(result.reply.text).toMatch(/^Her er vores svar på »How long do I have to return an item\?« \(skrevet på engelsk\):/);
    expect(result.reply.text).toContain('(kort svar)');
  });

  it('a question with only a short answer below the match is not answered from it', async () => {
    const { ask } = world([shortAnswer(0.2)]);
    const result = await ask('Do you sell gift cards?');
    expect(result.reply.kind).toBe('clarify');
    expect(result.insights.triggers).toEqual(['first_miss']);
  });
});
