/**
 * The webhook's subscription handshake: Meta calls `GET …/webhook?hub.mode=subscribe&hub.verify_token=…
 * &hub.challenge=…` and expects the challenge back. One webhook URL serves every deployment of a channel,
 * so the token is accepted when any live deployment there has it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const HandshakeQuery = z.object({
  'hub.mode': z.string().min(1).max(64),
  'hub.verify_token': z.string().min(1).max(256),
  // Echoed back as text/plain: bounded, and printable characters only.
  'hub.challenge': z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII characters only'),
});
export type HandshakeQuery = z.infer<typeof HandshakeQuery>;

/** The challenge to answer, or undefined: not a subscription, or no deployment has this token. */
export function answerHandshake(query: HandshakeQuery, verifyTokens: readonly string[]): string | undefined {
  if (query['hub.mode'] !== 'subscribe') return undefined;
  // Compared as hashes: equal lengths for timingSafeEqual, and no timing signal about any stored token.
  const given = sha256(query['hub.verify_token']);
  let matched = false;
  for (const token of verifyTokens) matched = timingSafeEqual(given, sha256(token)) || matched;
  return matched ? query['hub.challenge'] : undefined;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
