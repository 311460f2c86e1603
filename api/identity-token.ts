/**
 * Identity tokens: how a host site that knows its customer vouches for their email.
 * `identityToken = hex HMAC-SHA256(secret, email trimmed and lower-cased)`, the secret (POST
 * /v1/identity/secret) being the key as its UTF-8 text. The host site computes it on its server, never in
 * the browser, and passes it with the email; the API checks it here, in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeEmail } from '../domain/identity.js';

/** The token for `email` under `secret`: 64 lower-case hex characters. Host sites use it from the typed client. */
export function identityToken(secret: string, email: string): string {
  return createHmac('sha256', secret).update(normalizeEmail(email), 'utf8').digest('hex');
}

/**
 * True only when `given` is the token of `email` under `secret`. Compared in constant time over bytes of
 * equal length (hex in either case is taken); anything of another length is false without comparing.
 */
export function identityTokenMatches(secret: string, email: string, given: string | undefined): boolean {
  if (!secret || !given) return false;
  const expected = Buffer.from(identityToken(secret, email), 'utf8');
  const offered = Buffer.from(given.toLowerCase(), 'utf8');
  return expected.length === offered.length && timingSafeEqual(expected, offered);
}
