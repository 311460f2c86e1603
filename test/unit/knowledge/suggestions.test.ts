import { describe, expect, it } from 'vitest';
import { pageUrlVariants, questionFromTopic, suggestQuestions, type PageContent, type SourceCandidate } from '../../../knowledge/suggestions.js';

const SHIPPING_PAGE: PageContent = {
  sourceId: 'src_shipping',
  title: 'Shipping times and costs',
  language: 'en',
  sections: [
    { language: 'en' },
    { heading: 'Delivery times', language: 'en' },
    { heading: 'Delivery times', language: 'en' },
    { heading: 'Shipping costs', language: 'en' },
  ],
};

const candidate = (c: Partial<SourceCandidate> & Pick<SourceCandidate, 'sourceId' | 'title'>): SourceCandidate => ({
  language: 'en', citations: 0, updatedAt: 0, ...c,
});

describe('a question made from a heading', () => {
  it('asks for a property with "What is/are the …"', () => {
    expect(questionFromTopic('Shipping times', 'en')).toBe('What are the shipping times?');
    expect(questionFromTopic('Return window', 'en')).toBe('What is the return window?');
    expect(questionFromTopic('Shipping times and costs', 'en')).toBe('What are the shipping times and costs?');
  });

  it('asks how a thing works, with the verb agreeing with the noun', () => {
    expect(questionFromTopic('Refunds', 'en')).toBe('How do refunds work?');
    expect(questionFromTopic('Returns and refunds', 'en')).toBe('How do returns and refunds work?');
    expect(questionFromTopic('Loyalty card', 'en')).toBe('How does the loyalty card work?');
  });

  it('turns an action into the visitor’s own request, "your" becoming "my"', () => {
    expect(questionFromTopic('Resetting your password', 'en')).toBe('Can you help me with resetting my password?');
    expect(questionFromTopic('Using a gift card', 'en')).toBe('Can you help me with using a gift card?');
    expect(questionFromTopic('Track your order', 'en')).toBe('How do I track my order?');
    expect(questionFromTopic('Contact us', 'en')).toBe('How do I contact you?');
    expect(questionFromTopic('How to cancel your subscription', 'en')).toBe('How do I cancel my subscription?');
  });

  it('keeps a heading that is a question, names and acronyms, and drops numbering', () => {
    expect(questionFromTopic('Do you ship to Norway?', 'en')).toBe('Do you ship to Norway?');
    expect(questionFromTopic('EU delivery times', 'en')).toBe('What are the EU delivery times?');
    expect(questionFromTopic('2. Payment options:', 'en')).toBe('What are the payment options?');
  });

  it('asks generically in the other supported languages', () => {
    expect(questionFromTopic('Levering og fragt', 'da')).toBe('Hvad skal jeg vide om levering og fragt?');
    expect(questionFromTopic('Versandkosten', 'de')).toBe('Was sollte ich über Versandkosten wissen?');
  });

  it('makes nothing of navigation headings, sentences and empty text', () => {
    expect(questionFromTopic('About us', 'en')).toBeUndefined();
    expect(questionFromTopic('FAQ', 'en')).toBeUndefined();
    expect(questionFromTopic('  ', 'en')).toBeUndefined();
    expect(questionFromTopic('Orders placed before 14:00 on a weekday leave our warehouse the same day, and arrive in two to four days', 'en')).toBeUndefined();
  });
});

describe('the suggestions a widget offers', () => {
  const general = [
    candidate({ sourceId: 'src_returns', title: 'Returns and refunds', citations: 4 }),
    candidate({ sourceId: 'sa_norway', title: 'Do you ship to Norway?', question: 'Do you ship to Norway?', citations: 0, updatedAt: 5 }),
    candidate({ sourceId: 'src_password', title: 'Resetting your password', citations: 9 }),
    candidate({ sourceId: 'src_gift', title: 'Gift cards', citations: 0, updatedAt: 9 }),
  ];

  it('on a synced page: its sections first, each once, then its title', () => {
    expect(suggestQuestions({ page: SHIPPING_PAGE, general })).toEqual([
      { text: 'What are the delivery times?', sourceId: 'src_shipping', title: 'Shipping times and costs' },
      { text: 'What are the shipping costs?', sourceId: 'src_shipping', title: 'Shipping times and costs' },
      { text: 'What are the shipping times and costs?', sourceId: 'src_shipping', title: 'Shipping times and costs' },
    ]);
  });

  it('a page with too few sections is topped up with the most useful sources', () => {
    const page = { ...SHIPPING_PAGE, sections: [{ heading: 'Shipping times and costs › Delivery times', language: 'en' }] };
    expect(suggestQuestions({ page, general }).map((s) => s.text)).toEqual([
      'What are the delivery times?', 'What are the shipping times and costs?', 'Can you help me with resetting my password?',
    ]);
  });

  it('elsewhere: the most cited sources, a curated short answer before an uncited article', () => {
    expect(suggestQuestions({ general })).toEqual([
      { text: 'Can you help me with resetting my password?', sourceId: 'src_password', title: 'Resetting your password' },
      { text: 'How do returns and refunds work?', sourceId: 'src_returns', title: 'Returns and refunds' },
      { text: 'Do you ship to Norway?', sourceId: 'sa_norway', title: 'Do you ship to Norway?' },
    ]);
  });

  it('offers fewer when the agent knows fewer things, and never the same question twice', () => {
    const twins = [candidate({ sourceId: 'a', title: 'Gift cards' }), candidate({ sourceId: 'b', title: 'Gift cards!' })];
    expect(suggestQuestions({ general: twins }).map((s) => s.text)).toEqual(['How do gift cards work?']);
    expect(suggestQuestions({ general: [] })).toEqual([]);
  });
});

describe('the page a visitor is on', () => {
  it('is found under its URL without the fragment, with or without a trailing slash', () => {
    expect(pageUrlVariants('https://Shop.example.test/help/shipping#costs')).toEqual([
      'https://shop.example.test/help/shipping', 'https://shop.example.test/help/shipping/', 'https://Shop.example.test/help/shipping',
    ]);
    expect(pageUrlVariants('https://shop.example.test/help/?lang=en')).toEqual([
      'https://shop.example.test/help/?lang=en', 'https://shop.example.test/help?lang=en',
    ]);
    expect(pageUrlVariants('https://shop.example.test')).toEqual(['https://shop.example.test/', 'https://shop.example.test']);
  });

  it('is no page at all when the URL is not a web address', () => {
    expect(pageUrlVariants('javascript:alert(1)')).toEqual([]);
    expect(pageUrlVariants('not a url')).toEqual([]);
  });
});
