import { describe, expect, it } from 'vitest';
import type { Passage } from '../../../knowledge/types.js';
import { extractiveAnswer } from '../../../graphs/turn/responders/extractive.js';

const agent = { id: 'a', name: 'Shop', defaultLanguage: 'en' };
const passage = (over: Partial<Passage>): Passage => ({
  chunkId: 'c', sourceId: 's', title: 'Returns and refunds', text: '', language: 'en', score: 0.03, similarity: 0.6, coverage: 1, ...over,
});

const RETURNS = passage({
  text: 'Returns and refunds\nWe love happy customers. You can return unused items within 30 days of delivery. '
    + 'Print the prepaid return label from your account page. Our warehouse is in Hamburg. '
    + 'Refunds reach your original payment method within 5 working days.',
});

describe('the extractive responder', () => {
  it('quotes the sentences that share terms with the question, in their original order, citing [1]', () => {
    const { text, citations } = extractiveAnswer({ question: 'How many days do I have to return items, and when is my refund paid?', language: 'en', passages: [RETURNS], agent, history: [] });
    expect(text).toBe('Here is what I found in “Returns and refunds”:\n'
      + 'You can return unused items within 30 days of delivery. Print the prepaid return label from your account page. '
      + 'Refunds reach your original payment method within 5 working days. [1]');
    expect(citations).toEqual([1]);
  });

  it('never writes anything but the lead-in, passage text and markers', () => {
    const { text } = extractiveAnswer({ question: 'return label', language: 'en', passages: [RETURNS], agent, history: [] });
    const body = text.split('\n').slice(1).join(' ').replace(/\s*\[\d+\]/g, '');
    for (const sentence of body.split(/(?<=\.)\s+/)) expect(RETURNS.text).toContain(sentence);
  });

  it('keeps the reply to a readable length', () => {
    const long = passage({ text: Array.from({ length: 40 }, (_, i) => `Refund rule number ${i} applies to returns of kind ${i}.`).join(' ') });
    const { text } = extractiveAnswer({ question: 'refund returns', language: 'en', passages: [long], agent, history: [] });
    expect(text.length).toBeLessThan(600);
  });

  it('adds a second passage only when it covers something the first did not, with its own number', () => {
    const shipping = passage({ chunkId: 'c2', sourceId: 's2', title: 'Shipping', text: 'Express shipping costs 9.95 EUR.' });
    const { text, citations } = extractiveAnswer({ question: 'refund and express shipping', language: 'en', passages: [RETURNS, shipping], agent, history: [] });
    expect(citations).toEqual([1, 2]);
    expect(text).toMatch(/^Here is what I found:\n/);
    expect(text).toMatch(/Express shipping costs 9\.95 EUR\. \[2\]$/);
  });

  it('quotes a passage in another language under a lead-in in the customer’s language', () => {
    const { text } = extractiveAnswer({ question: 'Hvornår får jeg pengene for min refund?', language: 'da', passages: [RETURNS], agent, history: [] });
    expect(text).toMatch(/^Her er, hvad jeg fandt i »Returns and refunds« \(artiklen er på engelsk\):\nRefunds reach/);
  });

  it('quotes the opening when no sentence shares a term (the passage matched by meaning)', () => {
    const { text } = extractiveAnswer({ question: 'money back?', language: 'en', passages: [RETURNS], agent, history: [] });
    expect(text).toMatch(/\nWe love happy customers\. You can return unused items within 30 days of delivery\. \[1\]$/);
  });
});

describe('answers that read well', () => {
  const SHIPPING = passage({
    title: 'Shipping', heading: 'Delivery times',
    text: 'Delivery times\nOrders placed before 14:00 leave the warehouse the same day. Delivery then takes:\n'
      + '- Denmark: 1 to 2 working days\n- Sweden and Norway: 2 to 4 working days\n- The rest of the EU: 3 to 6 working days\n'
      + 'Our carrier takes the parcel to a parcel shop if you are not home.',
  });
  const ask = (question: string, passages: Passage[]) => extractiveAnswer({ question, language: 'en', passages, agent, history: [] }).text;

  it('answers “how long” with the durations the source gives, the list whole under the sentence that introduces it', () => {
    const text = ask('How long does shipping take?', [SHIPPING]);
    expect(text).toContain('Delivery then takes:\n- Denmark: 1 to 2 working days\n- Sweden and Norway: 2 to 4 working days\n- The rest of the EU: 3 to 6 working days');
    expect(text).not.toContain('parcel shop');
  });

  it('puts the price first when asked how much, even when it stands later in the text', () => {
    const express = passage({ title: 'Express delivery', text: 'Choose Express at checkout to get your order the next working day. Express delivery costs 89 DKK.' });
    const text = ask('How much does express delivery cost?', [express]);
    expect(text.split('\n')[1]).toMatch(/^Express delivery costs 89 DKK\./);
  });

  it('never cuts a sentence in the middle, however long it is', () => {
    const sentence = `You can return ${Array.from({ length: 30 }, (_, i) => `item kind ${i}`).join(', ')} within 30 days of delivery.`;
    const text = ask('Which items can I return?', [passage({ text: sentence })]);
    expect(text).toContain(sentence);
    expect(text).not.toContain('…');
  });

  it('quotes a table row with the table’s header row, so its numbers say what they are', () => {
    const sizes = passage({ title: 'Size guide', text: 'EU size | Foot length | UK size\n---|---|---\n40 | 25.5 cm | 6.5\n42 | 27 cm | 8\n44 | 28.5 cm | 9.5' });
    const text = ask('What foot length is EU size 42?', [sizes]);
    expect(text).toContain('EU size | Foot length | UK size\n42 | 27 cm | 8');
    expect(text).not.toContain('28.5 cm');
  });

  it('quotes the row the question singles out, not the table’s other rows', () => {
    const services = passage({ title: 'Servicing your bike', heading: 'Prices', text: 'Service | Price | Time\n--- | --- | ---\nBasic tune-up | 49 EUR | 1 day\nFull service | 119 EUR | 2 days\nE-bike service | 159 EUR | 3 days' });
    const one = ask('How long does an e-bike service take?', [services]);
    expect(one).toContain('Service | Price | Time\nE-bike service | 159 EUR | 3 days');
    expect(one).not.toContain('Basic tune-up');
    expect(one).not.toContain('Full service');
    // A question about every row names nothing a row alone has: the table is quoted as it is.
    const all = ask('What do your services cost?', [services]);
    expect(all).toContain('Basic tune-up | 49 EUR | 1 day');
    expect(all).toContain('E-bike service | 159 EUR | 3 days');
  });

  it('quotes the table under a header that the question names, not the header alone', () => {
    const services = passage({ title: 'Servicing your bike', heading: 'Prices', text: 'Service | Price | Time\n--- | --- | ---\nBasic tune-up | 49 EUR | 1 day\nFull service | 119 EUR | 2 days' });
    const text = ask('What are your prices?', [services]);
    expect(text).toContain('Service | Price | Time\nBasic tune-up | 49 EUR | 1 day\nFull service | 119 EUR | 2 days [1]');
  });

  it('answers a “how does … work?” question with the steps, not with a sentence that says “working days”', () => {
    const claims = passage({ title: 'Warranty and repairs', heading: 'How to make a warranty claim', text: 'Send us an email with your order number and photos of the fault. We usually answer within 2 working days.' });
    const text = ask('How does a warranty claim work?', [claims]);
    expect(text).toContain('Send us an email with your order number and photos of the fault.');
  });

  it('adds no second passage for a word the first one’s title already answers', () => {
    const carriers = passage({ chunkId: 'c2', title: 'Shipping', heading: 'Carriers', text: 'We ship with PostNord and GLS.' });
    const text = ask('How long does shipping take?', [SHIPPING, carriers]);
    expect(text).not.toContain('PostNord');
  });

  it('skips a question the article asks itself (“Not the right fit?”) when quoting the opening', () => {
    const returns = passage({ text: 'Not the right fit? You can return most products within 30 days.' });
    expect(ask('money back', [returns])).toMatch(/\nYou can return most products within 30 days\. \[1\]$/);
  });
});
