/**
 * A reply as an email: plain text with the cited sources listed after it ("[1] Title: https://…"), and
 * HTML with each [n] marker a link to its source (and web addresses links) and the same list; the
 * signature last in both. Pure.
 */
import type { SourceRef } from '../../workflows/conversation.contract.js';
import { citedSources, withSourceLines } from '../render.js';

export interface RenderedEmail {
  text: string;
  html: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Only web links become links: a source's URL is whatever was ingested. */
function webUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function paragraphs(text: string, inline: (escaped: string) => string = (s) => s): string {
  return text.trim().split(/\n{2,}/).map((p) => `<p>${inline(escape(p)).replace(/\n/g, '<br>\n')}</p>`).join('\n');
}

export function renderEmail(input: { text: string; sources: readonly SourceRef[]; signature?: string }): RenderedEmail {
  const signature = input.signature?.trim();
  const text = `${withSourceLines(input.text.trim(), input.sources)}${signature ? `\n\n-- \n${signature}` : ''}\n`;

  const cited = citedSources(input.text, input.sources);
  // The turn graph's answers end with their own list of sources (in the reply's language): kept, not doubled.
  const listed = cited.length > 0 && withSourceLines(input.text, input.sources) === input.text;
  const urls = new Map(cited.map(({ n, source }) => [n, webUrl(source.url)]));
  const body = paragraphs(input.text, (s) => s.replace(/\[(\d{1,2})\]|https?:\/\/[^\s<>"]*[^\s<>".,;:!?)]/g, (match, n: string | undefined) => {
    if (n === undefined) return `<a href="${match}">${match}</a>`;
    const url = urls.get(Number(n));
    return url ? `<a href="${escape(url)}">${match}</a>` : match;
  }));
  const list = cited.length === 0 || listed ? '' : `\n<p>Sources:</p>\n<ol style="list-style:none;padding-left:0">\n${cited.map(({ n, source }) => {
    const url = webUrl(source.url);
    const title = escape(source.title);
    return `<li>[${n}] ${url ? `<a href="${escape(url)}">${title}</a>` : title}</li>`;
  }).join('\n')}\n</ol>`;
  const sig = signature ? `\n<p style="color:#555555">-- <br>\n${escape(signature).replace(/\n/g, '<br>\n')}</p>` : '';
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${body}${list}${sig}\n</body></html>\n`;
  return { text, html };
}
