import { describe, expect, it } from 'vitest';
import {
  verificationCodeDeadText, verificationCodeSentText, verificationConfirmedText, verificationNotSentText, verificationWrongCodeText,
} from '../../../workflows/verification-messages.js';

const LANGUAGES = ['en', 'da', 'nl', 'de', 'fr', 'es'];
const EMAIL = 'anna.jensen@example.com';

const all = (language: string) => [
  verificationCodeSentText(EMAIL, language),
  verificationConfirmedText(language),
  verificationWrongCodeText(language),
  verificationCodeDeadText('expired', language, EMAIL),
  verificationCodeDeadText('too_many_attempts', language, EMAIL),
  verificationCodeDeadText('expired', language),
  verificationCodeDeadText('too_many_attempts', language),
  verificationNotSentText(language),
];

describe('what the agent says while it verifies an email', () => {
  it('is in English as asked', () => {
    expect(verificationCodeSentText(EMAIL, 'en').text)
      .toBe("To do that I need to confirm your email address. I've sent a 6-digit code to a…@example.com; please reply with it.");
    expect(verificationConfirmedText('en').text).toBe('Thanks, your email address is confirmed.');
    expect(verificationWrongCodeText('en').text).toBe("That code doesn't match. Please check it and try again.");
    expect(verificationCodeDeadText('expired', 'en', EMAIL).text).toBe("That code has expired. I've sent you a new one to a…@example.com; please reply with it.");
    expect(verificationCodeDeadText('too_many_attempts', 'en').text)
      .toBe("That was too many tries, so that code no longer works. Just ask again and I'll send you a new one.");
    expect(verificationNotSentText('en').text).toBe("I couldn't send a code to your email address, so a person from our team will take over.");
  });

  it.each(LANGUAGES)('exists in %s, every text different, interpolated and without leftovers', (language) => {
    const texts = all(language);
    for (const t of texts) {
      expect(t.language).toBe(language);
      expect(t.text).not.toMatch(/undefined|\$\{|\s{2}/);
    }
    expect(new Set(texts.map((t) => t.text)).size).toBe(texts.length);
  });

  it('never shows the whole address, only its first letter and domain', () => {
    for (const language of LANGUAGES) {
      for (const t of [verificationCodeSentText(EMAIL, language), verificationCodeDeadText('expired', language, EMAIL)]) {
        expect(t.text).toContain('a…@example.com');
        expect(t.text).not.toContain('anna.jensen');
      }
    }
  });

  it('each language its own words; English for one we have no text in, the base language of a regional tag', () => {
    expect(new Set(LANGUAGES.map((l) => verificationConfirmedText(l).text)).size).toBe(LANGUAGES.length);
    expect(verificationConfirmedText('sv')).toEqual(verificationConfirmedText('en'));
    expect(verificationWrongCodeText('fr-CA')).toEqual(verificationWrongCodeText('fr'));
  });
});
