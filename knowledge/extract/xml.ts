/**
 * XML to a small ordered tree, shared by the Office Open XML readers and the generic XML extractor.
 * Malformed XML is refused (it would otherwise parse to a silently truncated tree).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ExtractError } from './types.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  commentPropName: false,
});

type Raw = Record<string, unknown>;

export function parseXml(xml: string, what: string): XmlElement[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new ExtractError('corrupt', `${what} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  return (parser.parse(xml) as Raw[]).map(convert).filter(isElement).filter((e) => !e.name.startsWith('?'));
}

function convert(raw: Raw): XmlNode {
  if ('#text' in raw) return String(raw['#text']);
  const name = Object.keys(raw).find((k) => k !== ':@')!;
  const attrs = (raw[':@'] ?? {}) as Record<string, string>;
  const children = ((raw[name] ?? []) as Raw[]).map(convert);
  return { name, attrs, children };
}

export function isElement(n: XmlNode): n is XmlElement {
  return typeof n !== 'string';
}

/** The local part of a qualified name: 'w:p' → 'p'. */
export function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

export function attr(e: XmlElement, localName: string): string | undefined {
  for (const [k, v] of Object.entries(e.attrs)) if (local(k) === localName) return v;
  return undefined;
}

export function childrenNamed(e: XmlElement, localName: string): XmlElement[] {
  return e.children.filter(isElement).filter((c) => local(c.name) === localName);
}

export function child(e: XmlElement, localName: string): XmlElement | undefined {
  return childrenNamed(e, localName)[0];
}

/** Depth-first, document order. */
export function* descendants(e: XmlElement): Generator<XmlElement> {
  for (const c of e.children) {
    if (isElement(c)) {
      yield c;
      yield* descendants(c);
    }
  }
}

export function textOf(e: XmlElement): string {
  return e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
