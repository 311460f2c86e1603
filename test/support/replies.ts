import { expect } from 'vitest';
import type { Reply } from '../../workflows/conversation.schemas.js';

/** The reply answers, in the customer's language, from the source expected first, and says each of the texts. */
export function expectAnswerFrom(reply: Reply, expected: { language: string; source: string; says: readonly string[] }): void {
  expect(reply.kind, reply.text).toBe('answer');
  expect(reply.language).toBe(expected.language);
  expect(reply.sources[0]?.title).toBe(expected.source);
  for (const text of expected.says) expect(reply.text).toContain(text);
}
