/// <reference lib="dom" />
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, SHIPPING } from '../fixtures/shop-articles.js';
import { chromiumPath, waitInWidget } from '../support/browser.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let sys: TestSystem;
let browser: Browser;
let agentId: string;
let widgetKey: string;

// The page hosts the widget (/widget.js), whose parts live in its shadow root: `pierce/` selectors reach them.
describe.runIf(chromiumPath)('a customer on the chat page', () => {
  beforeAll(async () => {
    sys = await startTestSystem('chat-page');
    agentId = await sys.createAgent({ name: 'Fjeldspor Help', articles: [SHIPPING, PASSWORD] });
    const key = await sys.request('POST', '/v1/api-keys', { name: 'chat page', role: 'widget', agentIds: [agentId], allowedOrigins: [sys.url] });
    widgetKey = key.body.key;
    browser = await puppeteer.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--headless=new'] });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('sees the agent by name, asks a question and reads a cited answer linking to the article', async () => {
    const page = await browser.newPage();
    await page.goto(`${sys.url}/?agent=${agentId}&conversation=browser-1&key=${widgetKey}`);
    await page.waitForFunction(() => document.querySelector('customer-agent-chat')?.shadowRoot?.querySelector('#agent-name')?.textContent === 'Fjeldspor Help');

    await page.type('pierce/#text', 'How do I reset my password?');
    await page.click('pierce/#send');
    await waitInWidget(page, '.msg.agent');
    const reply = await page.$eval('pierce/.msg.agent', (el) => ({
      text: el.textContent ?? '',
      links: Array.from(el.querySelectorAll('.sources a')).map((a) => ({ title: a.textContent, href: a.getAttribute('href') })),
    }));
    expect(reply.text).toMatch(/Forgot password/);
    expect(reply.links).toEqual([{ title: PASSWORD.title, href: PASSWORD.url }]);
    // The plain-text source list of other channels is not repeated above the links.
    expect(reply.text.split(PASSWORD.url ?? '').length).toBe(1);

    // What the page showed is what the operator sees in the transcript.
    const transcript = await sys.request('GET', `/v1/agents/${agentId}/conversations/browser-1`);
    expect(transcript.body.transcript.map((t: { role: string; text: string }) => t.role)).toEqual(['customer', 'agent']);
  });

  it('asking for a person shows the handoff, marked as such', async () => {
    const page = await browser.newPage();
    await page.goto(`${sys.url}/?agent=${agentId}&conversation=browser-2&key=${widgetKey}`);
    await page.type('pierce/#text', 'Can I talk to a human please?');
    await page.click('pierce/#send');
    await waitInWidget(page, '.msg.agent.handoff');
    expect(await page.$eval('pierce/.msg.agent.handoff .meta', (el) => el.textContent)).toMatch(/handoff_requested/);
  });
});
