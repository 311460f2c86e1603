/**
 * PDF through pdf.js (legacy build, Node): one location per page; text items are joined into lines by
 * baseline, lines into paragraphs by vertical gaps, and lines set clearly larger than the body text
 * become headings (larger size, higher level). A PDF that needs a password to open is refused; one with
 * only an owner password (printing/copying restrictions) opens and is read.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { tidy, type Block } from '../blocks.js';
import { dropEmptyLocations } from './structure.js';
import { ExtractError } from './types.js';

interface Line {
  y: number;
  size: number;
  text: string;
}

interface TextItemLike {
  str: string;
  transform: number[];
  height: number;
  hasEOL?: boolean;
}

export async function extractPdf(bytes: Uint8Array, name: string): Promise<{ title?: string; blocks: Block[] }> {
  // pdf.js takes ownership of (and detaches) the buffer it is given.
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => {});
    const e = err as Error;
    if (e.name === 'PasswordException') {
      throw new ExtractError('encrypted', `${name} is password-protected; save a copy without the password and upload that`);
    }
    throw new ExtractError('corrupt', `${name} is a damaged PDF (${e.message}); export it again and re-upload`);
  }
  try {
    const pages: Line[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(toLines(content.items.filter((i): i is TextItemLike & typeof i => 'str' in i)));
      page.cleanup();
    }
    const meta = await doc.getMetadata().catch(() => undefined);
    const info = (meta?.info ?? {}) as { Title?: unknown };
    const title = typeof info.Title === 'string' && info.Title.trim() ? info.Title.trim() : undefined;
    return { ...(title ? { title } : {}), blocks: toBlocks(pages) };
  } catch (err) {
    throw new ExtractError('corrupt', `${name} is a damaged PDF (${(err as Error).message}); export it again and re-upload`);
  } finally {
    await doc.destroy();
  }
}

function toLines(items: readonly TextItemLike[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const item of items) {
    const y = item.transform[5] ?? 0;
    const size = Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) || item.height;
    if (item.str === '' && !item.hasEOL) continue;
    if (!current || Math.abs(current.y - y) > Math.max(current.size, size) * 0.5) {
      if (current && current.text.trim()) lines.push(current);
      current = { y, size: 0, text: '' };
    }
    if (item.str.trim()) current.size = Math.max(current.size, size);
    current.text += item.str;
    if (item.hasEOL) current.text += ' ';
  }
  if (current && current.text.trim()) lines.push(current);
  return lines;
}

function toBlocks(pages: readonly Line[][]): Block[] {
  const all = pages.flat();
  const body = bodySize(all);
  const headingSizes = [...new Set(all.filter((l) => isHeading(l, body)).map((l) => Math.round(l.size)))].sort((a, b) => b - a);
  const blocks: Block[] = [];
  pages.forEach((lines, i) => {
    blocks.push({ kind: 'location', text: `page ${i + 1}` });
    let para: string[] = [];
    let prev: Line | undefined;
    const flush = () => {
      const t = tidy(para.join('\n'));
      if (t) blocks.push({ kind: 'text', text: t });
      para = [];
    };
    for (const line of lines) {
      if (isHeading(line, body)) {
        flush();
        const level = Math.min(headingSizes.indexOf(Math.round(line.size)) + 1, 6);
        const last = blocks.at(-1);
        // A heading wrapped over two lines is one heading.
        if (last?.kind === 'heading' && last.level === level && prev && isHeading(prev, body)) last.text += ` ${line.text.trim()}`;
        else blocks.push({ kind: 'heading', level, text: line.text.replace(/\s+/g, ' ').trim() });
      } else {
        if (prev && !isHeading(prev, body) && Math.abs(prev.y - line.y) > Math.max(prev.size, line.size) * 1.9) flush();
        para.push(line.text);
      }
      prev = line;
    }
    flush();
  });
  return dropEmptyLocations(blocks);
}

/** The most common text size, weighted by characters. */
function bodySize(lines: readonly Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) weight.set(Math.round(l.size), (weight.get(Math.round(l.size)) ?? 0) + l.text.length);
  return [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

function isHeading(line: Line, body: number): boolean {
  return body > 0 && line.size >= body * 1.2 && line.text.trim().length <= 160;
}
