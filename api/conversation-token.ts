/**
 * Conversation tokens: what a browser holding a public widget key must show to continue or read a
 * conversation it started. Derived, not stored: HMAC-SHA256 of the conversation's key with the
 * workspace's secret, so every API process computes the same token and a lost response can be retried.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const CONVERSATION_TOKEN_HEADER = 'x-conversation-token';

export function conversationToken(secret: string, agentId: string, conversationId: string): string {
  return createHmac('sha256', secret).update(`conversation\n${agentId}\n${conversationId}`).digest('base64url');
}

export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
