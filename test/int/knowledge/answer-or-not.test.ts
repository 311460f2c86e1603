import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../db/agents.js';
import type { Db } from '../../../db/types.js';
import { MESSAGES } from '../../../graphs/turn/messages.js';
import { ingestSource } from '../../../knowledge/ingest.js';
import { openTestDb } from '../../support/db.js';
import { expectAnswerFrom } from '../../support/replies.js';
import { askAgent, hashEmbedder } from './helpers.js';

const embedder = hashEmbedder();
let db: Db;
let agentId: string;

// A small shop whose help centre is English but for one German page about something else. Vouchers,
// payment and returns are explained only in English.
const VOUCHERS = `# Gift vouchers

## Buying a voucher

Vouchers are sold in our shop and online, in any amount from 10 to 500 EUR.

## How long a voucher lasts

A voucher is valid for 2 years from the day it was bought. After that it expires and cannot be used.`;

const PAYMENT = `# Payment methods

## Which payment methods do you accept?

We accept Visa, Mastercard, PayPal and Klarna. Business customers can pay by invoice.

## When is my card charged?

We charge your card when the order ships.`;

const RETURNS = `# Returns

## Return conditions

You can return most items within 30 days. Items must be unused and in their original packaging.
Personalised items cannot be returned.`;

const ABOUT_DE = `# Über uns

Wir sind ein kleines Familienunternehmen. Wie lange gibt es uns schon? Seit 1998 verkaufen wir
Ausrüstung für Wanderungen, und ein Besuch in unserem Laden lohnt sich immer.`;

beforeAll(async () => {
  db = await openTestDb();
  agentId = (await createAgent(db, { name: 'Answer-or-not test', defaultLanguage: 'en' })).id;
  for (const [title, content] of [['Gift vouchers', VOUCHERS], ['Payment methods', PAYMENT], ['Returns', RETURNS], ['Über uns', ABOUT_DE]] as const) {
    await ingestSource(db, embedder, { agentId, type: 'markdown', title, content });
  }
});
afterAll(async () => { await db?.close(); });

const ask = (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'en' }, text);

describe('a question in another language than the article is answered, in the customer\'s language', () => {
  it('a German “how long is my voucher valid” (a compound noun) gets the English article\'s duration, in German, saying it is in English', async () => {
    const result = await ask('Wie lange ist mein Geschenkgutschein gültig?');
    expectAnswerFrom(result.reply, { language: 'de', source: 'Gift vouchers', says: ['Englisch', 'valid for 2 years'] });
  });
});

describe('a question about something the knowledge does not mention is not answered with a passage that shares its words', () => {
  it('“can I return sale items?” against return rules that never mention sale items: could not find, and a person offered', async () => {
    const result = await ask('Can I return sale items?');
    expect(result.reply.kind).toBe('clarify');
    expect(result.reply.text).toBe(MESSAGES.en.notStated());
    expect(result.insights.triggers).toEqual(['answer_not_stated:specific']);
  });

  it('a yes/no question the rules do cover is still answered from them', async () => {
    const result = await ask('Can I return unused items?');
    expect(result.reply.kind, result.reply.text).toBe('answer');
    expect(result.reply.text).toContain('You can return most items within 30 days.');
  });
});
