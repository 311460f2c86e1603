import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '../../../knowledge/types.js';
import { MESSAGES, topicList } from '../../../graphs/turn/messages.js';

describe('fixed messages', () => {
  it.each(SUPPORTED_LANGUAGES)('exist in %s, interpolated and without leftovers', (language) => {
    const m = MESSAGES[language];
    const texts = [
      m.clarifyTopics({ topics: topicList(language, ['Gift cards', 'Loyalty card']) }),
      m.clarifyVague({}),
      m.clarifyVague({ topics: topicList(language, ['Shipping']) }),
      m.handoffRequested(),
      m.handoffAfterMisses(),
      m.rephrase(),
      m.foundIn({ title: m.quote('Shipping') }),
      m.foundInOtherLanguage({ title: m.quote('Shipping'), language: m.languageNames.en }),
      m.found(),
      m.sourcesLabel,
    ];
    for (const text of texts) {
      expect(text.trim().length).toBeGreaterThan(5);
      expect(text).not.toMatch(/\$\{|undefined|\[object/);
    }
    expect(texts[0]).toContain('Gift cards');
    expect(texts[0]).toContain('Loyalty card');
    expect(texts[7]).toContain(m.languageNames.en);
  });

  it('differ between languages', () => {
    const handoffs = new Set(SUPPORTED_LANGUAGES.map((l) => MESSAGES[l].handoffRequested()));
    expect(handoffs.size).toBe(SUPPORTED_LANGUAGES.length);
  });

  it('join topics with the language’s own quotes and conjunction', () => {
    expect(topicList('en', ['A', 'B', 'C'])).toBe('“A”, “B” or “C”');
    expect(topicList('de', ['A', 'B'])).toBe('„A“ oder „B“');
    expect(topicList('fr', ['A', 'B'])).toBe('« A » ou « B »');
    expect(topicList('es', ['Envíos', 'Ofertas'])).toBe('«Envíos» u «Ofertas»');
    expect(topicList('da', ['Levering'])).toBe('»Levering«');
  });
});
