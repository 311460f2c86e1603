/** Sources under an answer: what the customer sees as [n], and the structured list channels render. */
import type { Language, Passage } from '../../knowledge/types.js';
import type { SourceRef } from '../../workflows/conversation.contract.js';
import { messagesFor } from './messages.js';

const SNIPPET_CHARS = 240;

export function toSourceRef(p: Passage): SourceRef {
  const text = p.text.replace(/\s+/g, ' ').trim();
  return {
    id: p.sourceId,
    title: p.title,
    ...(p.url ? { url: p.url } : {}),
    snippet: text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1)}…` : text,
  };
}

/** "Sources:\n[1] Title – url", numbered as the reply's markers after renumbering. */
export function sourcesBlock(language: Language, sources: readonly SourceRef[]): string {
  const lines = sources.map((s, i) => `[${i + 1}] ${s.title}${s.url ? ` – ${s.url}` : ''}`);
  return `${messagesFor(language).sourcesLabel}\n${lines.join('\n')}`;
}
