/** Sources under an answer: what the customer sees as [n], and the structured list channels render. */
import type { Language, Passage } from '../../knowledge/types.js';
import type { SourceRef } from '../../workflows/conversation.contract.js';
import { messagesFor } from './messages.js';

const SNIPPET_CHARS = 240;

/** `cited`: every passage the reply cites; the locations of those from the same source are listed together. */
export function toSourceRef(p: Passage, cited: readonly Passage[] = []): SourceRef {
  const text = p.text.replace(/\s+/g, ' ').trim();
  const locations = [...new Set([p, ...cited].filter((q) => q.sourceId === p.sourceId && q.location).map((q) => q.location!))];
  return {
    id: p.sourceId,
    title: p.title,
    ...(p.url ? { url: p.url } : {}),
    snippet: text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1)}…` : text,
    ...(p.shortAnswer ? { kind: 'short_answer' } : p.sourceKind ? { kind: p.sourceKind } : {}),
    ...(locations.length > 0 ? { location: locations.join('; ') } : {}),
  };
}

/** "Sources:\n[1] Title – url" ("[1] Question (short answer)" for a short answer), numbered as the reply's markers after renumbering. */
export function sourcesBlock(language: Language, sources: readonly SourceRef[]): string {
  const m = messagesFor(language);
  const lines = sources.map((s, i) => `[${i + 1}] ${s.title}${s.location ? `, ${s.location}` : ''}${s.kind === 'short_answer' ? ` (${m.shortAnswerLabel})` : ''}${s.url ? ` – ${s.url}` : ''}`);
  return `${m.sourcesLabel}\n${lines.join('\n')}`;
}
