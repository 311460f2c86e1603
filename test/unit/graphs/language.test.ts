import { describe, expect, it } from 'vitest';
import { detectLanguage, resolveReplyLanguage, tsConfigFor } from '../../../knowledge/language.js';

const TYPICAL: Record<string, string[]> = {
  en: ['Where is my order?', 'How do I reset my password?', 'can I talk to a human', 'My discount code does not work', 'Do you ship to Norway?', 'I cannot log in'],
  da: ['Hvor er min pakke?', 'Hvordan nulstiller jeg min adgangskode?', 'jeg vil gerne tale med et menneske', 'Min rabatkode virker ikke', 'Kan jeg betale med MobilePay?', 'Jeg kan ikke logge ind'],
  nl: ['Waar is mijn bestelling?', 'Hoe kan ik mijn wachtwoord wijzigen?', 'ik wil een medewerker spreken', 'Mijn kortingscode werkt niet', 'Hoe lang duurt de levering?', 'Ik kan niet inloggen'],
  de: ['Wo ist meine Bestellung?', 'Wie kann ich mein Passwort zurücksetzen?', 'ich möchte mit einem Mitarbeiter sprechen', 'Mein Gutschein funktioniert nicht', 'Wie lange dauert der Versand?', 'Ich kann mich nicht einloggen'],
  fr: ['Où est ma commande ?', 'Comment réinitialiser mon mot de passe ?', 'je veux parler à un conseiller', 'Mon code promo ne marche pas', 'Livrez-vous en Suisse ?', "Je n'arrive pas à me connecter"],
  es: ['¿Dónde está mi pedido?', '¿Cómo cambio mi contraseña?', 'quiero hablar con una persona', 'Mi paquete no ha llegado', 'Hacen envios a Chile?', 'No puedo iniciar sesión'],
};

describe('language detection', () => {
  for (const [language, messages] of Object.entries(TYPICAL)) {
    it.each(messages)(`recognises a short ${language} message: %s`, (text) => {
      const detected = detectLanguage(text);
      expect(detected.language).toBe(language);
      expect(detected.confidence).toBeGreaterThan(0.2);
      expect(detected.confidence).toBeLessThanOrEqual(1);
    });
  }

  it.each(['hi', 'ok', 'OK!', '?', '👍', '12345', 'thx', ''])('does not guess on a message too short to tell: %j', (text) => {
    expect(detectLanguage(text)).toEqual({ language: undefined, confidence: 0 });
  });

  it('is more confident about a longer message than a short one', () => {
    expect(detectLanguage('Hej, jeg har et spørgsmål til min faktura').confidence)
      .toBeGreaterThan(detectLanguage('Kan jeg returnere en vare?').confidence);
  });

  it('tells the close Germanic languages apart on shared words', () => {
    expect(detectLanguage('Kan jeg ændre min leveringsadresse?').language).toBe('da');
    expect(detectLanguage('Kan ik mijn bezorgadres wijzigen?').language).toBe('nl');
    expect(detectLanguage('Kann ich meine Lieferadresse ändern?').language).toBe('de');
  });
});

describe('text-search configuration', () => {
  it.each([
    ['en', 'english'], ['da', 'danish'], ['nl', 'dutch'], ['de', 'german'], ['fr', 'french'], ['es', 'spanish'],
    ['da-DK', 'danish'], ['pt_BR', 'simple'], ['sv', 'simple'], [undefined, 'simple'], ['', 'simple'],
  ])('maps %j to %s', (lang, config) => {
    expect(tsConfigFor(lang)).toBe(config);
  });
});

describe('reply language', () => {
  it('follows the message when the message is clear, whatever the locale says', () => {
    expect(resolveReplyLanguage({ text: 'Wo ist meine Bestellung?', locale: 'da-DK', agentDefault: 'en' })).toBe('de');
  });

  it('falls back to recent customer messages, then the locale, then the agent default', () => {
    expect(resolveReplyLanguage({ text: 'ok', history: ['Où est ma commande ?'], locale: 'da-DK', agentDefault: 'en' })).toBe('fr');
    expect(resolveReplyLanguage({ text: 'ok', locale: 'da-DK', agentDefault: 'en' })).toBe('da');
    expect(resolveReplyLanguage({ text: 'ok', locale: 'sv-SE', agentDefault: 'nl' })).toBe('nl');
  });

  it('answers in English when the agent default is not a supported language', () => {
    expect(resolveReplyLanguage({ text: 'ok', agentDefault: 'sv' })).toBe('en');
  });
});
