/// <reference lib="dom" />
/**
 * The live-chat widget in Chromium, embedded by a script tag in a page of another site (another origin
 * than the API's): keyboard, suggestions for the page, a cited answer, a reload, a person's reply while
 * the panel is open, a phone-sized screen, a site that vouches for its signed-in visitor, and a site its
 * key does not allow.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityToken } from '../../api/client.js';
import { PASSWORD, RETURNS, SHIPPING } from '../fixtures/shop-articles.js';
import { chromiumPath, waitInWidget } from '../support/browser.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { uniqueId } from '../support/temporal.js';

let sys: TestSystem;
let browser: Browser;
let site: Server;
/** The shop's site, as the widget key allows it; the same server under 127.0.0.1 is another origin. */
let siteOrigin: string;
let otherOrigin: string;
let agentId: string;
let widgetKey: string;
let ann: { id: string; name: string };
/** Who the shop's /account page says is signed in, with the token its server made for them. */
let signedIn: { email: string; token: string } | undefined;

const shippingPage = () => `${siteOrigin}/help/shipping`;

declare global {
  /** The widget's shadow root, in the page (installed by openPage). */
  interface Window { widget(): ShadowRoot }
}

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    window.widget = () => document.querySelector('customer-agent-chat')!.shadowRoot!;
  });
  return page;
}

async function count(page: Page, selector: string): Promise<number> {
  return page.evaluate((s) => document.querySelector('customer-agent-chat')!.shadowRoot!.querySelectorAll(s).length, selector);
}

describe.runIf(chromiumPath)('the live-chat widget on a shop’s own site', () => {
  beforeAll(async () => {
    sys = await startTestSystem('widget');
    const team = (await sys.request('POST', '/v1/teams', { name: 'Support' })).body;
    ann = (await sys.request('POST', '/v1/users', { name: 'Ann Berg', email: `ann-${uniqueId('x')}@shop.test`, teamIds: [team.id] })).body;

    // The shop's site: any page carries the script tag; its address is known once it listens.
    site = createServer((req, res) => {
      res.writeHead(req.url === '/favicon.ico' ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
      const visitor = req.url === '/account' && signedIn ? ` data-customer-email="${signedIn.email}" data-identity-token="${signedIn.token}"` : '';
      res.end(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Shipping | Shop</title><style>body { font: 30px serif; color: red; } button { background: lime; }</style>
        <script src="${sys.url}/widget.js" data-agent="${agentId}" data-key="${widgetKey}"${visitor} async></script></head>
        <body><h1>Shipping</h1><p>Our help pages.</p></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, resolve));
    const { port } = site.address() as AddressInfo;
    siteOrigin = `http://localhost:${port}`;
    otherOrigin = `http://127.0.0.1:${port}`;

    agentId = await sys.createAgent({ name: 'Fjeldspor Help', articles: [PASSWORD, RETURNS, { ...SHIPPING, url: `${siteOrigin}/help/shipping/` }] });
    const handoff = await sys.request('PATCH', `/v1/agents/${agentId}`, { handoff: { assignTo: { type: 'teams', ids: [team.id] } } });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(200);
    widgetKey = (await sys.request('POST', '/v1/api-keys', { name: 'shop site', role: 'widget', agentIds: [agentId], allowedOrigins: [siteOrigin] })).body.key;
    browser = await puppeteer.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--headless=new'] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await sys?.stop();
  });

  it('the script is served to any site without a key, cached briefly and revalidated', async () => {
    const res = await fetch(`${sys.url}/widget.js`, { headers: { origin: siteOrigin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toContain('customer-agent-chat');
    const again = await fetch(`${sys.url}/widget.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('suggests questions from the page the visitor is on, and general ones elsewhere', async () => {
    const ask = (url: string) => sys.request('GET', `/v1/agents/${agentId}/suggestions?url=${encodeURIComponent(url)}`, undefined, {
      authorization: `Bearer ${widgetKey}`, origin: siteOrigin,
    });
    const onPage = await ask(`${shippingPage()}#costs`);
    expect(onPage.status, JSON.stringify(onPage.body)).toBe(200);
    expect(onPage.body.suggestions.map((s: { text: string }) => s.text)).toEqual([
      'What are the delivery times?', 'What are the shipping costs?', 'What are the shipping times and costs?',
    ]);
    const elsewhere = (await ask(`${siteOrigin}/about`)).body.suggestions as { text: string; title: string }[];
    expect(elsewhere).toHaveLength(3);
    expect(elsewhere.map((s) => s.title).sort()).toEqual([PASSWORD.title, RETURNS.title, SHIPPING.title].sort());
    expect((await ask('javascript:alert(1)')).status).toBe(422);
  });

  it('speaks Danish to a visitor whose browser does: the greeting, the labels and the message box', async () => {
    const page = await openPage();
    try {
      await page.evaluateOnNewDocument(() => {
        Object.defineProperty(navigator, 'language', { get: () => 'da-DK' });
      });
      await page.goto(shippingPage());
      await waitInWidget(page, '.launcher');
      await page.evaluate(() => (window.widget().querySelector('.launcher') as HTMLElement).click());
      await waitInWidget(page, '.msg.greeting');
      expect(await page.$eval('pierce/.msg.greeting', (el) => el.textContent)).toBe('Hej! Jeg er Fjeldspor Help. Hvordan kan jeg hjælpe dig i dag?');
      expect(await page.evaluate(() => ({
        powered: window.widget().querySelector('#powered')!.textContent,
        placeholder: window.widget().querySelector('#text')!.getAttribute('placeholder'),
        label: window.widget().querySelector('label[for="text"]')!.textContent,
        close: window.widget().querySelector('.close')!.getAttribute('aria-label'),
      }))).toEqual({ powered: 'Drevet af AI', placeholder: 'Skriv dit spørgsmål…', label: 'Din besked', close: 'Luk chat' });
    } finally {
      await page.close();
    }
  });

  it('a visitor opens it with the keyboard, asks, reads a cited answer, reloads, and sees a person’s reply arrive', async () => {
    const page = await openPage();
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err instanceof Error ? err.message : String(err)));
    await page.setViewport({ width: 1280, height: 800 });
    // The answer is held back a moment, so the typing indicator can be seen.
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/messages')) setTimeout(() => req.continue(), 700);
      else req.continue();
    });
    await page.goto(shippingPage());
    await waitInWidget(page, '.launcher');

    // Keyboard only: Tab reaches the launcher, Enter opens the panel with the focus in the message box.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => window.widget().activeElement?.className)).toBe('launcher');
    await page.keyboard.press('Enter');
    await waitInWidget(page, '#panel:not([hidden])');
    expect(await page.evaluate(() => ({
      expanded: window.widget().querySelector('.launcher')!.getAttribute('aria-expanded'),
      controls: window.widget().querySelector('.launcher')!.getAttribute('aria-controls'),
      focused: window.widget().activeElement?.id,
      label: window.widget().querySelector('label[for="text"]')?.textContent,
      live: window.widget().querySelector('#log')!.getAttribute('aria-live'),
    }))).toEqual({ expanded: 'true', controls: 'panel', focused: 'text', label: 'Your message', live: 'polite' });
    await page.waitForFunction(() => window.widget().querySelector('#panel')!.getAttribute('aria-label') === 'Chat with Fjeldspor Help');
    expect(await page.$eval('pierce/.msg.greeting', (el) => el.textContent)).toBe("Hi! I'm Fjeldspor Help. How can I help you today?");
    expect(await page.$eval('pierce/#powered', (el) => (el as HTMLElement).hidden ? '' : el.textContent)).toBe('Powered by AI');

    // Three questions for this very page, from its synced content.
    await waitInWidget(page, '.suggestions button', 3);
    expect(await page.$$eval('pierce/.suggestions button', (els) => els.map((e) => e.textContent))).toEqual([
      'What are the delivery times?', 'What are the shipping costs?', 'What are the shipping times and costs?',
    ]);

    await page.keyboard.type('How long does standard delivery take?');
    await page.keyboard.press('Enter');
    await waitInWidget(page, '#typing:not([hidden])');
    await waitInWidget(page, '.msg.agent');
    expect(await page.$eval('pierce/#typing', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(await count(page, '.suggestions button')).toBe(0);
    const answer = await page.$eval('pierce/.msg.agent', (el) => ({
      text: el.textContent ?? '',
      cited: Array.from(el.querySelectorAll(':scope > a')).map((a) => [a.textContent, a.getAttribute('href')]),
      sources: Array.from(el.querySelectorAll('.sources a')).map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]),
    }));
    expect(answer.text).toMatch(/2 to 4 working days/);
    expect(answer.sources[0]).toEqual([SHIPPING.title, `${shippingPage()}/`, '_blank', 'noopener']);
    expect(answer.cited).toContainEqual(['[1]', `${shippingPage()}/`]);
    expect(await page.$eval('pierce/#powered', (el) => (el as HTMLElement).hidden)).toBe(false);

    // The browser's language went with the message.
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}'), `customer-agent:${sys.url}:${agentId}`);
    const conversation = (await sys.request('GET', `/v1/agents/${agentId}/conversations/${stored.conversationId}`)).body;
    expect(conversation.customer.locale).toBe(await page.evaluate(() => navigator.language));
    expect(conversation.transcript.map((t: { role: string }) => t.role)).toEqual(['customer', 'agent']);

    // A reload keeps the conversation (and the open panel), shown again from the transcript.
    await page.reload();
    await waitInWidget(page, '.msg.agent .sources a', 1);
    expect(await page.$$eval('pierce/.msg', (els) => els.map((e) => e.className))).toEqual(['msg greeting', 'msg customer', 'msg agent answer']);
    expect(await count(page, '.suggestions button')).toBe(0);

    // Asking for a person: the header stops saying "Powered by AI" and says who has it.
    await page.type('pierce/#text', 'Can I talk to a human please?');
    await page.keyboard.press('Enter');
    await waitInWidget(page, '.msg.agent.handoff');
    await page.waitForFunction(() => window.widget().querySelector('#handoff-state')?.getAttribute('data-status') === 'assigned');
    expect(await page.$eval('pierce/#handoff-state', (el) => el.textContent)).toBe('A person from our team joined the conversation');
    expect(await page.$eval('pierce/#powered', (el) => (el as HTMLElement).hidden)).toBe(true);

    // Ann answers from the inbox; the open panel shows it without a reload.
    const reply = await sys.request('POST', `/v1/agents/${agentId}/conversations/${stored.conversationId}/replies`, { userId: ann.id, text: 'Hi, Ann here. How can I help?' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await waitInWidget(page, '.msg.human', undefined, 15_000);
    expect(await page.$eval('pierce/.msg.human', (el) => el.textContent)).toBe('Hi, Ann here. How can I help?Ann Berg');
    expect(await page.$eval('pierce/#handoff-state', (el) => el.textContent)).toBe('Ann Berg joined the conversation');

    // On a 320 px wide phone the panel fills the screen without scrolling sideways.
    await page.setViewport({ width: 320, height: 640 });
    const fit = await page.evaluate(() => {
      const panel = window.widget().querySelector('#panel')!.getBoundingClientRect();
      const log = window.widget().querySelector('#log')!;
      return { left: panel.left, right: panel.right, page: document.documentElement.scrollWidth, log: log.scrollWidth - log.clientWidth };
    });
    expect(fit).toEqual({ left: 0, right: 320, page: 320, log: 0 });

    // Escape closes it and gives the focus back to the launcher.
    await page.focus('pierce/#text');
    await page.keyboard.press('Escape');
    await waitInWidget(page, '#panel[hidden]');
    expect(await page.evaluate(() => [window.widget().activeElement?.className, window.widget().querySelector('.launcher')!.getAttribute('aria-expanded')])).toEqual(['launcher', 'false']);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('a site that knows its visitor vouches for them in the tag: they are verified until the page signs them out', async () => {
    const secret = (await sys.request('POST', '/v1/identity/secret')).body.secret as string;
    signedIn = { email: 'kim@shop.example', token: identityToken(secret, 'kim@shop.example') };
    // A browser of its own: a new visitor, a new conversation.
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warn') warnings.push(m.text()); });
    await page.goto(`${siteOrigin}/account`);
    await page.click('pierce/.launcher');
    await page.type('pierce/#text', 'How long does standard delivery take?');
    await page.keyboard.press('Enter');
    await waitInWidget(page, '.msg.agent', 1);
    const { conversationId } = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}'), `customer-agent:${sys.url}:${agentId}`);
    const customer = async () => (await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversationId}`)).body.customer;
    expect(await customer()).toMatchObject({ email: 'kim@shop.example', verified: true, verifiedBy: 'token' });
    expect(warnings).toEqual([]);

    // Signing out, the page takes the attributes off the tag: the next message no longer speaks for Kim.
    await page.evaluate(() => {
      const tag = document.querySelector('script[data-agent]')!;
      tag.removeAttribute('data-customer-email');
      tag.removeAttribute('data-identity-token');
    });
    await page.type('pierce/#text', 'How much does express delivery cost?');
    await page.keyboard.press('Enter');
    await waitInWidget(page, '.msg.agent', 2);
    expect((await customer()).verified).toBeUndefined();

    // A token that does not fit the email is no error for the visitor; the site's developers see why in the console.
    await page.evaluate(() => {
      const tag = document.querySelector('script[data-agent]')!;
      tag.setAttribute('data-customer-email', 'kim@shop.example');
      tag.setAttribute('data-identity-token', '0'.repeat(64));
    });
    await page.type('pierce/#text', 'How long does standard delivery take?');
    await page.keyboard.press('Enter');
    await waitInWidget(page, '.msg.agent', 3);
    expect((await customer()).verified).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^customer-agent: the visitor is not verified: customer.identityToken is not/)]);
    await context.close();
  });

  it('a greeting set on the agent is what its widgets say first', async () => {
    const patched = await sys.request('PATCH', `/v1/agents/${agentId}`, { settings: { greeting: 'Hej! Ask me about orders, delivery and returns.' } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const page = await openPage();
    await page.goto(`${siteOrigin}/help/returns`);
    await page.click('pierce/.launcher');
    await waitInWidget(page, '.msg.greeting');
    expect(await page.$eval('pierce/.msg.greeting', (el) => el.textContent)).toBe('Hej! Ask me about orders, delivery and returns.');
    await page.close();
  });

  it('on a site its key does not allow, the widget says so instead of failing silently', async () => {
    const page = await openPage();
    await page.goto(`${otherOrigin}/help/shipping`);
    await page.click('pierce/.launcher');
    await waitInWidget(page, '#error:not([hidden])');
    expect(await page.$eval('pierce/#error', (el) => el.textContent)).toBe(
      `This chat is not available on ${otherOrigin}: its widget key does not allow this site. If you run this site, add ${otherOrigin} to the key's allowedOrigins.`,
    );
    expect(await count(page, '.suggestions button')).toBe(0);
    await page.close();
  });
});
