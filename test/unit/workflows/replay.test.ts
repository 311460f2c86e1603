import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../../../workers/workflow-bundle.js';

const dir = fileURLToPath(new URL('../../replay/histories/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('conversations already running when a new version deploys', () => {
  it('has recorded histories to check against', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays on today\'s workflow code without nondeterminism', async (file) => {
    const history = JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
    // Throws DeterminismViolationError when the code would take a different path than the history.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${file}`);
  }, 60_000);
});
