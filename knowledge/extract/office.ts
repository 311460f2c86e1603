/**
 * Word (.docx) and PowerPoint (.pptx) from their Office Open XML parts. Word: headings from paragraph
 * styles (any language: the style's name or outline level, not its id), lists, tables as rows, pages when
 * the file records where pages broke, else the heading path as location. PowerPoint: one location per
 * slide in presentation order, the title placeholder as heading, body text with list levels, tables and
 * speaker notes.
 */
import type JSZip from 'jszip';
import { tidy, type Block } from '../blocks.js';
import { dropEmptyLocations, locateByHeadings } from './structure.js';
import { ExtractError } from './types.js';
import { attr, child, childrenNamed, descendants, isElement, local, parseXml, textOf, type XmlElement } from './xml.js';

/** One XML part unpacked; beyond this a small file that inflates enormously (a ZIP bomb) is refused. */
const MAX_PART_BYTES = 100 * 1024 * 1024;

async function part(zip: JSZip, path: string, what: string): Promise<XmlElement | undefined> {
  const file = zip.file(path);
  if (!file) return undefined;
  // JSZip keeps the size the ZIP directory declares for each entry; it is read before inflating.
  const declared = (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
  if (declared > MAX_PART_BYTES) {
    throw new ExtractError('too_large', `${what} unpacks to more than ${MAX_PART_BYTES / 1024 / 1024} MB of text in ${path}; split it into smaller files`);
  }
  let xml: string;
  try {
    xml = await file.async('string');
  } catch (err) {
    throw new ExtractError('corrupt', `${what} is damaged: ${path} cannot be unpacked (${(err as Error).message})`);
  }
  return parseXml(xml, `${what} (${path})`)[0];
}

async function requiredPart(zip: JSZip, path: string, what: string): Promise<XmlElement> {
  const root = await part(zip, path, what);
  if (!root) throw new ExtractError('corrupt', `${what} is damaged: ${path} is missing`);
  return root;
}

/** The document title from docProps/core.xml, when set. */
async function coreTitle(zip: JSZip, what: string): Promise<string | undefined> {
  const core = await part(zip, 'docProps/core.xml', what).catch(() => undefined);
  const title = core && childrenNamed(core, 'title')[0];
  const t = title ? tidy(textOf(title)).replace(/\n/g, ' ') : '';
  return t || undefined;
}

async function relationships(zip: JSZip, path: string, what: string): Promise<Map<string, string>> {
  const rels = await part(zip, path, what);
  const out = new Map<string, string>();
  for (const r of rels ? childrenNamed(rels, 'Relationship') : []) {
    const id = attr(r, 'Id');
    const target = attr(r, 'Target');
    if (id && target) out.set(id, target);
  }
  return out;
}

function resolve(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

// ---------------------------------------------------------------- Word

/** Heading level per style id, from the style's English name ('heading 2', 'Title') or outline level. */
async function headingStyles(zip: JSZip, what: string): Promise<Map<string, number>> {
  const styles = await part(zip, 'word/styles.xml', what);
  const levels = new Map<string, number>();
  for (const s of styles ? childrenNamed(styles, 'style') : []) {
    const id = attr(s, 'styleId');
    if (!id) continue;
    const name = (attr(child(s, 'name') ?? s, 'val') ?? '').toLowerCase();
    const outline = child(child(s, 'pPr') ?? s, 'outlineLvl');
    const m = /^heading\s*([1-9])$/.exec(name);
    if (name === 'title') levels.set(id, 1);
    else if (m) levels.set(id, Number(m[1]));
    else if (outline && attr(outline, 'val') !== undefined && Number(attr(outline, 'val')) < 9) levels.set(id, Number(attr(outline, 'val')) + 1);
  }
  return levels;
}

export async function extractDocx(zip: JSZip, name: string): Promise<{ title?: string; blocks: Block[] }> {
  const doc = await requiredPart(zip, 'word/document.xml', name);
  const body = child(doc, 'body');
  if (!body) throw new ExtractError('corrupt', `${name} is damaged: its document has no body`);
  const styles = await headingStyles(zip, name);

  const blocks: Block[] = [];
  let page = 1;
  let pageBreaks = false;
  const pageMark = (): void => {
    page++;
    pageBreaks = true;
    blocks.push({ kind: 'location', text: `page ${page}` });
  };

  const paragraph = (p: XmlElement): void => {
    const pPr = child(p, 'pPr');
    const styleId = pPr && attr(child(pPr, 'pStyle') ?? pPr, 'val');
    const outline = pPr && child(pPr, 'outlineLvl');
    const level = (styleId ? styles.get(styleId) : undefined)
      ?? (outline && Number(attr(outline, 'val')) < 9 ? Number(attr(outline, 'val')) + 1 : undefined)
      ?? (styleId && /^(heading|title)/i.test(styleId) ? Number(/\d/.exec(styleId)?.[0] ?? 1) : undefined);
    const listLevel = pPr && child(pPr, 'numPr') ? Number(attr(child(child(pPr, 'numPr')!, 'ilvl') ?? pPr, 'val') ?? 0) : undefined;
    let text = '';
    // Runs in document order; a page break inside a paragraph splits it at the break.
    const flush = () => {
      const t = tidy(text);
      text = '';
      if (!t) return;
      if (level !== undefined) blocks.push({ kind: 'heading', level, text: t.replace(/\n/g, ' ') });
      else blocks.push({ kind: 'text', text: listLevel !== undefined ? `${'  '.repeat(listLevel)}- ${t}` : t });
    };
    for (const e of descendants(p)) {
      const n = local(e.name);
      if (n === 't') text += textOf(e);
      else if (n === 'tab') text += ' ';
      else if (n === 'br' && attr(e, 'type') === 'page') {
        flush();
        pageMark();
      } else if (n === 'br' || n === 'cr') text += '\n';
      else if (n === 'lastRenderedPageBreak' && text.trim()) {
        flush();
        pageMark();
      } else if (n === 'lastRenderedPageBreak') pageMark();
    }
    flush();
  };

  const table = (tbl: XmlElement): void => {
    const rows = childrenNamed(tbl, 'tr').map((tr) => childrenNamed(tr, 'tc')
      .map((tc) => tidy(childrenNamed(tc, 'p').map((p) => [...descendants(p)].filter((e) => local(e.name) === 't').map(textOf).join('')).join(' ')).replace(/\n/g, ' ')))
      .filter((cells) => cells.some(Boolean))
      .map((cells) => cells.join(' | '));
    if (rows.length > 0) blocks.push({ kind: 'text', text: rows.join('\n') });
  };

  for (const node of body.children) {
    if (!isElement(node)) continue;
    const n = local(node.name);
    if (n === 'p') paragraph(node);
    else if (n === 'tbl') table(node);
    else if (n === 'sdt') for (const p of descendants(node)) if (local(p.name) === 'p') paragraph(p);
  }
  const title = await coreTitle(zip, name);
  if (pageBreaks) return { ...(title ? { title } : {}), blocks: dropEmptyLocations([{ kind: 'location', text: 'page 1' }, ...blocks]) };
  return { ...(title ? { title } : {}), blocks: locateByHeadings(blocks.filter((b) => b.kind !== 'location')) };
}

// ---------------------------------------------------------------- PowerPoint

export async function extractPptx(zip: JSZip, name: string): Promise<{ title?: string; blocks: Block[] }> {
  const presentation = await requiredPart(zip, 'ppt/presentation.xml', name);
  const rels = await relationships(zip, 'ppt/_rels/presentation.xml.rels', name);
  const list = child(presentation, 'sldIdLst');
  const slidePaths = (list ? childrenNamed(list, 'sldId') : [])
    // The relationship id is the namespaced r:id; the bare id is the slide's numeric id.
    .map((s) => rels.get(Object.entries(s.attrs).find(([k]) => k.endsWith(':id'))?.[1] ?? ''))
    .filter((t): t is string => Boolean(t))
    .map((t) => resolve('ppt/presentation.xml', t));

  const blocks: Block[] = [];
  for (const [i, path] of slidePaths.entries()) {
    const slide = await requiredPart(zip, path, name);
    blocks.push({ kind: 'location', text: `slide ${i + 1}` });
    const tree = child(child(slide, 'cSld') ?? slide, 'spTree');
    let titled = false;
    for (const shape of tree ? descendants(tree) : []) {
      const n = local(shape.name);
      if (n === 'sp') {
        const ph = [...descendants(child(shape, 'nvSpPr') ?? shape)].find((e) => local(e.name) === 'ph');
        const isTitle = ph !== undefined && /^(title|ctrTitle)$/.test(attr(ph, 'type') ?? '');
        const body = child(shape, 'txBody');
        if (!body) continue;
        const paras = childrenNamed(body, 'p').map((p) => ({ level: Number(attr(child(p, 'pPr') ?? p, 'lvl') ?? 0), text: paragraphText(p) })).filter((p) => p.text);
        if (paras.length === 0) continue;
        if (isTitle && !titled) {
          titled = true;
          blocks.push({ kind: 'heading', level: 1, text: paras.map((p) => p.text).join(' ') });
        } else {
          const bulleted = paras.length > 1;
          blocks.push({ kind: 'text', text: paras.map((p) => (bulleted ? `${'  '.repeat(p.level)}- ${p.text}` : p.text)).join('\n') });
        }
      } else if (n === 'tbl') {
        const rows = childrenNamed(shape, 'tr')
          .map((tr) => childrenNamed(tr, 'tc').map((tc) => childrenNamed(child(tc, 'txBody') ?? tc, 'p').map(paragraphText).join(' ').trim()))
          .filter((cells) => cells.some(Boolean))
          .map((cells) => cells.join(' | '));
        if (rows.length > 0) blocks.push({ kind: 'text', text: rows.join('\n') });
      }
    }
    const notes = await slideNotes(zip, path, name);
    if (notes) blocks.push({ kind: 'text', text: `Notes: ${notes}` });
  }
  const title = await coreTitle(zip, name);
  return { ...(title ? { title } : {}), blocks: dropEmptyLocations(blocks) };
}

function paragraphText(p: XmlElement): string {
  let text = '';
  for (const e of descendants(p)) {
    const n = local(e.name);
    if (n === 't') text += textOf(e);
    else if (n === 'br') text += ' ';
  }
  return text.replace(/\s+/g, ' ').trim();
}

async function slideNotes(zip: JSZip, slidePath: string, name: string): Promise<string | undefined> {
  const relsPath = slidePath.replace(/([^/]+)$/, '_rels/$1.rels');
  const rels = await relationships(zip, relsPath, name);
  const target = [...rels.values()].find((t) => /notesSlide/i.test(t));
  if (!target) return undefined;
  const notes = await part(zip, resolve(slidePath, target), name);
  if (!notes) return undefined;
  const texts: string[] = [];
  for (const sp of descendants(notes)) {
    if (local(sp.name) !== 'sp') continue;
    const ph = [...descendants(sp)].find((e) => local(e.name) === 'ph');
    // The slide image placeholder and the slide number are not notes.
    if (ph && attr(ph, 'type') !== 'body') continue;
    const body = child(sp, 'txBody');
    if (body) texts.push(...childrenNamed(body, 'p').map(paragraphText).filter(Boolean));
  }
  return texts.join(' ') || undefined;
}
