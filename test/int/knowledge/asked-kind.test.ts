import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import type { Db } from '../../../db/types.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { openTestDb } from '../../support/db.js';
import { askAgent, hashEmbedder } from './helpers.js';

const embedder = hashEmbedder();
let db: Db;
let agentId: string;

// One topic in two languages, the way a Danish shop writes it: an English article and its Danish
// translation. The section about carriers shares the words "take" and "ship" with a question about
// delivery times; the section with the times never says "long" or "take".
const SHIPPING_EN = `# Shipping and delivery

## Delivery times

Orders placed before 14:00 leave our warehouse the same day. Delivery then takes:

- Denmark: 1 to 2 working days
- Sweden and Norway: 2 to 4 working days
- The rest of the EU: 3 to 6 working days

## Carriers

We ship with PostNord and GLS. When you are not home, the carrier takes the parcel to the nearest parcel shop.

## Shipping costs

Shipping within Denmark costs 39 DKK and is free on orders over 499 DKK.`;

const SHIPPING_DA = `# Levering og fragt

## Leveringstid

Bestillinger afgivet før klokken 14 sendes samme dag. Derefter tager leveringen:

- Danmark: 1 til 2 hverdage
- Sverige og Norge: 2 til 4 hverdage

## Fragtfirmaer

Vi sender med PostNord og GLS. Er du ikke hjemme, tager fragtfirmaet pakken med til den nærmeste pakkeshop.`;

beforeAll(async () => {
  db = await openTestDb();
  agentId = (await createAgent(db, { name: 'Asked-kind test', defaultLanguage: 'en' })).id;
  await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Shipping and delivery', content: SHIPPING_EN });
  await ingestSource(db, embedder, { agentId, type: 'markdown', title: 'Levering og fragt', content: SHIPPING_DA });
});
afterAll(async () => { await db?.close(); });

const ask = (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'en' }, text);

describe('a question is answered with the kind of answer it asks for', () => {
  it('“how long” gets the delivery times, the list whole, not the section about carriers that shares its words', async () => {
    const result = await ask('How long does shipping take?');
    expect(result.reply?.kind, result.reply?.text).toBe('answer');
    expect(result.reply?.text).toContain('- Denmark: 1 to 2 working days\n- Sweden and Norway: 2 to 4 working days\n- The rest of the EU: 3 to 6 working days');
    expect(result.reply?.text).not.toContain('parcel shop');
  });

  it('“how much” gets the price first', async () => {
    const result = await ask('How much does shipping cost?');
    expect(result.reply?.kind, result.reply?.text).toBe('answer');
    expect(result.reply?.text.split('\n')[1]).toMatch(/^Shipping within Denmark costs 39 DKK/);
  });

  it('a Danish customer gets the Danish article, not a choice among English sections', async () => {
    const result = await ask('Hvor lang tid tager levering?');
    expect(result.reply?.kind, result.reply?.text).toBe('answer');
    expect(result.reply?.sources[0]?.title).toBe('Levering og fragt');
    expect(result.reply?.text).toContain('Danmark: 1 til 2 hverdage');
  });

  it('a Dutch customer is not asked to choose between an article and its Danish translation', async () => {
    const result = await ask('Hoe lang duurt de verzending?');
    expect(result.reply?.kind, result.reply?.text).toBe('answer');
    // Neither is in Dutch: the agent's own language reads best.
    expect(result.reply?.sources[0]?.title).toBe('Shipping and delivery');
    expect(result.reply?.text).toContain('het artikel is in het Engels');
  });
});
