import { stripUnsafeText } from '../domain/text.js';

/** The common shape every source type is normalised to before sectioning and chunking. */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'text'; text: string }
  /** Where the following blocks are in the source ('page 3', 'slide 2', 'sheet Orders'), cited with them. */
  | { kind: 'location'; text: string };

/**
 * Collapses runs of spaces and tabs, trims each line, drops empty lines. Drops NULs and replaces lone
 * surrogates with U+FFFD too: PostgreSQL cannot store them, and a page or file holding one must not fail its whole source.
 */
export function tidy(text: string): string {
  return stripUnsafeText(text)
    .split('\n')
    .map((l) => l.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/** Lines gathered into a paragraph, added to `blocks` as one tidied text block when flushed. */
export function paragraphOf(blocks: Block[]) {
  let lines: string[] = [];
  return {
    get lines(): readonly string[] {
      return lines;
    },
    push(line: string): void {
      lines.push(line);
    },
    /** Forgets the lines without adding them (they became something else, such as a heading). */
    clear(): void {
      lines = [];
    },
    flush(): void {
      const t = tidy(lines.join('\n'));
      if (t) blocks.push({ kind: 'text', text: t });
      lines = [];
    },
  };
}

/** Plain text: paragraphs separated by blank lines, no headings. */
export function textToBlocks(text: string): Block[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map(tidy)
    .filter((t) => t.length > 0)
    .map((t) => ({ kind: 'text' as const, text: t }));
}
