/**
 * Files to blocks: sniff the type from the bytes (sniff.ts), hand the file to its family's extractor and
 * check that something worth keeping came out. Every refusal is an ExtractError with a code the API maps
 * to a 4xx and a message that says what to do; nothing here touches the database.
 */
import type JSZip from 'jszip';
import type { Block } from '../blocks.js';
import { extractHtml, extractJson, extractXml } from './markup.js';
import { extractDocx, extractPptx } from './office.js';
import { extractPdf } from './pdf.js';
import { extractCsv, extractWorkbook } from './sheet.js';
import { describeType, sniff, type Sniffed } from './sniff.js';
import { hasText } from './structure.js';
import { extractConfig, extractMarkdown, extractPlainText, extractRst } from './text.js';
import { DEFAULT_MAX_FILE_BYTES, ExtractError, tooLarge, type ExtractOptions, type FileExtractor } from './types.js';
import { extractVideo, ffmpegAvailable } from './video.js';

export { EXTENSIONS, extensionOf, supportedList } from './extensions.js';
export {
  DEFAULT_MAX_FILE_BYTES, ExtractError, FILE_TYPES, formatBytes, type ExtractErrorCode, type Extracted, type ExtractOptions,
  type FileExtractor, type FileInput, type FileType,
} from './types.js';

export function createFileExtractor(options: ExtractOptions = {}): FileExtractor {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const video = options.video ?? {};
  // Probed once per extractor, on first use: installing ffmpeg takes a restart to be noticed.
  let ffmpeg: Promise<boolean> | undefined;
  const hasFfmpeg = () => (ffmpeg ??= ffmpegAvailable(video));

  return {
    maxBytes,
    async videoSupport() {
      return { captions: await hasFfmpeg(), transcription: Boolean(video.transcription) };
    },
    async extract({ name, bytes }) {
      const refusal = tooLarge(name, bytes.length, maxBytes);
      if (refusal) throw refusal;
      const sniffed = await sniff(name, bytes);
      const out = await byType(sniffed, name, bytes, async () => extractVideo(bytes, name, sniffed.mediaType, video, await hasFfmpeg()));
      if (!hasText(out.blocks)) {
        throw new ExtractError('empty', sniffed.type === 'pdf'
          ? `${name} has no text to read; it may be scanned pages (images), which need OCR before upload`
          : `${name} holds no text we can use (read as ${describeType(sniffed.type)})`);
      }
      const title = usefulTitle(out.title) ?? (out.title?.trim() ? firstHeading(out.blocks) : undefined);
      return { type: sniffed.type, mediaType: sniffed.mediaType, ...(title ? { title } : {}), blocks: out.blocks };
    },
  };
}

async function byType(s: Sniffed, name: string, bytes: Uint8Array, video: () => Promise<Block[]>): Promise<{ title?: string; blocks: Block[] }> {
  const text = s.text ?? '';
  switch (s.type) {
    case 'docx': return extractDocx(s.zip as JSZip, name);
    case 'pptx': return extractPptx(s.zip as JSZip, name);
    case 'xlsx':
    case 'xls': return extractWorkbook(bytes, name);
    case 'pdf': return extractPdf(bytes, name);
    case 'csv': return { blocks: extractCsv(text, name) };
    case 'json': return { blocks: extractJson(text, name) };
    case 'xml': return { blocks: extractXml(text, name) };
    case 'html': return extractHtml(text);
    case 'markdown': return extractMarkdown(text);
    case 'rst': return extractRst(text);
    case 'config': return { blocks: extractConfig(text) };
    case 'text': return { blocks: extractPlainText(text) };
    case 'video': return { blocks: await video() };
  }
}

/**
 * Titles that authoring tools and converters fill in by themselves ("Untitled", "about:blank", "Microsoft
 * Word - draft3.docx", "Document1", a temp path) say nothing. Such a title gives way to the file's first
 * heading; a file with no title at all keeps its file name, which its uploader chose.
 */
const JUNK_TITLE = new RegExp([
  String.raw`^(untitled|no title|sans titre|unbenannt|ohne titel|uden titel|naamloos|sin título|sin titulo)\b`,
  String.raw`^(new |new blank )?(document|presentation|book|workbook|slide|title|page)[\s_-]*\d*$`,
  String.raw`^(microsoft|ms)[\s-]*(word|powerpoint|excel|office)\b`,
  String.raw`^powerpoint presentation$`,
  String.raw`^(about:blank|blank|title|default|none|null|undefined|normal|template|draft)$`,
  String.raw`^[a-z]:\\|^\/(tmp|users|home|var)\/`,
  String.raw`^[^\s]+\.(docx?|pptx?|xlsx?|pdf|odt|rtf|html?|txt|indd|qxp|tmp)$`,
].join('|'), 'i');

function usefulTitle(title: string | undefined): string | undefined {
  const t = title?.replace(/\s+/g, ' ').trim();
  if (!t || t.length > 200 || JUNK_TITLE.test(t) || !/\p{L}/u.test(t)) return undefined;
  return t;
}

/** The first heading with letters, for a file whose own title is junk. */
function firstHeading(blocks: readonly Block[]): string | undefined {
  for (const b of blocks) {
    if (b.kind !== 'heading') continue;
    const t = b.text.replace(/\s+/g, ' ').trim();
    if (t && t.length <= 200 && /\p{L}/u.test(t)) return t;
  }
  return undefined;
}
