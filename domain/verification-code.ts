/**
 * The one-time code of email verification (domain/verification.ts, which re-exports these): its shape,
 * how it is found in a message, its email's text, and how the address is shown to the customer. Pure and
 * apart from the zod schemas because the conversation workflow uses some of it, and the workflow bundle
 * must not evaluate zod (workflows/README.md says why).
 */

export const CODE_DIGITS = 6;
/** Checks of one code, right or wrong; the next one is refused even with the right code. */
export const MAX_CODE_ATTEMPTS = 5;
/** Numbers of a message compared with the code at most: more would turn one attempt into many guesses. */
export const MAX_CANDIDATES = 3;

/**
 * The 6-digit numbers a message may mean as its code, first ones first, at most MAX_CANDIDATES: `123456`,
 * also written `123 456` or `123-456`; never digits of a longer number.
 */
export function codesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\d])(\d{3})[ \u00a0-]?(\d{3})(?![\d])/g)) {
    const code = `${m[1]}${m[2]}`;
    if (!found.includes(code)) found.push(code);
    if (found.length === MAX_CANDIDATES) break;
  }
  return found;
}

/** `a…@example.com`: enough for the customer to recognise the address, not to learn it from the transcript. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '…';
  return `${email.slice(0, 1)}…${email.slice(at)}`;
}

/** Whole minutes, rounded up, so the email never promises more time than the code has. */
export function ttlMinutes(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 60_000));
}

interface CodeEmail {
  subject: string;
  text: (code: string, minutes: number) => string;
}

const EMAILS: Record<string, CodeEmail> = {
  en: {
    subject: 'Your verification code',
    text: (c, m) => `Your code is ${c}. It expires in ${m} minute${m === 1 ? '' : 's'}. If you did not ask for it, ignore this email.`,
  },
  da: {
    subject: 'Din bekræftelseskode',
    text: (c, m) => `Din kode er ${c}. Den udløber om ${m} minut${m === 1 ? '' : 'ter'}. Hvis du ikke har bedt om den, kan du se bort fra denne e-mail.`,
  },
  nl: {
    subject: 'Je verificatiecode',
    text: (c, m) => `Je code is ${c}. Hij verloopt over ${m} minu${m === 1 ? 'ut' : 'ten'}. Heb je hem niet aangevraagd, negeer deze e-mail dan.`,
  },
  de: {
    subject: 'Dein Bestätigungscode',
    text: (c, m) => `Dein Code lautet ${c}. Er läuft in ${m} Minute${m === 1 ? '' : 'n'} ab. Falls du ihn nicht angefordert hast, ignoriere diese E-Mail.`,
  },
  fr: {
    subject: 'Votre code de vérification',
    text: (c, m) => `Votre code est ${c}. Il expire dans ${m} minute${m === 1 ? '' : 's'}. Si vous ne l'avez pas demandé, ignorez cet e-mail.`,
  },
  es: {
    subject: 'Tu código de verificación',
    text: (c, m) => `Tu código es ${c}. Caduca en ${m} minuto${m === 1 ? '' : 's'}. Si no lo has pedido, ignora este correo.`,
  },
};

/** The primary subtag of a language tag (`de-AT` → `de`), lower-cased. */
export function baseLanguage(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** The code email in the customer's language (English for one we have no text in). */
export function codeEmail(code: string, ttlMs: number, language: string): { subject: string; text: string; language: string } {
  const l = baseLanguage(language);
  const e = EMAILS[l] ? { language: l, e: EMAILS[l] } : { language: 'en', e: EMAILS.en! };
  return { subject: e.e.subject, text: e.e.text(code, ttlMinutes(ttlMs)), language: e.language };
}
