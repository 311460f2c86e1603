/**
 * Source content → sections (by heading) → chunks of at most maxChars. Chunks never span two sections,
 * break on paragraph, then sentence, then word boundaries, and repeat a short tail of the previous
 * chunk of the same section (overlap) so a sentence cut from its context is still findable.
 */
import { textToBlocks, type Block } from './blocks.js';
import { htmlToBlocks } from './html.js';
import { markdownToBlocks } from './markdown.js';

/** Formats of pasted content; files and fetched pages are extracted to blocks first. */
export type ContentType = 'text' | 'markdown' | 'html';

export interface Section {
  /** Headings from the outermost down; the document title is not repeated here. */
  headingPath: string[];
  /** Where the section starts in its source (page, slide, sheet), when the source has such places. */
  location?: string;
  paragraphs: string[];
}

export interface Chunk {
  ord: number;
  title: string;
  headingPath: string[];
  /** headingPath joined with ' › ', absent for text before the first heading. */
  heading?: string;
  location?: string;
  text: string;
}

/** A document either as pasted content of a type, or already extracted to blocks. */
export type ChunkInput =
  | { title: string; type: ContentType; content: string }
  | { title: string; blocks: readonly Block[] };

export interface ChunkOptions {
  maxChars?: number;
  overlapChars?: number;
}

export const DEFAULT_MAX_CHARS = 1200;
export const DEFAULT_OVERLAP_CHARS = 200;
export const HEADING_SEPARATOR = ' › ';

export function toBlocks(type: ContentType, content: string): Block[] {
  if (type === 'html') return htmlToBlocks(content);
  if (type === 'markdown') return markdownToBlocks(content);
  return textToBlocks(content);
}

export function toSections(blocks: readonly Block[], title: string): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let location: string | undefined;
  const open = (headingPath: string[]): Section => ({ headingPath, ...(location ? { location } : {}), paragraphs: [] });
  let current: Section = open([]);
  let first = true;
  for (const b of blocks) {
    if (b.kind === 'location') {
      // A new place (page, slide, sheet) starts a new section under the same headings.
      location = b.text;
      if (current.paragraphs.length > 0) sections.push(current);
      current = open(current.headingPath);
      continue;
    }
    if (b.kind === 'text') {
      current.paragraphs.push(b.text);
      first = false;
      continue;
    }
    // A leading heading that repeats the title is the title, not a section.
    if (first && sameText(b.text, title)) {
      first = false;
      continue;
    }
    first = false;
    if (current.paragraphs.length > 0) sections.push(current);
    while (stack.length > 0 && stack[stack.length - 1]!.level >= b.level) stack.pop();
    stack.push({ level: b.level, text: b.text });
    current = open(stack.map((h) => h.text));
  }
  if (current.paragraphs.length > 0) sections.push(current);
  return sections;
}

export function chunkDocument(doc: ChunkInput, opts: ChunkOptions = {}): Chunk[] {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const overlapChars = Math.min(opts.overlapChars ?? DEFAULT_OVERLAP_CHARS, Math.floor(maxChars / 4));
  const chunks: Chunk[] = [];
  const blocks = 'blocks' in doc ? doc.blocks : toBlocks(doc.type, doc.content);
  for (const section of toSections(blocks, doc.title)) {
    for (const text of packSection(section.paragraphs, maxChars, overlapChars)) {
      chunks.push({
        ord: chunks.length,
        title: doc.title,
        headingPath: section.headingPath,
        ...(section.headingPath.length > 0 ? { heading: section.headingPath.join(HEADING_SEPARATOR) } : {}),
        ...(section.location ? { location: section.location } : {}),
        text,
      });
    }
  }
  return chunks;
}

interface Unit {
  text: string;
  /** Joins this unit to the previous one in the same chunk. */
  glue: string;
}

function packSection(paragraphs: readonly string[], maxChars: number, overlapChars: number): string[] {
  const units: Unit[] = paragraphs.flatMap((p) =>
    p.length <= maxChars
      ? [{ text: p, glue: '\n\n' }]
      : splitLong(p, maxChars).map((text, i) => ({ text, glue: i === 0 ? '\n\n' : ' ' })));
  const out: string[] = [];
  let current = '';
  for (const u of units) {
    if (!current) {
      current = u.text;
    } else if (current.length + u.glue.length + u.text.length <= maxChars) {
      current += u.glue + u.text;
    } else {
      out.push(current);
      const tail = overlapTail(current, overlapChars);
      current = tail && tail.length + 1 + u.text.length <= maxChars ? `${tail} ${u.text}` : u.text;
    }
  }
  if (current) out.push(current);
  return out;
}

const SENTENCES = new Intl.Segmenter(undefined, { granularity: 'sentence' });

function sentences(text: string): string[] {
  return [...SENTENCES.segment(text)].map((s) => s.segment.trim()).filter((s) => s.length > 0);
}

/** A paragraph too long for one chunk as its sentences; a sentence longer than that is cut at words. */
function splitLong(paragraph: string, maxChars: number): string[] {
  return sentences(paragraph).flatMap((s) => (s.length <= maxChars ? [s] : splitWords(s, maxChars)));
}

function splitWords(sentence: string, maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of sentence.split(/\s+/)) {
    for (let w = word; w.length > 0; w = w.slice(maxChars)) {
      const piece = w.slice(0, maxChars);
      if (!current) current = piece;
      else if (current.length + 1 + piece.length <= maxChars) current += ` ${piece}`;
      else {
        out.push(current);
        current = piece;
      }
    }
  }
  if (current) out.push(current);
  return out;
}

/** The last sentence of a chunk when it is short enough to repeat; otherwise nothing. */
function overlapTail(text: string, overlapChars: number): string {
  const last = sentences(text.slice(-Math.max(overlapChars * 2, 1))).at(-1) ?? '';
  return last.length > 0 && last.length <= overlapChars && last.length < text.length ? last : '';
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return norm(a) === norm(b);
}
