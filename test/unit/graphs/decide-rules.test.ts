import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../graphs/turn/messages.js';
import { isYesNoQuestion, notStated, specificTerms } from '../../../graphs/turn/stated.js';
import { offeredTopics, pickedTopic } from '../../../graphs/turn/follow-up.js';
import { topicList } from '../../../graphs/turn/messages.js';
import type { Chunk } from './support/memory-retriever.js';
import { buildWorld } from './support/world.js';

/** A shop whose articles share words, written so each rule has one clear case. */
const SHOP: Chunk[] = [
  {
    chunkId: 'ship-times', sourceId: 'shipping', title: 'Shipping', heading: 'Delivery times', language: 'en',
    text: 'Orders leave our warehouse the same day. Delivery within Denmark takes 1 to 2 working days, to the rest of the EU 3 to 6 working days.',
  },
  {
    chunkId: 'ship-costs', sourceId: 'shipping', title: 'Shipping', heading: 'Shipping costs', language: 'en',
    text: 'Standard shipping costs 39 DKK and is free on orders over 499 DKK.',
  },
  {
    chunkId: 'pay-charge', sourceId: 'payment', title: 'Payment', heading: 'When is my card charged?', language: 'en',
    text: 'We charge your card when the order ships. Your bank may take up to 5 days to show a released reservation.',
  },
  {
    chunkId: 'gift-use', sourceId: 'gift', title: 'Gift cards', heading: 'Using a gift card', language: 'en',
    text: 'Enter the 16-digit code of the card at checkout. A gift card is valid for 3 years.',
  },
  {
    chunkId: 'loyal-use', sourceId: 'loyalty', title: 'Loyalty card', heading: 'Using the loyalty card', language: 'en',
    text: 'Show the loyalty card at checkout in our stores. Every purchase collects points.',
  },
  {
    chunkId: 'contact', sourceId: 'contact', title: 'Contact', heading: 'Customer service', language: 'en',
    text: 'Customer service is open Monday to Friday from 9:00 to 17:00. Fjeldspor ApS, Mejlgade 40, Aarhus.',
  },
];

describe('clarifying only when it helps', () => {
  it('answers from the one source whose title names the question, though another source shares its words', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const result = await ask('How long does shipping take?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.sources[0]?.title).toBe('Shipping');
    expect(result.reply.text).toMatch(/1 to 2 working days/);
  });

  it('asks which topic is meant when two sources each cover the question equally, naming both', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const result = await ask('How do I use my card at checkout?');
    expect(result.reply.kind).toBe('clarify');
    expect(result.insights.triggers).toEqual(['ambiguous_top_candidates']);
    expect(offeredTopics(result.reply.text).sort()).toEqual(['Gift cards', 'Loyalty card']);
  });

  it('asks about a question whose subject is only "it"', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const result = await ask('How much does it cost?');
    expect(result.reply.kind).toBe('clarify');
    expect(result.insights.triggers).toEqual(['vague_question']);
  });

  it('answers the original question from the topic the customer picks, not the pick itself', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const first = await ask('How do I use my card at checkout?');
    const second = await ask('Gift cards', { history: [{ role: 'customer', text: 'How do I use my card at checkout?' }, { role: 'agent', text: first.reply.text }] });
    expect(second.reply.kind).toBe('answer');
    expect(second.reply.sources.map((s) => s.title)).toEqual(['Gift cards']);
    expect(second.reply.text).toMatch(/Enter the 16-digit code of the card at checkout/);
    expect(second.insights.triggers).toContain('topic_picked');
  });

  it('reads a reply that asks something new as a new question, not a pick', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const first = await ask('How do I use my card at checkout?');
    const second = await ask('When is my card charged for an order that ships late?', { history: [{ role: 'customer', text: 'How do I use my card at checkout?' }, { role: 'agent', text: first.reply.text }] });
    expect(second.insights.triggers).not.toContain('topic_picked');
  });
});

describe('not answering what the knowledge does not say', () => {
  it('says it could not find a price for a place the best passage never names, and offers a person', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const result = await ask('How much does shipping to Norway cost?');
    expect(result.reply.kind).toBe('clarify');
    expect(result.reply.text).toBe(MESSAGES.en.notStated());
    expect(result.reply.text).not.toMatch(/39 DKK/);
    expect(result.insights.triggers).toEqual(['answer_not_stated:specific']);
    expect(result.missStreak).toBe(1);
  });

  it('hands off when the customer says yes to the offer of a person', async () => {
    const { ask, retriever } = buildWorld({ chunks: SHOP });
    const result = await ask('Yes please', { history: [{ role: 'customer', text: 'Who is the CEO of Fjeldspor?' }, { role: 'agent', text: MESSAGES.en.notStated() }] });
    expect(result.reply.kind).toBe('handoff');
    expect(result.intent).toEqual({ handoff: { reason: 'human_requested' } });
    expect(retriever.queries).toHaveLength(0);
  });

  it('hands off on a second question in a row that the knowledge does not answer', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const result = await ask('Who is the CEO of Fjeldspor?', { missStreak: 1 });
    expect(result.reply.kind).toBe('handoff');
    expect(result.intent).toEqual({ handoff: { reason: 'second_miss' } });
  });

  it('still answers the question the passage does state', async () => {
    const { ask } = buildWorld({ chunks: SHOP });
    const result = await ask('How much does standard shipping cost?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.text).toMatch(/39 DKK/);
  });

  it.each([
    ['Who chaired the committee in 1975?', 'The committee was chaired by Bert Bolin from 1988.', 'specific'],
    ['Who was the second director of the museum?', 'Henry Cole was the first director of the museum.', 'specific'],
    ['Why are technicians paid less than pharmacists?', 'Technicians are paid less than pharmacists in most hospitals.', 'reason'],
    ['When does the winter sale start?', 'The winter sale brings discounts on tents and jackets.', 'time'],
    ['How many Huguenots fled France by the 1700s?', 'By 1650 some 20,000 Huguenots had fled France.', 'specific'],
    ['Who chaired the IPCC in 1988?', 'The International Olympic Committee met in 1988.', 'specific'],
    ['Who founded Fjeldpsor Nord?', 'Fjeldspor was founded by two friends.', 'specific'],
  ])('finds that %s is not stated', (question, text, kind) => {
    expect(notStated(question, [{ title: 'Article', text }])).toMatchObject({ kind });
  });

  it.each([
    ['How long does delivery take?', 'Delivery takes 2 to 4 working days.'],
    ['Why does my jacket feel wet inside?', 'Dirt and skin oils are the most common reason a jacket starts to feel wet inside.'],
    ['When is my card charged?', 'We charge your card when the order ships, usually the same day.'],
    ['Can I return an item after 40 days?', 'You can return items within 30 days.'],
    ['What does the status Packing mean?', 'Packing: your items are being picked and packed.'],
    ['[shipping] How long does standard delivery take?', 'Standard delivery takes 2 to 4 working days.'],
    // An acronym the text spells out, a name typed with one slip, a decade, and "first" said another way.
    ['How many treaties of the EU protect fundamental rights?', 'None of the three treaties establishing the European Union protected fundamental rights.'],
    ['What was Ghandi’s work called?', 'Gandhi’s work was called Hind Swaraj.'],
    ['How many Huguenots fled France by the 1700s?', 'By 1710 some 200,000 Huguenots had fled France.'],
    ['What was the name of Börte’s first son?', 'Börte’s eldest son was Jochi.'],
    // One word the passage does not use is a paraphrase, not another subject.
    ['Can I hire an e-bike for a day?', 'We rent city bikes and e-bikes by the day.'],
    ['How do I get my deposit back?', 'The deposit of 100 EUR is refunded when the bike comes back undamaged.'],
    // A phrase the bridge knows ("send back") is stated by its concept ("returned").
    ['How long do I have to send back a faulty jacket?', 'Faulty jackets can be returned within two years.'],
    // A rule for "items" answers a question about one kind of item.
    ['Can I send back shoes I bought online?', 'You can return items within 30 days of delivery.'],
    // A long paraphrase says much that the answer does not repeat.
    ['I would like to send my friend a link to one part of a video, can I put the start time into the link?', 'Add #t=1m30s to the end of the video link.'],
  ])('finds that %s is stated', (question, text) => {
    expect(notStated(question, [{ title: 'Article', text }])).toBeUndefined();
  });

  it.each([
    ['Can I return sale items?', 'You can return most items within 30 days. Items must be unused.', 'sale'],
    ['Do you ship used tents?', 'We ship tents and canoes as bulky items.', 'used'],
    ['Kan jeg returnere brugte varer?', 'Du kan returnere de fleste varer inden for 30 dage.', 'brugte'],
    ['Do you have kids bikes?', 'We recommend a full service for bikes every 12 months.', 'kids'],
    // A short question whose subject the passage never names at all.
    ['Do you repair carbon frames?', 'Repairs carry a 6-month warranty on parts and labour.', 'carbon frames'],
    ['Do you sell kayak paddles?', 'We sell tents, sleeping bags and hiking boots.', 'kayak paddles'],
    ['Which wax is best for cross-country skis?', 'Store your tent dry and out of direct sunlight.', 'wax best cross country skis'],
    ['Hvor kan jeg parkere min campingvogn?', 'Butikken ligger på Nørregade 12 og har åbent alle dage.', 'parkere campingvogn'],
  ])('finds what %s asks about that the passage never states', (question, text, term) => {
    expect(notStated(question, [{ title: 'Article', text }])).toEqual({ kind: 'specific', term });
  });

  it.each([
    ['Can I return unused items?', 'You can return most items within 30 days. Items must be unused.', 'en'],
    ['Can I still cancel my order?', 'You can cancel an order until it ships.', 'en'],
    ['Can I use two gift cards on one order?', 'You can use several gift cards on one order.', 'en'],
    ['Can I return my Fjeldspor boots?', 'Boots that have been worn outside cannot be returned.', 'en'],
    ['Do I have to pay customs on an order to Norway?', 'For Norway, customs duties are paid on delivery.', 'en'],
    ['Kann ich meinen Gutschein mit Kreditkarte kaufen?', 'You can buy a gift card with any credit card.', 'de'],
    ['Do you have student discounts?', 'Students get 10% off with a valid student card.', 'en'],
    ['Do you have gift cards?', 'Gift cards are sold in the shop and online.', 'en'],
  ])('answers the yes/no question %s from the rule the passage states', (question, text, language) => {
    expect(notStated(question, [{ title: 'Article', text }], language)).toBeUndefined();
  });

  it('reads a German question\'s nouns as nouns, not names, and a support word as stated in another language', () => {
    expect(notStated('Wie lange ist ein Gutschein gültig?', [{ title: 'Gift cards', text: 'A gift card is valid for 3 years.' }], 'de')).toBeUndefined();
    // Were the question read as English, "Gutschein" would be a name; the English text still states it as "gift card".
    expect(notStated('Wie lange ist ein Gutschein gültig?', [{ title: 'Gift cards', text: 'A gift card is valid for 3 years.' }], 'en')).toBeUndefined();
  });

  it('reads names, numbers and ordinals as what a question specifically asks about', () => {
    expect(specificTerms('How many points did the Panthers give up in 2017?')).toEqual(['Panthers', '2017']);
    expect(specificTerms('Who was the second director of the V&A?')).toEqual(['second', 'V&A']);
    expect(specificTerms('Who was the first director of the V&A?')).toEqual(['V&A']);
    expect(specificTerms('Wie lange dauert der Versand nach Deutschland?', 'de')).toEqual([]);
    expect(isYesNoQuestion('Do you ship to Japan?')).toBe(true);
    expect(isYesNoQuestion('How long does shipping to Japan take?')).toBe(false);
  });
});

describe('reading a reply to a clarifying question', () => {
  it('finds the offered topics in every language', () => {
    for (const language of ['en', 'da', 'de', 'fr', 'es', 'nl'] as const) {
      const m = MESSAGES[language];
      expect(offeredTopics(m.clarifyTopics({ topics: topicList(language, ['Gift cards', 'Loyalty card']) }))).toEqual(['Gift cards', 'Loyalty card']);
      expect(offeredTopics(m.clarifyVague({ topics: topicList(language, ['Shipping']) }))).toEqual(['Shipping']);
    }
    expect(offeredTopics('Here is what I found in “Shipping”:')).toEqual([]);
  });

  it('takes a reply naming one topic as a pick, and one naming none or asking more as not', () => {
    const topics = ['Gift cards', 'Loyalty card'];
    expect(pickedTopic('Gift cards', topics)).toBe('Gift cards');
    expect(pickedTopic('the loyalty one please', topics)).toBe('Loyalty card');
    expect(pickedTopic('card', topics)).toBeUndefined();
    expect(pickedTopic('neither, I want to know about returns and refunds of shoes', topics)).toBeUndefined();
  });
});
