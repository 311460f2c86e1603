/**
 * Plain-text families: Markdown (shared reader), reStructuredText, configuration files and plain text.
 * Sections come from headings where the format has them; text without headings is located by line
 * numbers, which is what a reader of a .txt or .conf file can look up.
 */
import { paragraphOf, tidy, type Block } from '../blocks.js';
import { markdownToBlocks } from '../markdown.js';
import { locateByHeadings, textWithLines } from './structure.js';

export function extractMarkdown(text: string): { title?: string; blocks: Block[] } {
  const blocks = markdownToBlocks(text);
  if (!blocks.some((b) => b.kind === 'heading')) return { blocks: textWithLines(text) };
  const first = blocks.find((b) => b.kind === 'heading' && b.level === 1);
  return { ...(first ? { title: first.text } : {}), blocks: locateByHeadings(blocks) };
}

const ADORNMENT = /^([=\-`:'"~^_*+#<>.])\1{2,}\s*$/;

/**
 * reStructuredText: section titles are underlined (optionally overlined) with punctuation; their levels
 * follow the order in which each adornment style first appears. Directives keep their content, comments
 * and explicit markup targets are dropped, inline roles and markup reduce to their text.
 */
export function extractRst(text: string): { title?: string; blocks: Block[] } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const styles: string[] = [];
  const blocks: Block[] = [];
  const para = paragraphOf(blocks);
  const flush = para.flush;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    const over = ADORNMENT.test(line) && next !== undefined && next.trim() && lines[i + 2] !== undefined && ADORNMENT.test(lines[i + 2]!) && lines[i + 2]![0] === line[0];
    if (over) {
      flush();
      blocks.push({ kind: 'heading', level: levelOf(styles, `over${line[0]}`), text: inlineRst(next!.trim()) });
      i += 2;
      continue;
    }
    if (line.trim() && !ADORNMENT.test(line) && next !== undefined && ADORNMENT.test(next) && next.trim().length >= line.trim().length && para.lines.length === 0) {
      blocks.push({ kind: 'heading', level: levelOf(styles, next[0]!), text: inlineRst(line.trim()) });
      i++;
      continue;
    }
    if (!line.trim() || /^\s*\+[-=+]+\+\s*$/.test(line) || /^\s*=+( +=+)+\s*$/.test(line)) {
      if (!line.trim()) flush();
      continue;
    }
    const directive = /^\.\.\s+([\w-]+)::\s*(.*)$/.exec(line);
    if (directive) {
      flush();
      if (directive[2]) para.push(inlineRst(directive[2]));
      continue;
    }
    if (/^\.\.(\s|$)/.test(line)) {
      // A comment or target: skip it and its indented body.
      while (i + 1 < lines.length && (/^\s+\S/.test(lines[i + 1]!) || lines[i + 1] === '')) {
        if (lines[i + 1] === '' && !(lines[i + 2] ?? '').startsWith(' ')) break;
        i++;
      }
      continue;
    }
    if (/^\s*:[\w -]+:/.test(line) && para.lines.length === 0 && blocks.length === 0) continue; // docinfo fields
    para.push(gridRow(line));
  }
  flush();
  const first = blocks.find((b) => b.kind === 'heading');
  return { ...(first ? { title: first.text } : {}), blocks: blocks.some((b) => b.kind === 'heading') ? locateByHeadings(blocks) : blocks };
}

function levelOf(styles: string[], style: string): number {
  if (!styles.includes(style)) styles.push(style);
  return Math.min(styles.indexOf(style) + 1, 6);
}

function gridRow(line: string): string {
  const l = line.replace(/^(\s*)[*+-]\s+/, '$1- ').replace(/^(\s*)#\.\s+/, '$1- ');
  if (/^\s*\|.*\|\s*$/.test(l)) return inlineRst(l.trim().slice(1, -1).split('|').map((c) => c.trim()).join(' | '));
  return inlineRst(l);
}

function inlineRst(s: string): string {
  return s
    .replace(/`([^`<]+?)\s*<[^>]+>`_{1,2}/g, '$1')
    .replace(/:[\w-]+:`([^`]+)`/g, '$1')
    .replace(/``([^`]+)``/g, '$1')
    .replace(/`([^`]+)`_{0,2}/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\*([^*]+)\*/g, '$1')
    .replace(/(\w)_\b/g, '$1')
    .replace(/::$/, ':');
}

/**
 * INI-style sections ("[database]") become headings; other configuration formats (nginx, Apache, YAML-ish)
 * stay text located by lines. Comments are kept: in configuration files they are the documentation.
 */
export function extractConfig(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sectionLines = lines.filter((l) => /^\s*\[[^\]\n]+\]\s*$/.test(l)).length;
  if (sectionLines === 0) return textWithLines(text);
  const blocks: Block[] = [];
  let para: string[] = [];
  let start = 0;
  let section = '';
  const flush = (next: number) => {
    const t = tidy(para.join('\n'));
    // The range ends at the last line with content, not at trailing blank lines.
    let end = next;
    while (end > start && !lines[end - 1]?.trim()) end--;
    if (t) {
      blocks.push({ kind: 'location', text: `${section ? `[${section}], ` : ''}${start === end ? `line ${start}` : `lines ${start}–${end}`}` });
      blocks.push({ kind: 'text', text: t });
    }
    para = [];
  };
  lines.forEach((line, i) => {
    const m = /^\s*\[([^\]\n]+)\]\s*$/.exec(line);
    if (m) {
      flush(i);
      section = m[1]!.trim();
      blocks.push({ kind: 'heading', level: 1, text: section });
      start = i + 2;
      return;
    }
    if (para.length === 0) start = i + 1;
    para.push(line);
  });
  flush(lines.length);
  return blocks;
}

export function extractPlainText(text: string): Block[] {
  return textWithLines(text);
}
