import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../db/secret-box.js';
import { codeEmail, codesIn, maskEmail, SendVerificationCodeInput, ttlMinutes } from '../../../domain/verification.js';
import { loadConfig, verificationSettings } from '../../../workers/config.js';

const LANGUAGES = ['en', 'da', 'nl', 'de', 'fr', 'es'];

describe('the code in what the customer writes', () => {
  it('is a 6-digit number, also written with a space or a hyphen in the middle', () => {
    expect(codesIn('482913')).toEqual(['482913']);
    expect(codesIn('Here you go: 482 913, thanks')).toEqual(['482913']);
    expect(codesIn('code 482-913.')).toEqual(['482913']);
    expect(codesIn('Din kode:\n\n  004211')).toEqual(['004211']);
  });

  it('is never digits of a longer number, a shorter one, or a date', () => {
    expect(codesIn('order 4711, phone 4512345678, 2024-06-03, 12345')).toEqual([]);
    expect(codesIn('1234567')).toEqual([]);
    expect(codesIn('')).toEqual([]);
  });

  it('is at most three candidates, each once: more would make one attempt many guesses', () => {
    expect(codesIn('111111 222222 111111 333333 444444')).toEqual(['111111', '222222', '333333']);
  });
});

describe('masking an address', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('anna.jensen@example.com')).toBe('a…@example.com');
    expect(maskEmail('a@example.com')).toBe('a…@example.com');
    expect(maskEmail('not-an-address')).toBe('…');
  });
});

describe('the code email', () => {
  it.each(LANGUAGES)('exists in %s, with the code and the minutes', (language) => {
    const mail = codeEmail('123456', 600_000, language);
    expect(mail.language).toBe(language);
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.text).toContain('123456');
    expect(mail.text).toMatch(/\b10\b/);
    expect(mail.text).not.toMatch(/undefined|\$\{/);
  });

  it('says each language once, and English where we have no text, or for a regional tag the base language', () => {
    expect(new Set(LANGUAGES.map((l) => codeEmail('1', 60_000, l).subject)).size).toBe(LANGUAGES.length);
    expect(codeEmail('123456', 600_000, 'sv')).toMatchObject({ language: 'en', subject: 'Your verification code' });
    expect(codeEmail('123456', 600_000, 'de-AT').language).toBe('de');
    expect(codeEmail('123456', 600_000, 'en').text).toBe('Your code is 123456. It expires in 10 minutes. If you did not ask for it, ignore this email.');
  });

  it('never promises more time than the code has: minutes rounded up, at least one', () => {
    expect(ttlMinutes(600_000)).toBe(10);
    expect(ttlMinutes(90_000)).toBe(2);
    expect(ttlMinutes(1000)).toBe(1);
    expect(codeEmail('123456', 60_000, 'en').text).toContain('1 minute.');
  });
});

describe('the send input', () => {
  it('needs an email address and a request key', () => {
    const ok = { agentId: 'agt_1', conversationId: 'c1', email: 'kim@example.test', language: 'en', requestKey: 'k' };
    expect(SendVerificationCodeInput.safeParse(ok).success).toBe(true);
    expect(SendVerificationCodeInput.safeParse({ ...ok, email: 'kim' }).success).toBe(false);
    expect(SendVerificationCodeInput.safeParse({ ...ok, requestKey: '' }).success).toBe(false);
  });
});

describe("the code's hash (SecretBox digest)", () => {
  it('is the same for the same key, purpose and value, and differs for any other', () => {
    const box = createSecretBox('a'.repeat(64));
    const h = box.digest('verification-code', 'req-1\n123456');
    expect(h).toMatch(/^[\w-]{43}$/);
    expect(box.digest('verification-code', 'req-1\n123456')).toBe(h);
    expect(createSecretBox('a'.repeat(64)).digest('verification-code', 'req-1\n123456')).toBe(h);
    expect(box.digest('verification-code', 'req-1\n123457')).not.toBe(h);
    expect(box.digest('verification-code', 'req-2\n123456')).not.toBe(h);
    expect(box.digest('another-purpose', 'req-1\n123456')).not.toBe(h);
    expect(createSecretBox('b'.repeat(64)).digest('verification-code', 'req-1\n123456')).not.toBe(h);
  });
});

describe('VERIFICATION_CODE_TTL_SECONDS', () => {
  it('is 10 minutes unless set, and whole seconds of at least 1', () => {
    expect(verificationSettings(loadConfig({}))).toEqual({ codeTtlMs: 600_000 });
    expect(verificationSettings(loadConfig({ VERIFICATION_CODE_TTL_SECONDS: '90' }))).toEqual({ codeTtlMs: 90_000 });
    expect(() => loadConfig({ VERIFICATION_CODE_TTL_SECONDS: '0' })).toThrow(/VERIFICATION_CODE_TTL_SECONDS/);
    expect(() => loadConfig({ VERIFICATION_CODE_TTL_SECONDS: '1.5' })).toThrow(/VERIFICATION_CODE_TTL_SECONDS/);
  });
});
