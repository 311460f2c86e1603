import { describe, expect, it } from 'vitest';
import { parsePage } from '../../../knowledge/crawl/page.js';
import { parseRobots } from '../../../knowledge/crawl/robots.js';
import { parseSitemap } from '../../../knowledge/crawl/sitemap.js';
import { nonPageExtension, normaliseUrl, sameSite } from '../../../knowledge/crawl/urls.js';
import { htmlToBlocks } from '../../../knowledge/html.js';

describe('robots.txt', () => {
  const ROBOTS = `
# comments are ignored
User-agent: *
Disallow: /private/
Allow: /private/faq
Disallow: /*.json$
Crawl-delay: 2

User-agent: OtherBot
Disallow: /

User-agent: customer-agent
Disallow: /no-agents/
Allow: /no-agents/welcome$

Sitemap: https://shop.example/sitemap-index.xml
`;

  it('uses the group for our user agent when there is one, else the * group', () => {
    const ours = parseRobots(ROBOTS, 'customer-agent/0.1');
    expect(ours.isAllowed('/private/returns')).toBe(true);
    expect(ours.isAllowed('/no-agents/x')).toBe(false);
    expect(ours.isAllowed('/no-agents/welcome')).toBe(true);
    expect(ours.isAllowed('/no-agents/welcome/more')).toBe(false);
    expect(ours.crawlDelaySeconds).toBeUndefined();

    const someone = parseRobots(ROBOTS, 'somebot/2');
    expect(someone.isAllowed('/private/returns')).toBe(false);
    expect(someone.isAllowed('/private/faq-shipping')).toBe(true);
    expect(someone.isAllowed('/api/items.json')).toBe(false);
    expect(someone.isAllowed('/api/items.json?x=1')).toBe(true);
    expect(someone.crawlDelaySeconds).toBe(2);
    expect(someone.sitemaps).toEqual(['https://shop.example/sitemap-index.xml']);
  });

  it('lets the longest rule win, and Allow win a tie; an empty Disallow allows all', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /a\nAllow: /a\nDisallow: /b/c\nAllow: /b', 'x');
    expect(rules.isAllowed('/a/page')).toBe(true);
    expect(rules.isAllowed('/b/c/d')).toBe(false);
    expect(parseRobots('User-agent: *\nDisallow:', 'x').isAllowed('/anything')).toBe(true);
  });
});

describe('sitemaps', () => {
  it('reads page URLs from a urlset and sitemap URLs from an index', () => {
    expect(parseSitemap(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://shop.example/a?x=1&amp;y=2</loc><lastmod>2026-01-01</lastmod></url>
      <url><loc><![CDATA[https://shop.example/b]]></loc></url></urlset>`)).toEqual({
      kind: 'urlset', locations: ['https://shop.example/a?x=1&y=2', 'https://shop.example/b'],
    });
    expect(parseSitemap('<sitemapindex><sitemap><loc>https://shop.example/s1.xml</loc></sitemap></sitemapindex>'))
      .toEqual({ kind: 'index', locations: ['https://shop.example/s1.xml'] });
    expect(parseSitemap('<html><body>not a sitemap</body></html>')).toBeUndefined();
  });
});

describe('URLs', () => {
  it('gives a page one spelling and recognises files that are not pages', () => {
    expect(normaliseUrl('HTTP://Shop.Example:80/a/../b?#top')).toBe('http://shop.example/b');
    expect(normaliseUrl('mailto:x@y.z')).toBeUndefined();
    expect(normaliseUrl('/c', 'https://shop.example/a/b')).toBe('https://shop.example/c');
    expect(sameSite('https://www.shop.example/x', 'http://shop.example/')).toBe(true);
    expect(sameSite('https://cdn.shop.example/x', 'https://shop.example/')).toBe(false);
    expect(nonPageExtension('https://shop.example/manual.PDF')).toBe('pdf');
    expect(nonPageExtension('https://shop.example/returns.html')).toBeUndefined();
  });
});

describe('reading a crawled page', () => {
  const PAGE = `<!doctype html><html><head><title>Returns &amp; refunds</title>
    <base href="/help/"><link rel="canonical" href="https://shop.example/help/returns">
    <meta name="robots" content="index, follow"></head><body>
    <header class="site-header"><a href="/">Logo</a><a href="/shop">Shop</a></header>
    <div id="cookie-banner">We use cookies. <a href="/cookies">Settings</a></div>
    <div role="navigation"><a href="shipping">Shipping</a></div>
    <article><header><h1>Returns</h1><p>Updated today</p></header><p>Return within 30 days.</p>
      <a href="exchanges#how">Exchanges</a> <a href="mailto:help@shop.example">Mail</a> <a href="manual.pdf">Manual</a>
      <section class="cookie-policy"><h2>Cookie policy</h2><p>We store a cart cookie.</p></section></article>
    <footer>© Shop</footer>
    <!-- <a href="/hidden">hidden</a> --></body></html>`;

  it('keeps the content and leaves out site header, navigation, cookie banners and footer', () => {
    const text = htmlToBlocks(PAGE).map((b) => b.text).join('\n');
    expect(text).toContain('Return within 30 days.');
    expect(text).toContain('Updated today');
    expect(text).toContain('We store a cart cookie.');
    for (const chrome of ['Logo', 'We use cookies', 'Shipping', '© Shop']) expect(text).not.toContain(chrome);
  });

  it('keeps a site-level header that holds the page title', () => {
    const blocks = htmlToBlocks('<body><header><h1>Gift cards</h1></header><p>Valid for three years.</p></body>');
    expect(blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'Gift cards' });
  });

  it('finds the title, canonical URL and links, resolved against <base>', () => {
    const page = parsePage(PAGE, 'https://shop.example/help/returns?ref=mail');
    expect(page.title).toBe('Returns & refunds');
    expect(page.canonical).toBe('https://shop.example/help/returns');
    expect(page.links).toEqual([
      'https://shop.example/', 'https://shop.example/shop', 'https://shop.example/cookies', 'https://shop.example/help/shipping',
      'https://shop.example/help/exchanges', 'https://shop.example/help/manual.pdf',
    ]);
    expect(page.noindex).toBe(false);
    expect(parsePage('<meta name="robots" content="noindex,nofollow"><p>x</p>', 'https://a.example/').nofollow).toBe(true);
  });
});
