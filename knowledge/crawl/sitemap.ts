/**
 * sitemap.xml (a `<urlset>` of pages or a `<sitemapindex>` of further sitemaps), read leniently: only
 * `<loc>` elements matter. Pure: the crawler fetches the files and bounds how many it reads.
 */
import { decodeEntities } from '../entities.js';

export interface Sitemap {
  kind: 'urlset' | 'index';
  /** Page URLs (urlset) or sitemap URLs (index), absolute as written. */
  locations: string[];
}

export function parseSitemap(xml: string): Sitemap | undefined {
  const head = xml.slice(0, 4096);
  const kind = /<(?:[\w-]+:)?sitemapindex\b/i.test(head) ? 'index' : /<(?:[\w-]+:)?urlset\b/i.test(head) ? 'urlset' : undefined;
  if (!kind) return undefined;
  const locations: string[] = [];
  const re = /<(?:[\w-]+:)?loc\b[^>]*>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))\s*<\/(?:[\w-]+:)?loc\s*>/gi;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const loc = (m[1] ?? decodeEntities(m[2] ?? '')).trim();
    if (loc) locations.push(loc);
  }
  return { kind, locations };
}
