/// <reference lib="dom" />
/**
 * The team's inbox in Chromium, against the whole product: a customer on the chat page asks for a
 * person, and someone of the team works the conversation in /inbox while the customer sees the answers;
 * signed in with an admin key they say who they are, with their own user key they are that person.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETURNS, SHIPPING } from '../fixtures/shop-articles.js';
import { chromiumPath, waitInWidget } from '../support/browser.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { uniqueId } from '../support/temporal.js';

let sys: TestSystem;
let browser: Browser;
let agentId: string;
let widgetKey: string;
let adminKey: string;
let team: { id: string; name: string };
let ann: { id: string; name: string };

const statusOf = (page: Page, selector: string) => page.$eval(selector, (el) => el.getAttribute('data-status'));
const waitForStatus = (page: Page, selector: string, status: string) =>
  page.waitForFunction((s, want) => document.querySelector(s)?.getAttribute('data-status') === want, {}, selector, status);

async function signIn(page: Page, key: string) {
  await page.goto(`${sys.url}/inbox`);
  await page.type('#api-key', key);
  await page.click('#sign-in');
}

describe.runIf(chromiumPath)('the team in the inbox page', () => {
  beforeAll(async () => {
    sys = await startTestSystem('inbox-page');
    adminKey = (await sys.request('POST', '/v1/api-keys', { name: 'inbox', role: 'admin' })).body.key;
    team = (await sys.request('POST', '/v1/teams', { name: 'Support' })).body;
    ann = (await sys.request('POST', '/v1/users', { name: 'Ann Berg', email: `ann-${uniqueId('x')}@shop.test`, teamIds: [team.id] })).body;
    agentId = await sys.createAgent({ name: 'Fjeldspor Help', articles: [SHIPPING, RETURNS] });
    const handoff = await sys.request('PATCH', `/v1/agents/${agentId}`, { handoff: { assignTo: { type: 'teams', ids: [team.id] } } });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(200);
    widgetKey = (await sys.request('POST', '/v1/api-keys', { name: 'chat page', role: 'widget', agentIds: [agentId], allowedOrigins: [sys.url] })).body.key;
    browser = await puppeteer.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--headless=new'] });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it("a wrong key shows the API's 401 message on the sign-in form, and the key goes nowhere", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${sys.url}/inbox`);
    expect(res?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await page.type('#api-key', 'ca_admin_not-a-key-of-this-install');
    await page.click('#sign-in');
    await page.waitForFunction(() => document.querySelector('#signin-error')?.textContent !== '');
    expect(await page.$eval('#signin-error', (el) => el.textContent)).toBe('the API key is unknown or was revoked');
    expect(await page.$eval('#app', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(page.url()).toBe(`${sys.url}/inbox`);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('a person takes over a handed-off conversation: queue, transcript and insights, suggestion, reply, hand back, assign, close', async () => {
    const conversation = uniqueId('inbox');

    // The customer asks for a person on the chat page, then asks a question while the team owns it.
    const customer = await browser.newPage();
    await customer.goto(`${sys.url}/?agent=${agentId}&conversation=${conversation}&key=${widgetKey}`);
    const firstReply = customer.waitForResponse((r) => r.url().endsWith('/messages') && r.request().method() === 'POST');
    await customer.type('pierce/#text', 'Can I talk to a human please?');
    await customer.click('pierce/#send');
    const token = ((await (await firstReply).json()) as { conversation: { token: string } }).conversation.token;
    await waitInWidget(customer, '.msg.agent.handoff');
    await customer.type('pierce/#text', 'How long does standard delivery take?');
    await customer.click('pierce/#send');
    await waitInWidget(customer, '.msg.agent', 2);
    expect(await customer.$eval('pierce/.msg.agent:last-of-type', (el) => el.textContent)).toMatch(/a person from our team will answer here/);

    // The team member signs in, says who they are and finds it among their own conversations.
    const inbox = await browser.newPage();
    const failures: string[] = [];
    inbox.on('pageerror', (err) => failures.push(err instanceof Error ? err.message : String(err)));
    await inbox.setViewport({ width: 1280, height: 860 });
    await signIn(inbox, adminKey);
    await inbox.waitForSelector('#app:not([hidden])');
    expect(inbox.url()).not.toContain(adminKey);
    await inbox.select('#acting-user', ann.id);
    await inbox.click('#mine');
    const item = `.conv[data-conversation-id="${conversation}"]`;
    await inbox.waitForSelector(item);
    expect(await statusOf(inbox, item)).toBe('assigned');
    const listed = await inbox.$eval(item, (el) => el.textContent ?? '');
    for (const part of ['Fjeldspor Help · Ann Berg', 'Customer: How long does standard delivery take?']) expect(listed).toContain(part);

    // The conversation: its transcript by role, and why the agent handed it off.
    await inbox.click(item);
    await inbox.waitForFunction(() => document.querySelectorAll('#transcript .entry').length === 3);
    expect(await inbox.$$eval('#transcript .entry', (els) => els.map((e) => (e as HTMLElement).dataset.role))).toEqual(['customer', 'agent', 'customer']);
    expect(await statusOf(inbox, '#conv-status')).toBe('assigned');
    expect(await inbox.$eval('#conv-owner', (el) => el.textContent)).toBe('Assigned to Ann Berg · Support');
    const insights = '#transcript .entry.agent.handoff details.insights';
    expect(await inbox.$eval(insights, (el) => (el as HTMLDetailsElement).open)).toBe(false);
    await inbox.click(`${insights} summary`);
    const why = await inbox.$eval(insights, (el) => ({
      open: (el as HTMLDetailsElement).open,
      reason: el.querySelector('[data-field="reason"]')?.textContent ?? '',
      triggers: el.querySelector('[data-field="triggers"]')?.textContent ?? '',
      path: el.querySelector('[data-field="path"]')?.textContent ?? '',
    }));
    expect(why.open).toBe(true);
    expect(why.reason).not.toBe('');
    expect(why.triggers).not.toBe('none');
    expect(why.path).toContain('→');

    // "Use suggestion" fills the box and sends nothing; the person edits it and sends.
    await inbox.click('#use-suggestion');
    await inbox.waitForFunction(() => (document.querySelector('#reply-text') as HTMLTextAreaElement).value !== '');
    expect(await inbox.$eval('#reply-text', (el) => (el as HTMLTextAreaElement).value)).toMatch(/2 to 4 working days/);
    expect((await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversation}`)).body.transcript).toHaveLength(3);
    await inbox.focus('#reply-text');
    await inbox.keyboard.down('Control');
    await inbox.keyboard.press('KeyA');
    await inbox.keyboard.up('Control');
    await inbox.keyboard.type('Hi, Ann here: standard delivery takes 2 to 4 working days.');
    await inbox.click('#send-reply');
    await inbox.waitForSelector('#transcript .entry.human');
    expect(await inbox.$eval('#transcript .entry.human', (el) => ({ author: el.querySelector('.author')?.textContent, text: el.querySelector('.text')?.textContent })))
      .toEqual({ author: 'Ann Berg', text: 'Hi, Ann here: standard delivery takes 2 to 4 working days.' });
    expect(await inbox.$eval('#reply-text', (el) => (el as HTMLTextAreaElement).value)).toBe('');

    // The customer's side: through the API with the widget key and the conversation's token, and on the page.
    const read = await fetch(`${sys.url}/v1/agents/${agentId}/conversations/${conversation}`, {
      headers: { authorization: `Bearer ${widgetKey}`, origin: sys.url, 'x-conversation-token': token },
    });
    const seen = await read.json() as { status: string; assigneeId?: string; transcript: { role: string; text: string }[] };
    expect(seen.transcript.at(-1)).toMatchObject({ role: 'human', text: 'Hi, Ann here: standard delivery takes 2 to 4 working days.' });
    expect(seen).not.toHaveProperty('assigneeId');
    await customer.bringToFront(); // one tab is visible at a time; a hidden one polls less and cannot be clicked
    await waitInWidget(customer, '.msg.human');
    expect(await customer.$eval('pierce/.msg.human', (el) => el.textContent)).toMatch(/^Hi, Ann here: standard delivery takes 2 to 4 working days\./);

    // Hand back: the page follows without a reload, and a draft being written keeps its text and focus.
    await inbox.bringToFront();
    await inbox.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true; });
    await inbox.click('#hand-back');
    await waitForStatus(inbox, '#conv-status', 'open');
    await inbox.waitForFunction((s) => !document.querySelector(s), {}, item); // no longer Ann's
    await inbox.click('#mine');
    await inbox.select('#status-filter', 'open');
    await waitForStatus(inbox, item, 'open');
    await inbox.focus('#reply-text');
    await inbox.keyboard.type('A draft in progress');

    await customer.bringToFront();
    await customer.type('pierce/#text', 'How much does express shipping cost?');
    await customer.click('pierce/#send');
    await waitInWidget(customer, '.msg.agent', 3);
    await inbox.bringToFront();
    await inbox.waitForFunction(() => document.querySelectorAll('#transcript .entry').length === 6);
    expect(await inbox.$eval('#transcript .entry:last-child', (el) => [(el as HTMLElement).dataset.role, el.querySelector('.text')?.textContent])).toEqual(['agent', expect.stringMatching(/9\.95 EUR/)]);
    await inbox.waitForFunction(() => /9\.95 EUR/.test(document.querySelector('#announcer')?.textContent ?? ''));
    await inbox.waitForFunction((s) => /^Agent: [\s\S]*9\.95 EUR/.test(document.querySelector(`${s} .last`)?.textContent ?? ''), {}, item);
    expect(await inbox.evaluate(() => ({
      draft: (document.querySelector('#reply-text') as HTMLTextAreaElement).value,
      focused: document.activeElement?.id,
      sameDocument: (window as unknown as { sameDocument?: boolean }).sameDocument,
    }))).toEqual({ draft: 'A draft in progress', focused: 'reply-text', sameDocument: true });

    // A reload keeps the tab signed in and the conversation open; it now offers a person added meanwhile.
    const gone = (await sys.request('POST', '/v1/users', { name: 'Cy Gone', email: `cy-${uniqueId('x')}@shop.test` })).body;
    await inbox.reload();
    await inbox.waitForSelector(`#assign-to option[value="user:${gone.id}"]`);
    await inbox.waitForFunction(() => document.querySelectorAll('#transcript .entry').length === 6);

    // An API refusal is shown inline with its message: that person was removed after the page loaded.
    expect((await sys.request('DELETE', `/v1/users/${gone.id}`)).status).toBe(204);
    await inbox.select('#assign-to', `user:${gone.id}`);
    await inbox.click('#assign');
    await inbox.waitForFunction(() => document.querySelector('#action-error')?.textContent !== '');
    expect(await inbox.$eval('#action-error', (el) => el.textContent)).toBe(`userId: user ${gone.id} does not exist`);

    // Assign it to Ann again, then close it.
    await inbox.select('#assign-to', `user:${ann.id}`);
    await inbox.click('#assign');
    await waitForStatus(inbox, '#conv-status', 'assigned');
    expect(await inbox.$eval('#action-error', (el) => el.textContent)).toBe('');
    await inbox.click('#close');
    await waitForStatus(inbox, '#conv-status', 'closed');
    expect(await inbox.$eval('#close', (el) => (el as HTMLButtonElement).disabled)).toBe(true);
    expect((await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversation}`)).body.status).toBe('closed');
    expect(failures).toEqual([]);
  });

  it('a person signed in with their own key sees whose inbox it is and answers as themselves, without choosing who they are', async () => {
    const conversation = uniqueId('user-key');
    const asked = await sys.request('POST', `/v1/agents/${agentId}/conversations/${conversation}/messages`, { messageId: uniqueId('m'), text: 'Can I talk to a human please?', channel: 'chat' });
    expect(asked.body.reply.kind).toBe('handoff');
    const userKey = (await sys.request('POST', '/v1/api-keys', { name: "Ann's inbox", role: 'user', userId: ann.id })).body.key as string;

    // A browser profile of its own: nothing remembered from the admin's session (filters, chosen person).
    const context = await browser.createBrowserContext();
    try {
      const inbox = await context.newPage();
      const failures: string[] = [];
      inbox.on('pageerror', (err) => failures.push(err instanceof Error ? err.message : String(err)));
      await inbox.setViewport({ width: 1280, height: 860 });
      await signIn(inbox, userKey);
      await inbox.waitForSelector('#app:not([hidden])');
      expect(await inbox.$eval('#signed-in-as', (el) => ({ text: el.textContent, hidden: (el as HTMLElement).hidden }))).toEqual({ text: 'Signed in as Ann Berg', hidden: false });
      expect(await inbox.$eval('#acting-user', (el) => (el as HTMLElement).offsetParent === null)).toBe(true);

      const item = `.conv[data-conversation-id="${conversation}"]`;
      await inbox.waitForSelector(item);
      await inbox.click(item);
      await inbox.waitForFunction(() => document.querySelectorAll('#transcript .entry').length === 2);
      expect(await inbox.$eval('#reply-hint', (el) => el.textContent)).toBe('You reply as Ann Berg. Ctrl+Enter sends.');
      await inbox.type('#reply-text', 'Hi, Ann here with my own key.');
      await inbox.click('#send-reply');
      await inbox.waitForSelector('#transcript .entry.human');
      expect(await inbox.$eval('#transcript .entry.human', (el) => ({ author: el.querySelector('.author')?.textContent, text: el.querySelector('.text')?.textContent })))
        .toEqual({ author: 'Ann Berg', text: 'Hi, Ann here with my own key.' });
      await waitForStatus(inbox, '#conv-status', 'assigned');
      expect(await inbox.$eval('#action-error', (el) => el.textContent)).toBe('');

      const transcript = (await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversation}`)).body.transcript as { role: string; userId?: string; text: string }[];
      expect(transcript.at(-1)).toMatchObject({ role: 'human', userId: ann.id, text: 'Hi, Ann here with my own key.' });
      expect(failures).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
