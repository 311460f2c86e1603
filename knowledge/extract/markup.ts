/**
 * Structured text formats: HTML/XHTML (through the shared HTML reader), JSON and generic XML. JSON and XML
 * become headings for their nested objects and "key: value" lines for their leaves, so a record reads as
 * a sentence-like line and a nested section is cited by its path.
 */
import { tidy, type Block } from '../blocks.js';
import { decodeEntities } from '../entities.js';
import { htmlToBlocks } from '../html.js';
import { locateByHeadings } from './structure.js';
import { ExtractError } from './types.js';
import { isElement, local, parseXml, type XmlElement } from './xml.js';

/** Nesting beyond this becomes dotted keys instead of deeper headings. */
const MAX_HEADING_DEPTH = 3;

export function extractHtml(html: string): { title?: string; blocks: Block[] } {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const title = m ? tidy(decodeEntities(m[1]!)).replace(/\n/g, ' ') : '';
  return { ...(title ? { title } : {}), blocks: locateByHeadings(htmlToBlocks(html)) };
}

export function extractJson(text: string, name: string): Block[] {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ExtractError('corrupt', `${name} is not valid JSON (${(err as Error).message})`);
  }
  const blocks: Block[] = [];
  jsonValue(value, [], 1, blocks);
  return locateByHeadings(blocks);
}

function jsonValue(value: unknown, path: string[], depth: number, out: Block[]): void {
  if (isRecordArray(value)) {
    for (const item of value) {
      const lines = flatten(item, []);
      if (lines.length > 0) out.push({ kind: 'text', text: lines.join('\n') });
    }
    return;
  }
  if (!isObject(value) || depth > MAX_HEADING_DEPTH) {
    const lines = flatten(value, path.length > 0 && !isObject(value) && !Array.isArray(value) ? [path.at(-1)!] : []);
    if (lines.length > 0) out.push({ kind: 'text', text: lines.join('\n') });
    return;
  }
  const leaves: string[] = [];
  const nested: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isObject(v) || isRecordArray(v)) nested.push([k, v]);
    else leaves.push(...flatten(v, [k]));
  }
  if (leaves.length > 0) out.push({ kind: 'text', text: leaves.join('\n') });
  for (const [k, v] of nested) {
    out.push({ kind: 'heading', level: depth, text: humanKey(k) });
    jsonValue(v, [...path, k], depth + 1, out);
  }
}

/** Leaves as "a.b: value" lines; arrays of scalars joined on one line. */
function flatten(value: unknown, path: string[]): string[] {
  const key = path.map(humanKey).join(' › ');
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) {
    if (value.every((v) => !isObject(v) && !Array.isArray(v))) {
      const items = value.filter((v) => v !== null && v !== '').map(String);
      return items.length === 0 ? [] : [key ? `${key}: ${items.join(', ')}` : items.join(', ')];
    }
    return value.flatMap((v, i) => flatten(v, [...path, String(i + 1)]));
  }
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => flatten(v, [...path, k]));
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text ? [key ? `${key}: ${text}` : text] : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRecordArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0 && v.every(isObject);
}

/** snake_case and camelCase keys read as words: 'return_window' → 'return window'. */
function humanKey(k: string): string {
  return k.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim() || k;
}

export function extractXml(text: string, name: string): Block[] {
  const roots = parseXml(text, name);
  const root = roots[0];
  if (!root) throw new ExtractError('empty', `${name} has no XML elements`);
  if (local(root.name).toLowerCase() === 'html') return extractHtml(text).blocks;
  const blocks: Block[] = [];
  xmlElement(root, 1, blocks);
  return locateByHeadings(blocks);
}

/**
 * An element whose children are all leaves is one record: a paragraph of "name: value" lines. An element
 * with element children of its own is a section: a heading (its name, or its title/name child) and its
 * children in order.
 */
function xmlElement(e: XmlElement, depth: number, out: Block[]): void {
  const kids = e.children.filter(isElement);
  const ownText = e.children.filter((c): c is string => typeof c === 'string').join(' ').replace(/\s+/g, ' ').trim();
  if (kids.every((k) => !k.children.some(isElement))) {
    const lines = [
      ...attrLines(e),
      ...(ownText ? [ownText] : []),
      ...kids.map((k) => {
        const v = leafText(k);
        return v ? `${humanKey(local(k.name))}: ${v}` : '';
      }).filter(Boolean),
    ];
    if (lines.length > 0) out.push({ kind: 'text', text: lines.join('\n') });
    return;
  }
  if (depth <= MAX_HEADING_DEPTH) out.push({ kind: 'heading', level: depth, text: sectionName(e) });
  const lines = [...attrLines(e), ...(ownText ? [ownText] : [])];
  if (lines.length > 0) out.push({ kind: 'text', text: lines.join('\n') });
  for (const k of kids) xmlElement(k, depth + 1, out);
}

function leafText(e: XmlElement): string {
  const text = e.children.filter((c): c is string => typeof c === 'string').join(' ').replace(/\s+/g, ' ').trim();
  const attrs = attrLines(e).join(', ');
  return [text, attrs && `(${attrs})`].filter(Boolean).join(' ');
}

function attrLines(e: XmlElement): string[] {
  return Object.entries(e.attrs)
    .filter(([k]) => !k.startsWith('xmlns') && !k.startsWith('xsi:'))
    .map(([k, v]) => `${humanKey(local(k))}: ${v}`);
}

function sectionName(e: XmlElement): string {
  const named = e.children.filter(isElement).find((k) => /^(title|name|heading)$/i.test(local(k.name)) && !k.children.some(isElement));
  const label = named ? leafText(named) : '';
  return label ? `${humanKey(local(e.name))}: ${label}` : humanKey(local(e.name));
}
