/**
 * Rendering helpers the channels share. Replies carry [n] markers that point into their sources; a
 * channel that cannot show links inline keeps the markers and lists the cited sources after the text.
 */
import type { SourceRef } from '../workflows/conversation.contract.js';

/** The sources the text cites, by marker number (1-based), in the order of their numbers. */
export function citedSources(text: string, sources: readonly SourceRef[]): { n: number; source: SourceRef }[] {
  const numbers = [...new Set([...text.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  return numbers.filter((n) => n >= 1 && n <= sources.length).map((n) => ({ n, source: sources[n - 1]! }));
}

/** Text and a plain list of the cited sources: "[1] Shipping times: https://…" (WhatsApp, Messenger, plain email). */
export function withSourceLines(text: string, sources: readonly SourceRef[], heading = 'Sources'): string {
  const cited = citedSources(text, sources);
  if (cited.length === 0 || listsSources(text, cited)) return text;
  const lines = cited.map(({ n, source }) => `[${n}] ${source.title}${source.url ? `: ${source.url}` : ''}`);
  return `${text}\n\n${heading}:\n${lines.join('\n')}`;
}

/**
 * Whether the text already lists every cited source on a line of its own, "[n] Title…" (the turn graph's
 * answers end with such a list, in the reply's language): a source is never listed twice.
 */
function listsSources(text: string, cited: readonly { n: number; source: SourceRef }[]): boolean {
  const lines = text.split('\n').map((l) => l.trim());
  return cited.every(({ n, source }) => lines.some((l) => l.startsWith(`[${n}] ${source.title}`)));
}

/** Text without its [n] markers (for channels that show no sources at all). */
export function withoutMarkers(text: string): string {
  return text.replace(/\s?\[\d{1,2}\]/g, '');
}
