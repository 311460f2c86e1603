import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/types.js';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import type { ShortAnswerContent } from '../../../knowledge/short-answers.js';
import { agentWithKnowledge, askAgent } from './helpers.js';

// A bicycle shop's help centre, written for this test: one article, and short answers an operator stored
// for the questions customers ask most, each about another part of the shop (account, delivery, repairs).
const ARTICLE = {
  title: 'Shopping at Spokeworks',
  content: `# Shopping at Spokeworks

## Gift cards
Gift cards are sold in the shop and online, from 20 to 500 euros, and never expire.

## Opening hours
The shop in Aarhus is open Monday to Saturday from 10 to 18.`,
};

const PASSWORD: ShortAnswerContent = {
  question: 'How do I reset my password?',
  answer: 'Press Forgot password on the sign-in page and follow the link we email you.',
};
const NORWAY: ShortAnswerContent = {
  question: 'Do you ship bikes to Norway?',
  answer: 'Yes: bikes reach Norway in 5–7 working days; customs are paid on delivery.',
};
const PUNCTURE: ShortAnswerContent = {
  question: 'Can you repair a puncture while I wait?',
  answer: 'Yes, in about 20 minutes at the shop in Aarhus, no appointment needed.',
};
const SHORT_ANSWERS = [PASSWORD, NORWAY, PUNCTURE];

const embedder = createOfflineEmbedder();
let db: Db;
let agentId: string;

beforeAll(async () => {
  ({ db, agentId } = await agentWithKnowledge(embedder, { name: 'Short answer paraphrase test', articles: [ARTICLE], shortAnswers: SHORT_ANSWERS }));
});
afterAll(async () => { await db?.close(); });

const ask = (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'en' }, text);

describe('a customer who asks a stored question in their own words gets its short answer', () => {
  it.each([
    ['I forgot my password, how can I reset it?', PASSWORD],
    ['Can I get a bike delivered to Norway?', NORWAY],
  ])('a paraphrase gets the curated answer: "%s"', async (question, sa) => {
    const result = await ask(question);
    expect(result.reply?.text).toContain(sa.answer);
    expect(result.insights.triggers).toEqual(['short_answer']);
  });

  it('a question on a topic no short answer covers gets none of them', async () => {
    const result = await ask('Do gift cards expire?');
    for (const sa of SHORT_ANSWERS) expect(result.reply?.text ?? '').not.toContain(sa.answer);
    expect(result.insights.triggers).not.toContain('short_answer');
  });
});
