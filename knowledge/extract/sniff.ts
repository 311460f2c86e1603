/**
 * The file's type from its BYTES: magic numbers, the entries of a ZIP or compound (OLE) container, and for
 * text the content itself. The name only chooses among plain-text families (csv, markdown, rst, config,
 * text) that bytes cannot tell apart. A file whose name promises a binary format its bytes do not hold is
 * corrupt or mislabelled and refused; a file whose bytes are a format we read is read as that format,
 * whatever its name says.
 */
import JSZip from 'jszip';
import * as XLSX from '@e965/xlsx';
import { EXTENSIONS, extensionOf, supportedList } from './extensions.js';
import { ExtractError, type FileType } from './types.js';

export { EXTENSIONS, extensionOf, supportedList } from './extensions.js';

export interface Sniffed {
  type: FileType;
  mediaType: string;
  /** The text, decoded, for text families. */
  text?: string;
  /** The opened ZIP, for Office Open XML files. */
  zip?: JSZip;
}

export const MEDIA_TYPES: Record<FileType, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  pdf: 'application/pdf',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  markdown: 'text/markdown',
  rst: 'text/x-rst',
  text: 'text/plain',
  config: 'text/plain',
  video: 'video/mp4',
};

const BINARY_FAMILIES: ReadonlySet<FileType> = new Set(['docx', 'pptx', 'xlsx', 'xls', 'pdf', 'video']);

const NAMES: Record<FileType, string> = {
  docx: 'a Word document', pptx: 'a PowerPoint presentation', xlsx: 'an Excel workbook', xls: 'an Excel 97–2003 workbook',
  pdf: 'a PDF', csv: 'CSV', json: 'JSON', xml: 'XML', html: 'HTML', markdown: 'Markdown', rst: 'reStructuredText',
  text: 'plain text', config: 'a configuration file', video: 'a video',
};

export function describeType(type: FileType): string {
  return NAMES[type];
}

/** Formats we recognise but do not read, by signature, so a refusal can name what the file is. */
const FOREIGN: { name: string; test: (b: Uint8Array) => boolean }[] = [
  { name: 'a PNG image', test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]) },
  { name: 'a JPEG image', test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { name: 'a GIF image', test: (b) => ascii(b, 0, 4) === 'GIF8' },
  { name: 'a WebP image', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP' },
  { name: 'a WAVE audio file', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE' },
  { name: 'an MP3 audio file', test: (b) => ascii(b, 0, 3) === 'ID3' },
  { name: 'a gzip archive', test: (b) => starts(b, [0x1f, 0x8b]) },
  { name: 'a 7-Zip archive', test: (b) => starts(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { name: 'a RAR archive', test: (b) => ascii(b, 0, 4) === 'Rar!' },
  { name: 'an executable program', test: (b) => starts(b, [0x7f, 0x45, 0x4c, 0x46]) || ascii(b, 0, 2) === 'MZ' },
  { name: 'an RTF document', test: (b) => ascii(b, 0, 5) === '{\\rtf' },
];

export async function sniff(name: string, bytes: Uint8Array): Promise<Sniffed> {
  if (bytes.length === 0) throw new ExtractError('empty', `${name} is empty (0 bytes)`);
  const ext = extensionOf(name);
  const named = EXTENSIONS[ext];

  const binary = await sniffBinary(name, bytes);
  if (binary) return binary;

  const foreign = FOREIGN.find((f) => f.test(bytes));
  if (foreign) throw new ExtractError('unsupported', `${name} is ${foreign.name}, which cannot be used as knowledge; upload ${supportedList()}`);

  const text = decodeText(bytes);
  if (text === undefined) {
    if (named && BINARY_FAMILIES.has(named)) throw notWhatItClaims(name, named);
    throw new ExtractError('unsupported', `${name} is not a document we can read (its bytes are neither text nor a known format); upload ${supportedList()}`);
  }
  // Text in a file whose name promises a binary format: a damaged or mislabelled file, never guessed at.
  if (named && BINARY_FAMILIES.has(named)) throw notWhatItClaims(name, named);
  if (text.trim().length === 0) throw new ExtractError('empty', `${name} holds only whitespace`);
  const type = textFamily(text, named);
  return { type, mediaType: MEDIA_TYPES[type], text };
}

async function sniffBinary(name: string, bytes: Uint8Array): Promise<Sniffed | undefined> {
  const head = ascii(bytes, 0, Math.min(bytes.length, 1024));
  // The PDF header may follow up to 1 KB of leading junk (the specification's tolerance).
  if (/%PDF-\d\.\d/.test(head)) return { type: 'pdf', mediaType: MEDIA_TYPES.pdf };
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04]) || starts(bytes, [0x50, 0x4b, 0x05, 0x06])) return sniffZip(name, bytes);
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return sniffCompound(name, bytes);
  const video = videoMediaType(bytes);
  if (video) return { type: 'video', mediaType: video };
  return undefined;
}

async function sniffZip(name: string, bytes: Uint8Array): Promise<Sniffed> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (err) {
    throw new ExtractError('corrupt', `${name} is a damaged ZIP container (${(err as Error).message}); save it again and re-upload`);
  }
  const has = (p: string) => zip.file(p) !== null;
  const type: FileType | undefined = has('word/document.xml') ? 'docx'
    : has('ppt/presentation.xml') ? 'pptx'
    : has('xl/workbook.xml') ? 'xlsx'
    : undefined;
  if (type) return { type, mediaType: MEDIA_TYPES[type], zip };
  if (has('mimetype') && has('content.xml')) {
    throw new ExtractError('unsupported', `${name} is an OpenDocument file; save it as .docx, .pptx or .xlsx and upload that`);
  }
  const named = EXTENSIONS[extensionOf(name)];
  if (named === 'docx' || named === 'pptx' || named === 'xlsx') {
    throw new ExtractError('corrupt', `${name} is a ZIP file without the parts of ${NAMES[named]}; it is damaged or not ${NAMES[named]}`);
  }
  throw new ExtractError('unsupported', `${name} is a ZIP archive; unpack it and upload the files inside`);
}

/** OLE compound files: legacy Office formats, and also the wrapper of every password-protected Office Open XML file. */
function sniffCompound(name: string, bytes: Uint8Array): Sniffed {
  let entries: string[];
  try {
    entries = XLSX.CFB.read(bytes, { type: 'buffer' }).FullPaths.map((p: string) => p.replace(/\/$/, '').split('/').at(-1)!.toLowerCase());
  } catch (err) {
    throw new ExtractError('corrupt', `${name} is a damaged Office file (${(err as Error).message})`);
  }
  if (entries.includes('encryptedpackage') || entries.includes('encryptioninfo')) {
    throw new ExtractError('encrypted', `${name} is password-protected; remove the password (File › Info › Protect) and upload it again`);
  }
  if (entries.includes('workbook') || entries.includes('book')) return { type: 'xls', mediaType: MEDIA_TYPES.xls };
  if (entries.includes('worddocument')) throw new ExtractError('unsupported', `${name} is a Word 97–2003 .doc file; save it as .docx and upload that`);
  if (entries.includes('powerpoint document')) throw new ExtractError('unsupported', `${name} is a PowerPoint 97–2003 .ppt file; save it as .pptx and upload that`);
  throw new ExtractError('unsupported', `${name} is a legacy Office container we cannot read; save it as .docx, .pptx or .xlsx`);
}

export function videoMediaType(b: Uint8Array): string | undefined {
  if (ascii(b, 4, 4) === 'ftyp') return ascii(b, 8, 4) === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  if (starts(b, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'AVI ') return 'video/x-msvideo';
  if (starts(b, [0x00, 0x00, 0x01, 0xba]) || starts(b, [0x00, 0x00, 0x01, 0xb3])) return 'video/mpeg';
  // MPEG transport stream: a sync byte every 188 bytes.
  if (b.length >= 188 * 3 && b[0] === 0x47 && b[188] === 0x47 && b[376] === 0x47) return 'video/mp2t';
  return undefined;
}

/**
 * UTF-8 (with or without BOM) or UTF-16 with a BOM; otherwise Windows-1252 when the bytes still look like
 * text. Undefined for binary: NUL bytes or many control characters.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (starts(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (starts(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const sample = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const c of sample) {
    if (c === 0) return undefined;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  if (control > sample.length / 100 + 1) return undefined;
  const body = starts(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('windows-1252').decode(body);
  }
}

/** Structured text is recognised by content; the plain families by name, then by content. */
function textFamily(text: string, named: FileType | undefined): FileType {
  const start = text.trimStart().slice(0, 2048);
  if (start.startsWith('<')) {
    if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<!doctype\s+html/i.test(start) || /<html[\s>]/i.test(start)) return 'html';
    if (named === 'html') return 'html';
    if (/^<(\?xml|[a-zA-Z_][\w.:-]*[\s>/])/.test(start)) return 'xml';
  }
  if ((start.startsWith('{') || start.startsWith('[')) && isJson(text)) return 'json';
  if (named === 'json' || named === 'xml' || named === 'html') {
    // Declared structured, but the content is not: let its own parser say what is wrong.
    return named;
  }
  if (named) return named;
  if (/^#{1,6} \S/m.test(text)) return 'markdown';
  if (looksLikeCsv(text)) return 'csv';
  return 'text';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** At least three lines with the same, non-zero number of commas or semicolons. */
function looksLikeCsv(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim()).slice(0, 20);
  if (lines.length < 3) return false;
  return [',', ';', '\t'].some((d) => {
    const counts = lines.map((l) => l.split(d).length - 1);
    return counts[0]! > 0 && counts.every((c) => c === counts[0]);
  });
}

function notWhatItClaims(name: string, named: FileType): ExtractError {
  return new ExtractError('corrupt', `${name} is named like ${NAMES[named]}, but its bytes are not ${NAMES[named]}; it is damaged or mislabelled`);
}

function starts(b: Uint8Array, sig: readonly number[]): boolean {
  return b.length >= sig.length && sig.every((v, i) => b[i] === v);
}

function ascii(b: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...b.subarray(from, from + length));
}
