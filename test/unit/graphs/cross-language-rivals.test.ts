import { describe, it } from 'vitest';
import { createTurnGraph, runTurn } from '../../../graphs/turn/graph.js';
import { createExtractiveResponder } from '../../../graphs/turn/responders/extractive.js';
import type { Passage, Retriever } from '../../../knowledge/types.js';
import { expectAnswerFrom } from '../../support/replies.js';

/**
 * What the offline embedder gave the demo for "Welke betaalmethoden accepteren jullie?": the English
 * payment article has the one translated word (coverage 1/3) at a modest similarity, while Danish
 * articles about other things look like the Dutch question to the English-centric model (similarity
 * 0.78) without a single word of it in Danish (coverage 0).
 */
const PASSAGES: Passage[] = [
  {
    chunkId: 'pay', sourceId: 'payment', title: 'Payment methods', heading: 'Which payment methods do you accept?', language: 'en',
    text: 'We accept Visa, Mastercard, MobilePay and PayPal. You can also pay by invoice with Klarna.',
    score: 0.0225, similarity: 0.446, coverage: 1 / 3,
  },
  {
    chunkId: 'ret-da', sourceId: 'returnering', title: 'Returnering og refundering', heading: 'Betingelser for returnering', language: 'da',
    text: 'Varen skal være ubrugt og i original emballage.',
    score: 0.015, similarity: 0.779, coverage: 0,
  },
  {
    chunkId: 'lev-da', sourceId: 'levering', title: 'Levering og fragt', heading: 'Leveringstid', language: 'da',
    text: 'Bestillinger afgivet før klokken 14 sendes samme dag.',
    score: 0.014, similarity: 0.775, coverage: 0,
  },
  {
    chunkId: 'ship', sourceId: 'shipping', title: 'Shipping and delivery', heading: 'Shipping costs', language: 'en',
    text: 'Shipping within Denmark costs 39 DKK. You pay the shipping at checkout.',
    score: 0.0174, similarity: 0.458, coverage: 1 / 3,
  },
];

const retriever: Retriever = { retrieve: async () => PASSAGES };

function ask(text: string) {
  const graph = createTurnGraph({ retriever, responder: createExtractiveResponder(), clock: () => new Date(Date.UTC(2025, 0, 1)) });
  return runTurn(graph, { agent: { id: 'demo', name: 'Shop', defaultLanguage: 'en' }, message: { id: 'm1', text }, history: [], missStreak: 0 });
}

describe('a question answered in another language is not clarified against articles that only look alike', () => {
  it('a Dutch question about payment methods gets the English payment methods, in Dutch, not a choice between Danish articles', async () => {
    const result = await ask('Welke betaalmethoden accepteren jullie?');
    expectAnswerFrom(result.reply, { language: 'nl', source: 'Payment methods', says: ['het artikel is in het Engels', 'We accept Visa, Mastercard, MobilePay and PayPal.'] });
  });
});
