/**
 * `npm test`: provisions what the tests need — ffmpeg and Chromium (apt-get as root on Debian/Ubuntu,
 * else it stops at once saying what to install), then the Temporal CLI (downloaded, or built on first
 * use, with progress) — then runs every vitest project and exits with vitest's code. Extra arguments go
 * to vitest. DATABASE_URL, TEST_DATABASE and the rest of the environment pass through unchanged.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TEMPORAL_CLI_VERSION, ensureTemporalCli } from '../workers/temporal-cli.js';
import { ensureTestTools, MissingTestToolsError, runLines } from './provision.js';

const env = { ...process.env };
try {
  await ensureTestTools({
    env, platform: process.platform, isRoot: process.getuid?.() === 0, run: runLines,
    progress: (m) => console.error(`[test tools] ${m}`),
  });
} catch (e) {
  if (!(e instanceof MissingTestToolsError)) throw e;
  console.error(e.message);
  process.exit(1);
}
if (!env.TEMPORAL_ADDRESS) {
  env.TEMPORAL_CLI = await ensureTemporalCli({ version: env.TEMPORAL_CLI_VERSION || DEFAULT_TEMPORAL_CLI_VERSION });
}

const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const report = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'vitest-')), 'report.json');
const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: 'inherit', env });
const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));

// A plain closing line that CI reads to tell "ran no test" from a real run.
const r = JSON.parse(await fs.readFile(report, 'utf8').catch(() => '{}')) as Record<string, number | undefined>;
if (r.numTotalTests !== undefined) {
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${(r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)} skipped`);
}
await fs.rm(path.dirname(report), { recursive: true, force: true });
process.exit(code);
