/**
 * A fetched HTML page as the crawler needs it: its title, main content as blocks (page chrome left out
 * by htmlToBlocks), the links it makes, its canonical URL and its robots meta directives. Pure.
 */
import type { Block } from '../blocks.js';
import { decodeEntities } from '../entities.js';
import { htmlToBlocks } from '../html.js';
import { normaliseUrl } from './urls.js';

export interface ParsedPage {
  title: string;
  blocks: Block[];
  /** Absolute, normalised http(s) links, in document order, without duplicates. */
  links: string[];
  canonical?: string;
  noindex: boolean;
  nofollow: boolean;
}

const ATTR = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');

function attr(tag: string, name: string): string | undefined {
  const m = ATTR(name).exec(tag);
  const v = m?.[1] ?? m?.[2] ?? m?.[3];
  return v === undefined ? undefined : decodeEntities(v).trim();
}

export function parsePage(html: string, pageUrl: string): ParsedPage {
  // Links inside comments and scripts are not links.
  const markup = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi, '');
  const baseHref = /<base\b[^>]*>/i.exec(markup);
  const base = normaliseUrl(attr(baseHref?.[0] ?? '', 'href') ?? '', pageUrl) ?? pageUrl;

  let canonical: string | undefined;
  let noindex = false;
  let nofollow = false;
  for (const m of markup.matchAll(/<(link|meta)\b[^>]*>/gi)) {
    const tag = m[0];
    if (m[1]!.toLowerCase() === 'link') {
      const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
      const href = attr(tag, 'href');
      if (!canonical && rel.includes('canonical') && href) canonical = normaliseUrl(href, base);
    } else if (/^(robots|customer-agent)$/i.test(attr(tag, 'name') ?? '')) {
      const content = (attr(tag, 'content') ?? '').toLowerCase();
      if (/\b(noindex|none)\b/.test(content)) noindex = true;
      if (/\b(nofollow|none)\b/.test(content)) nofollow = true;
    }
  }

  const links: string[] = [];
  const seen = new Set<string>();
  for (const m of markup.matchAll(/<(?:a|area)\b[^>]*>/gi)) {
    const href = attr(m[0], 'href');
    if (!href || /^(mailto|tel|javascript|data):/i.test(href)) continue;
    const url = normaliseUrl(href, base);
    if (url && !seen.has(url)) {
      seen.add(url);
      links.push(url);
    }
  }

  const blocks = htmlToBlocks(html);
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1];
  const title = clean(titleTag) || blocks.find((b) => b.kind === 'heading')?.text || new URL(pageUrl).pathname;
  return { title, blocks, links, ...(canonical ? { canonical } : {}), noindex, nofollow };
}

function clean(s: string | undefined): string {
  return s ? decodeEntities(s.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim().slice(0, 500) : '';
}
