/// <reference lib="dom" />
/**
 * The team's inbox in Chromium, against the whole product: a customer on the chat page asks for a
 * person, and someone of the team works the conversation in /inbox while the customer sees the answers;
 * signed in with an admin key they say who they are, with their own user key they are that person.
 * Actions that need a person's approval are decided there too, against the business's API on loopback.
 */
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETURNS, SHIPPING } from '../fixtures/shop-articles.js';
import { startBusinessApi, type BusinessApi } from '../int/actions/business-api.js';
import { LOOPBACK_RECEIVERS } from '../int/webhooks/receiver.js';
import { chromiumPath, waitInWidget } from '../support/browser.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { uniqueId } from '../support/temporal.js';

let sys: TestSystem;
let business: BusinessApi;
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
    business = await startBusinessApi();
    business.route('POST', /^\/orders\/(\d+)\/cancel$/, (_req, m) => ({ status: 200, body: { cancelled: m[1] }, delayMs: 1000 }));
    sys = await startTestSystem('inbox-page', { FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS });
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
    await business?.close();
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

  describe('actions waiting for a person’s approval', () => {
    const SHOP_SECRET = `sk_live_${uniqueId('s')}`;
    const pending = '#approvals .approval';
    let shopId: string;
    let shopWidgetKey: string;
    const cancels = (order: string) => business.requests.filter((r) => r.method === 'POST' && r.path === `/orders/${order}/cancel`);

    beforeAll(async () => {
      shopId = await sys.createAgent({ name: 'Fjeldspor Orders', articles: [SHIPPING] });
      const action = await sys.request('POST', `/v1/agents/${shopId}/actions`, {
        name: 'Cancel order',
        description: 'Cancel an order that has not shipped yet',
        triggerPhrases: ['cancel my order'],
        method: 'POST',
        url: `${business.origin}/orders/{orderNumber}/cancel`,
        inputs: { orderNumber: { description: 'your order number', pattern: '[0-9]{5,}' } },
        secretHeaders: { 'X-Api-Key': SHOP_SECRET },
        requiresApproval: true,
        responseTemplate: 'Order {cancelled} is cancelled.',
      });
      expect(action.status, JSON.stringify(action.body)).toBe(201);
      shopWidgetKey = (await sys.request('POST', '/v1/api-keys', { name: 'shop chat', role: 'widget', agentIds: [shopId], allowedOrigins: [sys.url] })).body.key;
    });

    /** The customer, as the chat widget talks to the API: its widget key from the site's origin, then the conversation's token. */
    function customer(conversation: string) {
      let token: string | undefined;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${sys.url}/v1/agents/${shopId}/conversations/${conversation}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${shopWidgetKey}`, origin: sys.url,
            ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { 'x-conversation-token': token } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status).toBeLessThan(300);
        return await res.json() as any;
      };
      return {
        async says(text: string): Promise<{ kind: string; text: string }> {
          const answer = await call('POST', '/messages', { messageId: uniqueId('m'), text, channel: 'chat' });
          token ??= answer.conversation.token;
          return answer.reply;
        },
        async sees(): Promise<{ role: string; text: string }[]> {
          return (await call('GET', '')).transcript;
        },
      };
    }

    /** The inbox signed in with the admin key, in a browser profile of its own (no filters left by another test), the conversation open. */
    async function openConversation(context: BrowserContext, conversation: string, before?: (page: Page) => Promise<void>) {
      const inbox = await context.newPage();
      const failures: string[] = [];
      inbox.on('pageerror', (err) => failures.push(err instanceof Error ? err.message : String(err)));
      await inbox.setViewport({ width: 1280, height: 860 });
      await before?.(inbox);
      await signIn(inbox, adminKey);
      const item = `.conv[data-conversation-id="${conversation}"]`;
      await inbox.waitForSelector(item);
      await inbox.click(item);
      await inbox.waitForSelector(pending, { visible: true });
      return { inbox, failures };
    }

    const lastAgentText = (page: Page) => page.$eval('#transcript .entry.agent:last-of-type .text', (el) => el.textContent);
    const waitForAgentText = (page: Page, text: RegExp) =>
      page.waitForFunction((source) => Array.from(document.querySelectorAll('#transcript .entry.agent .text')).some((t) => new RegExp(source).test(t.textContent ?? '')), {}, text.source);
    const queued = async (conversation: string) =>
      ((await sys.request('GET', `/v1/conversations?agentId=${shopId}`)).body.conversations as { id: string }[]).find((c) => c.id === conversation);
    const history = (page: Page) => page.$$eval('#run-history li', (lis) => lis.map((li) => ({ status: (li as HTMLElement).dataset.status, text: li.textContent })));

    it('a person sees what the customer asked the agent to do, approves it, and the customer gets the result: the business is called once', async () => {
      const conversation = uniqueId('approve');
      const shopper = customer(conversation);
      expect((await shopper.says('Please cancel my order 313131')).text).toMatch(/asked our team to approve/);
      expect(cancels('313131')).toHaveLength(0);
      expect(await queued(conversation)).toMatchObject({ status: 'open', pendingApprovals: 1 });

      const context = await browser.createBrowserContext();
      try {
        const { inbox, failures } = await openConversation(context, conversation);
        // The conversation stays with the agent: in the queue, a mark says the team has something to decide.
        const mark = `.conv[data-conversation-id="${conversation}"] .mark`;
        expect(await inbox.$eval(mark, (el) => ({ text: el.textContent, hidden: (el as HTMLElement).hidden }))).toEqual({ text: 'An action waits for approval', hidden: false });
        expect(await inbox.$eval('#approvals-title', (el) => el.textContent)).toBe('Waiting for approval (1)');
        const shown = await inbox.$eval(pending, (el) => ({
          action: el.querySelector('.name')?.textContent,
          inputs: Array.from(el.querySelectorAll('dt')).map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
          asked: el.querySelector('time')?.getAttribute('datetime'),
          buttons: Array.from(el.querySelectorAll('button')).map((b) => b.textContent),
          // What a screen reader says with the buttons.
          described: document.getElementById(el.querySelector('.approve')?.getAttribute('aria-describedby') ?? '')?.textContent,
        }));
        expect(shown).toEqual({
          action: 'Cancel order', inputs: [['orderNumber', '313131']], asked: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          buttons: ['Approve', 'Reject'], described: expect.stringMatching(/^Cancel order, orderNumber: 313131, asked at /),
        });
        expect(await lastAgentText(inbox)).toMatch(/asked our team to approve/);

        await inbox.click(`${pending} .approve`);
        // While the business's API takes its time, the buttons say so and a second click does nothing.
        await inbox.waitForFunction((s) => document.querySelector(`${s} .approve`)?.textContent === 'Approving…', {}, pending);
        expect(await inbox.$$eval(`${pending} button`, (bs) => bs.map((b) => b.getAttribute('aria-disabled')))).toEqual(['true', 'true']);
        await inbox.evaluate((s) => (document.querySelector(`${s} .approve`) as HTMLButtonElement | null)?.click(), pending);

        await waitForAgentText(inbox, /^Order 313131 is cancelled\.$/);
        await inbox.waitForFunction((s) => !document.querySelector(s), {}, pending);
        expect(await inbox.$eval('#approvals-none', (el) => (el as HTMLElement).hidden)).toBe(false);
        expect(await history(inbox)).toEqual([{ status: 'succeeded', text: expect.stringContaining('Cancel order (orderNumber: 313131) — done; the customer was told: “Order 313131 is cancelled.”') }]);
        await inbox.waitForFunction(() => /^Approved Cancel order: it ran\. .*Order 313131 is cancelled\./.test(document.querySelector('#announcer')?.textContent ?? ''));
        // The decided item took the focus with it: the section's heading has it now, not the page.
        expect(await inbox.evaluate(() => document.activeElement?.id)).toBe('approvals-title');
        expect(await inbox.$eval('#action-error', (el) => el.textContent)).toBe('');
        await inbox.waitForFunction((s) => (document.querySelector(s) as HTMLElement | null)?.hidden === true, {}, mark);
        expect(await queued(conversation)).not.toHaveProperty('pendingApprovals');

        expect(cancels('313131')).toHaveLength(1);
        expect(cancels('313131')[0]!.headers['x-api-key']).toBe(SHOP_SECRET);
        expect((await shopper.sees()).at(-1)).toMatchObject({ role: 'agent', text: 'Order 313131 is cancelled.' });
        expect(await inbox.content()).not.toContain(SHOP_SECRET);
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('a person rejects a drafted action with the keyboard: the business is never called and the customer is told', async () => {
      const conversation = uniqueId('reject');
      const shopper = customer(conversation);
      expect((await shopper.says('Cancel my order 414141 please')).text).toMatch(/asked our team to approve/);

      const context = await browser.createBrowserContext();
      try {
        const { inbox, failures } = await openConversation(context, conversation);
        expect(await inbox.$eval(`${pending} dd[data-input="orderNumber"]`, (el) => el.textContent)).toBe('414141');
        await inbox.focus(`${pending} .reject`);
        await inbox.keyboard.press('Enter');

        await waitForAgentText(inbox, /couldn't approve it/);
        await inbox.waitForFunction((s) => !document.querySelector(s), {}, pending);
        expect(await history(inbox)).toEqual([{ status: 'rejected', text: expect.stringContaining('Cancel order (orderNumber: 414141) — rejected') }]);
        await inbox.waitForFunction(() => /^Rejected Cancel order\./.test(document.querySelector('#announcer')?.textContent ?? ''));
        expect(await inbox.evaluate(() => document.activeElement?.id)).toBe('approvals-title');

        expect((await shopper.sees()).at(-1)).toMatchObject({ role: 'agent', text: expect.stringMatching(/couldn't approve it/) });
        expect(cancels('414141')).toHaveLength(0);
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('a draft someone else decided meanwhile: the page says so instead of an error code, and shows how it was decided', async () => {
      const conversation = uniqueId('decided');
      const shopper = customer(conversation);
      await shopper.says('Please cancel my order 515151');

      // The page keeps seeing the draft as it was until its Approve goes out, as a page between two polls would.
      let frozen: string | undefined;
      const context = await browser.createBrowserContext();
      try {
        const { inbox, failures } = await openConversation(context, conversation, async (page) => {
          await page.setRequestInterception(true);
          page.on('request', (req) => {
            if (req.method() === 'POST' && req.url().endsWith('/approve')) frozen = undefined;
            if (frozen && req.method() === 'GET' && req.url().endsWith(`/conversations/${conversation}/actions`)) {
              void req.respond({ status: 200, contentType: 'application/json', body: frozen });
            } else {
              void req.continue();
            }
          });
        });
        const runs = await sys.request('GET', `/v1/agents/${shopId}/conversations/${conversation}/actions`);
        frozen = JSON.stringify(runs.body);
        const rejected = await sys.request('POST', `/v1/agents/${shopId}/conversations/${conversation}/actions/${runs.body.runs[0].id}/reject`);
        expect(rejected.status).toBe(200);

        await inbox.click(`${pending} .approve`);
        await inbox.waitForFunction(() => document.querySelector('#action-error')?.textContent !== '');
        expect(await inbox.$eval('#action-error', (el) => el.textContent))
          .toBe('Cancel order was already decided by someone else, or its time to decide ran out: the list is up to date.');
        await inbox.waitForFunction((s) => !document.querySelector(s), {}, pending);
        expect(await history(inbox)).toEqual([{ status: 'rejected', text: expect.stringContaining('Cancel order (orderNumber: 515151) — rejected') }]);
        expect(cancels('515151')).toHaveLength(0);
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
