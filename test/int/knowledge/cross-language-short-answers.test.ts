import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/types.js';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import { expectAnswerFrom } from '../../support/replies.js';
import { englishAgentForOtherLanguages, type askAgent } from './helpers.js';

// A bicycle workshop, written for this test, whose curated short answers are English: its customers ask in
// Danish, German, Dutch and Spanish.
const RENTALS = `# Renting a bike

We rent city bikes and e-bikes by the day. A city bike costs 15 EUR per day, an e-bike 35 EUR per day.
Rentals must be returned before 18:00.`;

const USED_BIKES = 'Yes, we sell refurbished used bikes from 150 EUR, with a 6-month warranty.';
const CARDS = 'We take Visa, Mastercard and MobilePay.';

const embedder = createOfflineEmbedder();
let db: Db;
let ask: (text: string) => ReturnType<typeof askAgent>;

beforeAll(async () => {
  ({ db, ask } = await englishAgentForOtherLanguages(embedder, {
    name: 'Workshop',
    articles: [{ title: 'Renting a bike', content: RENTALS }],
    shortAnswers: [
      { question: 'Do you sell second-hand bikes?', answer: USED_BIKES },
      { question: 'Do you repair cargo bikes?', answer: 'Yes, cargo bikes of every brand, by appointment.' },
      { question: 'Can I pay by card?', answer: CARDS },
    ],
  }));
}, 120_000);
afterAll(async () => { await db?.close(); });

describe('an English short answer answers the same question asked in another language', () => {
  it.each([
    ['Sælger I brugte cykler?', 'da', 'skrevet på engelsk'],
    ['Verkauft ihr gebrauchte Fahrräder?', 'de', 'auf Englisch verfasst'],
    ['Verkopen jullie tweedehands fietsen?', 'nl', 'geschreven in het Engels'],
    ['¿Venden bicicletas usadas?', 'es', 'redactada en inglés'],
  ])('%s gets the curated answer about second-hand bikes, framed in the customer’s language', async (question, language, says) => {
    const { reply, insights } = await ask(question);
    expectAnswerFrom(reply, { language, source: 'Do you sell second-hand bikes?', says: [USED_BIKES, says] });
    expect(insights.triggers).toEqual(['short_answer']);
  });

  it.each([['Kan jeg betale med kort?', 'da'], ['Kann ich mit Karte bezahlen?', 'de']])('%s gets the card answer', async (question, language) => {
    const { reply } = await ask(question);
    expectAnswerFrom(reply, { language, source: 'Can I pay by card?', says: [CARDS] });
  });

  it('a question in Danish that no short answer is about gets none of them', async () => {
    const { reply } = await ask('Sælger I gavekort?');
    expect(reply.text).not.toContain(CARDS);
    expect(reply.text).not.toContain(USED_BIKES);
  });
});

describe('a short answer in the customer’s own language wins over the English one', () => {
  let danishDb: Db;
  let askDanishShop: typeof ask;
  beforeAll(async () => {
    ({ db: danishDb, ask: askDanishShop } = await englishAgentForOtherLanguages(embedder, {
      name: 'Workshop',
      shortAnswers: [
        { question: 'Do you sell second-hand bikes?', answer: USED_BIKES },
        { question: 'Sælger I brugte cykler?', answer: 'Ja, vi sælger istandsatte brugte cykler fra 1.100 kr.' },
      ],
    }));
  }, 120_000);
  afterAll(async () => { await danishDb?.close(); });

  it('“Sælger I cykler?” gets the Danish short answer; “Do you sell used bikes?” the English one', async () => {
    const danish = await askDanishShop('Sælger I cykler?');
    expectAnswerFrom(danish.reply, { language: 'da', source: 'Sælger I brugte cykler?', says: ['1.100 kr.'] });
    expect(danish.reply.text).not.toContain('skrevet på');
    const english = await askDanishShop('Do you sell used bikes?');
    expectAnswerFrom(english.reply, { language: 'en', source: 'Do you sell second-hand bikes?', says: [USED_BIKES] });
  });
});
