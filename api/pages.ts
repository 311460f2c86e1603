/**
 * The HTML pages the API serves (api/pages/*.html: one file each, inline script and style, no build step),
 * read once at start.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../workers/package-root.js';

export interface Page {
  html: string;
  headers: Record<string, string>;
}

export function readPage(name: string): string {
  return readFileSync(path.join(PACKAGE_ROOT, 'api', 'pages', name), 'utf8');
}

/**
 * A page that holds an admin key (the inbox): a Content-Security-Policy lets only its own inline script
 * and style run, by hash, talk only to this origin, and never be framed (a framed inbox could be
 * clicked through by another site). Invariant: the page uses no inline event handlers, style
 * attributes or external resources, so the hashes of its <script> and <style> elements are all it needs;
 * editing either changes its hash, recomputed here at start.
 */
export function lockedPage(name: string): Page {
  const html = readPage(name);
  const hashes = (tag: 'script' | 'style') => {
    const bodies = [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
    if (bodies.length === 0) throw new Error(`api/pages/${name} has no <${tag}> element`);
    return bodies.map((b) => `'sha256-${createHash('sha256').update(b, 'utf8').digest('base64')}'`).join(' ');
  };
  const policy = [
    "default-src 'none'",
    `script-src ${hashes('script')}`,
    `style-src ${hashes('style')}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    // The sign-in form is handled by the script; without it, the key must not end up in a URL.
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    html,
    headers: {
      'Content-Security-Policy': policy,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}
