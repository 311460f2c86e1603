/**
 * A small, forgiving HTML-to-blocks converter for help pages: it keeps headings, paragraphs, lists and
 * tables (as "cell | cell" rows) and drops page chrome (nav, footer, aside, forms) and non-content
 * (script, style, svg, templates). When the page has a <main> (or else one <article>), only that is read.
 * It never throws: malformed markup degrades to text.
 */
import { tidy, type Block } from './blocks.js';
import { decodeEntities } from './entities.js';

/** Elements whose whole subtree is dropped. */
const DROP = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'head', 'title',
  'nav', 'footer', 'aside', 'form', 'button', 'select', 'dialog', 'menu',
]);
/** Raw-text elements: their content is not markup and may contain '<'. */
const RAW = new Set(['script', 'style', 'textarea', 'xmp']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'ul', 'ol', 'dl', 'table', 'thead', 'tbody', 'tfoot',
  'blockquote', 'pre', 'figure', 'figcaption', 'address', 'details', 'summary', 'hr', 'body', 'html', 'center',
]);
const LINE = new Set(['br', 'tr', 'dt', 'dd', 'caption']);
/** Elements that hold content: a <header> inside one is the content's own header, not the site's. */
const CONTAINERS = new Set(['article', 'main', 'section']);
/** ARIA landmarks that are page chrome wherever they appear. */
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search']);
const COOKIE_WORD = /(^|[-_])(cookies?|consent|gdpr)([-_]|$)/i;
const BANNER_WORD = /banner|bar|notice|popup|modal|overlay|wall|consent|dialog|message|notification/i;
const COOKIE_TOOLS = /^(onetrust-banner-sdk|onetrust-consent-sdk|cybotcookiebotdialog|cookieconsent|cc-window|cc-banner|cmp-container)$/i;

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>|[^<]+|</g;

export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let text = '';
  let heading: { level: number; text: string } | undefined;
  let cellInRow = 0;
  let containers = 0;

  const append = (s: string) => {
    if (heading) heading.text += s;
    else text += s;
  };
  const flush = () => {
    const t = tidy(text);
    if (t) blocks.push({ kind: 'text', text: t });
    text = '';
  };

  const source = focus(html);
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m; m = TOKEN.exec(source)) {
    const [token, slash, rawName, attrs = ''] = m;
    if (rawName === undefined) {
      if (token[0] !== '<' || token === '<') append(decodeEntities(token).replace(/\s+/g, ' '));
      continue;
    }
    const name = rawName.toLowerCase();
    const closing = slash === '/';
    const selfClosing = VOID.has(name) || /\/\s*$/.test(attrs);

    if (!closing && DROP.has(name) && !selfClosing) {
      TOKEN.lastIndex = skipElement(source, name, TOKEN.lastIndex);
      continue;
    }
    if (!closing && !selfClosing && isChrome(name, attrs, containers, source, TOKEN.lastIndex)) {
      TOKEN.lastIndex = skipElement(source, name, TOKEN.lastIndex);
      continue;
    }
    if (CONTAINERS.has(name) && !selfClosing) containers = Math.max(0, containers + (closing ? -1 : 1));
    if (!closing && RAW.has(name)) {
      const end = source.toLowerCase().indexOf(`</${name}`, TOKEN.lastIndex);
      append(decodeEntities(source.slice(TOKEN.lastIndex, end < 0 ? undefined : end)));
      TOKEN.lastIndex = end < 0 ? source.length : end;
      continue;
    }

    const level = /^h([1-6])$/.exec(name)?.[1];
    if (level) {
      if (!closing) {
        flush();
        heading = { level: Number(level), text: '' };
      } else if (heading) {
        const t = tidy(heading.text).replace(/\n/g, ' ');
        if (t) blocks.push({ kind: 'heading', level: heading.level, text: t });
        heading = undefined;
      }
      continue;
    }
    if (name === 'img' && !closing) {
      const alt = /\balt\s*=\s*("([^"]*)"|'([^']*)')/i.exec(attrs);
      const altText = alt?.[2] ?? alt?.[3];
      if (altText) append(` ${decodeEntities(altText)} `);
      continue;
    }
    if (name === 'li' && !closing) append('\n- ');
    else if (name === 'tr' && !closing) {
      cellInRow = 0;
      append('\n');
    } else if ((name === 'td' || name === 'th') && !closing) {
      if (cellInRow++ > 0) append(' | ');
    } else if (LINE.has(name)) append('\n');
    else if (BLOCK.has(name)) {
      if (heading) append(' ');
      else flush();
    }
  }
  if (heading) blocks.push({ kind: 'heading', level: heading.level, text: tidy(heading.text).replace(/\n/g, ' ') });
  flush();
  return blocks;
}

/** The page's main content when it marks it; otherwise the whole document. */
function focus(html: string): string {
  const main = /<main\b[^>]*>([\s\S]*?)<\/main\s*>/i.exec(html);
  if (main) return main[1]!;
  const articles = html.match(/<article\b/gi);
  if (articles?.length === 1) {
    const article = /<article\b[^>]*>([\s\S]*?)<\/article\s*>/i.exec(html);
    if (article) return article[1]!;
  }
  return html;
}

/**
 * Page chrome that is not a dropped element type: ARIA landmarks (navigation, banner, contentinfo,
 * complementary, search), cookie and consent banners (by class or id), and a site-level <header> (one
 * outside article/main/section) unless it holds the page's <h1>, which some pages put there.
 */
function isChrome(name: string, attrs: string, containers: number, html: string, from: number): boolean {
  if (!attrs && name !== 'header') return false;
  const role = attrValue(attrs, 'role')?.toLowerCase();
  if (role && CHROME_ROLES.has(role)) return true;
  const names = `${attrValue(attrs, 'class') ?? ''} ${attrValue(attrs, 'id') ?? ''}`.split(/\s+/).filter(Boolean);
  if (names.some((n) => COOKIE_TOOLS.test(n) || (COOKIE_WORD.test(n) && BANNER_WORD.test(n.replace(COOKIE_WORD, '-'))))) return true;
  if (name === 'header' && containers === 0) return !/<h1\b/i.test(html.slice(from, skipElement(html, name, from)));
  return false;
}

const ATTRS = Object.fromEntries(['role', 'class', 'id'].map((n) => [n, new RegExp(`(?:^|\\s)${n}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i')]));

function attrValue(attrs: string, name: 'role' | 'class' | 'id'): string | undefined {
  const m = ATTRS[name]!.exec(attrs);
  return m?.[1] ?? m?.[2] ?? m?.[3];
}

/** Index just after the element opened before `from`, counting nested same-name elements. */
function skipElement(html: string, name: string, from: number): number {
  const re = new RegExp(`<(/?)${name}\\b[^>]*>`, 'gi');
  re.lastIndex = from;
  let depth = 1;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (RAW.has(name) && !m[1]) continue;
    depth += m[1] ? -1 : 1;
    if (depth === 0) return re.lastIndex;
  }
  return html.length;
}
