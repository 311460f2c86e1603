/** URL identity for crawling: one spelling per page, and which links can be pages at all. Pure. */

/**
 * The URL a page is known by: no fragment, lower-case scheme and host (the URL parser does those), no
 * default port, no empty query. Returns undefined for anything but http(s) or an unparsable link.
 */
export function normaliseUrl(href: string, base?: string | URL): string | undefined {
  let url: URL;
  try {
    url = base === undefined ? new URL(href) : new URL(href, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  if (!url.search) url.search = ''; // drops a bare '?'
  url.username = '';
  url.password = '';
  return url.href;
}

/** Same site: the same host, ignoring a leading www. (the crawl starts at one and links to the other). */
export function sameSite(a: string | URL, b: string | URL): boolean {
  const host = (u: string | URL) => new URL(u).hostname.replace(/^www\./, '');
  const port = (u: string | URL) => new URL(u).port;
  return host(a) === host(b) && port(a) === port(b);
}

/** Extensions that are never HTML pages: skipped before any request is made. */
const NOT_PAGES = new Set([
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'odp', 'rtf', 'csv', 'txt', 'json', 'xml', 'rss', 'atom',
  'zip', 'gz', 'tgz', 'tar', 'rar', '7z', 'bz2', 'xz', 'dmg', 'exe', 'msi', 'apk', 'iso', 'bin',
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'ico', 'bmp', 'tif', 'tiff', 'avif', 'heic',
  'mp3', 'wav', 'ogg', 'flac', 'm4a', 'aac', 'mp4', 'mov', 'webm', 'avi', 'mkv', 'mpg', 'mpeg', 'm4v',
  'css', 'js', 'mjs', 'map', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'wasm',
]);

/** The extension when the URL's path names a non-page file ('pdf'), else undefined. */
export function nonPageExtension(url: string): string | undefined {
  const path = new URL(url).pathname;
  const ext = /\.([a-z0-9]{1,5})$/i.exec(path)?.[1]?.toLowerCase();
  return ext && NOT_PAGES.has(ext) ? ext : undefined;
}

/** Path and query, as robots.txt rules see them. */
export function robotsPath(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
