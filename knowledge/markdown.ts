/**
 * Markdown to blocks: ATX and setext headings, paragraphs, lists and tables kept as lines, fenced code
 * kept verbatim, inline markup reduced to its text. Front matter is dropped. Never throws.
 */
import { paragraphOf, type Block } from './blocks.js';
import { decodeEntities } from './entities.js';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

export function markdownToBlocks(markdown: string): Block[] {
  const lines = stripFrontMatter(markdown.replace(/\r\n?/g, '\n')).split('\n');
  const blocks: Block[] = [];
  const para = paragraphOf(blocks);
  const flush = para.flush;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      const t = code.join('\n').trim();
      if (t) blocks.push({ kind: 'text', text: t });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      const t = inline(atx[2] ?? '');
      if (t) blocks.push({ kind: 'heading', level: atx[1]!.length, text: t });
      continue;
    }
    // Setext: one paragraph line underlined with === (level 1) or --- (level 2).
    const underline = /^ {0,3}(=+|-+)[ \t]*$/.exec(line);
    if (underline && para.lines.length === 1) {
      const t = inline(para.lines[0]!);
      para.clear();
      if (t) blocks.push({ kind: 'heading', level: underline[1]![0] === '=' ? 1 : 2, text: t });
      continue;
    }
    if (line.trim() === '' || RULE.test(line)) {
      flush();
      continue;
    }
    if (TABLE_DIVIDER.test(line) && line.includes('-') && line.includes('|')) continue;
    para.push(listOrTableLine(line));
  }
  flush();
  return blocks;
}

function stripFrontMatter(md: string): string {
  return md.replace(/^\uFEFF?---\n[\s\S]*?\n---[ \t]*(?:\n|$)/, '');
}

/** Keeps list markers as "- " and table rows as "a | b"; strips quote markers. */
function listOrTableLine(line: string): string {
  let l = line.replace(/^\s*(>\s?)+/, '');
  l = l.replace(/^(\s*)[*+-][ \t]+(\[[ xX]\][ \t]+)?/, '$1- ');
  if (/^\s*\|.*\|\s*$/.test(l)) l = l.trim().slice(1, -1).split('|').map((c) => c.trim()).join(' | ');
  return inline(l);
}

/** Inline markup to plain text: images to alt text, links to their text, emphasis and code marks removed. */
export function inline(s: string): string {
  return decodeEntities(
    s
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<https?:\/\/([^>]+)>/g, 'https://$1')
      .replace(/<\/?[a-zA-Z][^>]*>/g, '')
      .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
      .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)/g, '$1$2')
      .replace(/(^|\W)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2')
      .replace(/~~(.+?)~~/g, '$1')
      .replace(/`+([^`]+)`+/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1'),
  ).trim();
}
