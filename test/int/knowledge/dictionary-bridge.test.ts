import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/types.js';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import { expectAnswerFrom } from '../../support/replies.js';
import { englishAgentForOtherLanguages, type askAgent } from './helpers.js';

// A bicycle workshop's English help centre, written for this test. Its words (rent, bike, full service)
// are not in the language bridge's table of shop vocabulary: only a dictionary carries them.
const SERVICING = `# Servicing your bike

We recommend a full service every 12 months or 3,000 km, whichever comes first.

## Prices

| Service | Price | Time |
| --- | --- | --- |
| Basic tune-up | 49 EUR | 1 day |
| Full service | 119 EUR | 2 days |
| E-bike service | 159 EUR | 3 days |`;

const RENTALS = `# Renting a bike

We rent city bikes and e-bikes by the day. A city bike costs 15 EUR per day, an e-bike 35 EUR per day.
Helmets are included for free. Rentals must be returned before 18:00.`;

const embedder = createOfflineEmbedder();
let db: Db;
let ask: (text: string) => ReturnType<typeof askAgent>;

beforeAll(async () => {
  ({ db, ask } = await englishAgentForOtherLanguages(embedder, {
    name: 'Workshop',
    articles: [{ title: 'Servicing your bike', content: SERVICING }, { title: 'Renting a bike', content: RENTALS }],
  }));
}, 120_000);
afterAll(async () => { await db?.close(); });

describe('with the system’s bilingual dictionaries, a question in the customer’s everyday words finds the English article', () => {
  it.each([
    ['Hvor meget koster det at leje en cykel?', 'da', 'artiklen er på engelsk'],
    ['Kann ich ein Fahrrad mieten?', 'de', 'der Artikel ist auf Englisch'],
    ['Kan ik een fiets huren?', 'nl', 'het artikel is in het Engels'],
    ['Combien coûte la location d’un vélo ?', 'fr', 'l\'article est en anglais'],
  ])('%s is answered in the customer’s language from “Renting a bike”', async (question, language, says) => {
    const result = await ask(question);
    expectAnswerFrom(result.reply, { language, source: 'Renting a bike', says: ['15 EUR per day'] });
    expect(result.reply.text).toContain(says);
  });

  it('a Danish question about one row of a price table gets that row: “fuld” is full', async () => {
    const result = await ask('Hvad koster en fuld service?');
    expectAnswerFrom(result.reply, { language: 'da', source: 'Servicing your bike', says: ['Full service | 119 EUR | 2 days'] });
    expect(result.reply.text).not.toContain('Basic tune-up');
    expect(result.reply.text).not.toContain('E-bike service');
  });
});
