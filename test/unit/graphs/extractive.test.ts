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
