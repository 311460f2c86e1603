import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/types.js';
import { MESSAGES } from '../../../graphs/turn/messages.js';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import { expectAnswerFrom } from '../../support/replies.js';
import { agentWithKnowledge, askAgent } from './helpers.js';

// A bicycle workshop's help centre, written for this test. Its repair section says what repairs carry, not
// which repairs the workshop takes on; nothing is said about carbon, skis or wool.
const SERVICING = `# Servicing your bike

We recommend a full service every 12 months or 3,000 km, whichever comes first.

## Prices

A basic tune-up costs 49 EUR and takes one day. A full service costs 119 EUR and takes two days.

## Warranty on repairs

Repairs carry a 6-month warranty on parts and labour.`;

const RENTALS = `# Renting a bike

We rent city bikes and e-bikes by the day. A city bike costs 15 EUR per day, an e-bike 35 EUR per day.
Helmets are included for free. Rentals must be returned before 18:00.`;

const CARE = `# Looking after your bike

Clean the chain with a dry cloth after a wet ride and oil it every 200 km. Keep the tyres at the pressure
printed on their side, and store the bike indoors in winter.`;

// The offline embedder, as a new install has it: the questions below are close to these articles in its
// space, so only the words decide whether the article says what is asked.
const embedder = createOfflineEmbedder();
let db: Db;
let agentId: string;

beforeAll(async () => {
  ({ db, agentId } = await agentWithKnowledge(embedder, {
    name: 'Workshop',
    articles: [{ title: 'Servicing your bike', content: SERVICING }, { title: 'Renting a bike', content: RENTALS }, { title: 'Looking after your bike', content: CARE }],
  }));
}, 120_000);
afterAll(async () => { await db?.close(); });

const ask = (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'en' }, text);

describe('a question whose subject the knowledge never names gets “could not find that” and the offer of a person', () => {
  it.each([
    'Do you repair carbon frames?',
    'How often should I replace the brake pads?',
    'How much does it cost to repair a carbon frame?',
  ])('%s is not answered with a passage that only shares its words', async (question) => {
    const result = await ask(question);
    expect(result.reply.text, result.insights.reason).toBe(MESSAGES.en.notStated());
    expect(result.reply.sources).toEqual([]);
    expect(result.insights.triggers).toEqual(['answer_not_stated:specific']);
  });
});

describe('the questions the same articles do answer are still answered', () => {
  it.each([
    ['How often should I service my bike?', 'Servicing your bike', 'every 12 months'],
    ['How much is a full service?', 'Servicing your bike', '119 EUR'],
    ['Can I hire an e-bike for a day?', 'Renting a bike', 'e-bikes by the day'],
    ['How often should I oil the chain?', 'Looking after your bike', 'every 200 km'],
  ])('%s is answered from “%s”', async (question, source, says) => {
    const result = await ask(question);
    expectAnswerFrom(result.reply, { language: 'en', source, says: [says] });
  });
});
