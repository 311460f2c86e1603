/**
 * Debian's Chromium for browser tests (.ci/run installs it). Without it a developer's run skips the
 * browser tests, saying how to get them; CI never skips.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const chromiumPath: string | undefined = CANDIDATES.find((p): p is string => !!p && existsSync(p));

if (!chromiumPath) {
  if (process.env.CI) throw new Error('Chromium is missing: .ci/run installs it with apt-get install chromium');
  console.warn('browser tests skipped: install Chromium (apt-get install chromium) or set CHROMIUM_PATH');
}
