/**
 * Debian's Chromium for browser tests (`npm test` installs it: test/provision.ts). Run by vitest alone
 * without it, a developer's run skips the browser tests, saying how to get them; CI never skips.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'puppeteer-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const chromiumPath: string | undefined = CANDIDATES.find((p): p is string => !!p && existsSync(p));

if (!chromiumPath) {
  if (process.env.CI) throw new Error('Chromium is missing: .ci/run installs it with apt-get install chromium');
  console.warn('browser tests skipped: install Chromium (apt-get install chromium) or set CHROMIUM_PATH');
}

/**
 * Waits until the chat widget (/widget.js) shows an element matching `selector` in its shadow root, or,
 * given `count`, exactly that many. Polled on a timer: puppeteer's waitForSelector watches the page with a
 * mutation observer, which sees nothing inside a shadow root, and animation frames stop in a hidden tab.
 */
export async function waitInWidget(page: Page, selector: string, count?: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((s, n) => {
    const found = document.querySelector('customer-agent-chat')?.shadowRoot?.querySelectorAll(s).length ?? 0;
    return n === null ? found > 0 : found === n;
  }, { polling: 100, timeout }, selector, count ?? null);
}
