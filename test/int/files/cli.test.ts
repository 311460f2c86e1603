import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makePptx } from '../../fixtures/files/office.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { ask, sourcesOf } from './helpers.js';

let sys: TestSystem;
let dir: string;
beforeAll(async () => {
  sys = await startTestSystem('files-cli');
  dir = await mkdtemp(join(tmpdir(), 'ca-cli-'));
});
afterAll(async () => {
  await sys?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const launcher = new URL('../../../workers/customer-agent.mjs', import.meta.url).pathname;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { timeout: 120_000, env: { ...process.env, CUSTOMER_AGENT_API_KEY: sys.rootKey } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

it('customer-agent ingest uploads a folder through the API, reports each file and exits non-zero when one fails', async () => {
  const agentId = await sys.createAgent();
  await mkdir(join(dir, 'docs', 'nested'), { recursive: true });
  await writeFile(join(dir, 'docs', 'sizing.md'), '# Sizing\n\nOur boots run half a size small, so order half a size up.\n');
  await writeFile(join(dir, 'docs', 'nested', 'team.pptx'), await makePptx([{ title: 'Team' }, { title: 'Support hours', bullets: ['The support team answers chat from 8 to 20 every day.'] }]));
  await writeFile(join(dir, 'docs', 'nested', 'broken.json'), '{"nope": ');
  await writeFile(join(dir, 'docs', 'photo.png'), Buffer.from('89504e470d0a1a0a', 'hex'));

  const run = await cli(['ingest', join(dir, 'docs'), '--agent', agentId, '--api', sys.url]);
  expect(run.code, run.stderr).toBe(1);
  // Not a terminal: plain lines, no bar drawing.
  expect(run.stderr).not.toContain('\r');
  const lines = run.stdout.trim().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^failed broken\.json: broken\.json is not valid JSON .*\(422 corrupt_file\)$/),
    expect.stringMatching(/^ok {5}team\.pptx → src_\w+ \(pptx, \d+ chunks?, "team\.pptx"\)$/),
    expect.stringMatching(/^ok {5}sizing\.md → src_\w+ \(markdown, 1 chunk, "Sizing"\)$/),
    expect.stringMatching(/^ingested 2 of 3 files \(\d+ chunks\) in [\d.]+ s; 1 failed$/),
  ]);
  expect((await sourcesOf(sys, agentId)).map((s) => s.title).sort()).toEqual(['Sizing', 'team.pptx']);

  const reply = await ask(sys, agentId, 'When does the support team answer chat?');
  expect(reply.sources[0]).toMatchObject({ title: 'team.pptx', location: 'slide 2' });
});

it('customer-agent ingest refuses to start without an agent, or when the API cannot be reached', async () => {
  const file = join(dir, 'a.txt');
  await writeFile(file, 'hello');
  const noAgent = await cli(['ingest', file]);
  expect(noAgent.code).toBe(2);
  expect(noAgent.stderr).toMatch(/--agent <agentId> is required/);
  const down = await cli(['ingest', file, '--agent', 'x', '--api', 'http://127.0.0.1:9']);
  expect(down.code).toBe(2);
  expect(down.stderr).toMatch(/cannot reach the API at http:\/\/127\.0\.0\.1:9/);
});
