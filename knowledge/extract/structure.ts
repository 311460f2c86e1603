/**
 * Shared shaping of extracted content: where-in-the-file locations for formats without pages, and tables
 * as self-describing rows. Invariant: every location block is followed by at least one text block before
 * the next location, so no chunk carries a location it does not contain.
 */
import { tidy, type Block } from '../blocks.js';

/** Rows of one table grouped so one group fits in about one chunk; each group gets its own location. */
const ROW_GROUP_CHARS = 900;

/**
 * For formats whose only places are their headings (Markdown, HTML, JSON…): after each heading, a
 * location naming its heading path, so a citation says which section it came from.
 */
export function locateByHeadings(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  const stack: { level: number; text: string }[] = [];
  for (const b of blocks) {
    out.push(b);
    if (b.kind !== 'heading') continue;
    while (stack.length > 0 && stack[stack.length - 1]!.level >= b.level) stack.pop();
    stack.push({ level: b.level, text: b.text });
    out.push({ kind: 'location', text: stack.map((h) => h.text).join(' › ') });
  }
  return dropEmptyLocations(out);
}

/** Plain text as paragraphs, grouped into locations 'lines a–b' of about one chunk each. */
export function textWithLines(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const paragraphs: { text: string; first: number; last: number }[] = [];
  let start = -1;
  for (let i = 0; i <= lines.length; i++) {
    const blank = i === lines.length || lines[i]!.trim() === '';
    if (!blank && start < 0) start = i;
    if (blank && start >= 0) {
      const t = tidy(lines.slice(start, i).join('\n'));
      if (t) paragraphs.push({ text: t, first: start + 1, last: i });
      start = -1;
    }
  }
  const out: Block[] = [];
  for (const group of groupBySize(paragraphs, (p) => p.text.length)) {
    const first = group[0]!.first;
    const last = group.at(-1)!.last;
    out.push({ kind: 'location', text: first === last ? `line ${first}` : `lines ${first}–${last}` });
    for (const p of group) out.push({ kind: 'text', text: p.text });
  }
  return out;
}

export interface Table {
  /** Where the table lives, prefixed to row ranges: 'sheet Orders'. Empty for a bare CSV. */
  place: string;
  /** Row number of the first data row as the user counts it (spreadsheet row numbers). */
  firstRow: number;
  columns: string[] | undefined;
  rows: string[][];
}

/**
 * A table as text: a line naming the columns, then one line per row with each value labelled by its
 * column ("Status: shipped"), so every chunk of a long table still says what its numbers mean.
 */
export function tableBlocks(t: Table): Block[] {
  const out: Block[] = [];
  const cols = t.columns;
  const intro = cols && cols.some(Boolean) ? `Columns: ${cols.filter(Boolean).join(', ')}` : undefined;
  const lines = t.rows
    .map((row, i) => ({ n: t.firstRow + i, text: rowText(row, cols) }))
    .filter((r) => r.text.length > 0);
  if (lines.length === 0 && intro) {
    if (t.place) out.push({ kind: 'location', text: t.place });
    out.push({ kind: 'text', text: intro });
    return out;
  }
  for (const group of groupBySize(lines, (l) => l.text.length)) {
    const a = group[0]!.n;
    const b = group.at(-1)!.n;
    const range = a === b ? `row ${a}` : `rows ${a}–${b}`;
    out.push({ kind: 'location', text: t.place ? `${t.place}, ${range}` : range });
    out.push({ kind: 'text', text: [intro, ...group.map((l) => l.text)].filter(Boolean).join('\n') });
  }
  return out;
}

function rowText(row: readonly string[], cols: readonly string[] | undefined): string {
  const cells = row.map((v, i) => ({ v: v.replace(/\s+/g, ' ').trim(), c: cols?.[i]?.trim() }));
  if (cells.every((c) => !c.v)) return '';
  return cells.filter((c) => c.v).map((c) => (c.c ? `${c.c}: ${c.v}` : c.v)).join(' | ');
}

/** The first row is a header when every cell in it is non-numeric text and the table has more rows. */
export function splitHeader(rows: string[][]): { columns: string[] | undefined; body: string[][]; headerRows: number } {
  const first = rows[0];
  if (rows.length > 1 && first && first.some((c) => c.trim()) && first.every((c) => !c.trim() || !/^[-+]?[\d.,\s%$€£]+$/.test(c.trim()))) {
    return { columns: first.map((c) => c.trim()), body: rows.slice(1), headerRows: 1 };
  }
  return { columns: undefined, body: rows, headerRows: 0 };
}

function groupBySize<T>(items: readonly T[], size: (t: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && chars + n > ROW_GROUP_CHARS) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += n + 1;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Drops location blocks with no text before the next location (or the end). */
export function dropEmptyLocations(blocks: readonly Block[]): Block[] {
  return blocks.filter((b, i) => {
    if (b.kind !== 'location') return true;
    for (let j = i + 1; j < blocks.length; j++) {
      const next = blocks[j]!;
      if (next.kind === 'text') return true;
      if (next.kind === 'location') return false;
    }
    return false;
  });
}

export function hasText(blocks: readonly Block[]): boolean {
  return blocks.some((b) => b.kind === 'text' && b.text.trim().length > 0);
}
