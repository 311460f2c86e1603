import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDynamicConfig } from '../../../workers/temporal-config.js';

async function fileWith(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'temporal-yaml-')), 'temporal.yaml');
  await writeFile(file, text);
  return file;
}

describe('temporal.yaml, the Temporal server settings the dev server starts with', () => {
  it('turns on eager activity execution, which the workflow counts on, from the file in the repository', async () => {
    const config = await readDynamicConfig();
    expect(config['system.enableActivityEagerExecution']).toBe(true);
  });

  it('takes the value that applies everywhere and leaves values limited to a namespace to a real cluster', async () => {
    const file = await fileWith([
      'limit.historyCount.suggestContinueAsNew:',
      '  - value: 500',
      '    constraints: { namespace: big }',
      '  - value: 2000',
      'matching.numTaskqueueReadPartitions:',
      '  - value: 4',
      '    constraints: { taskQueueName: busy }',
    ].join('\n'));
    expect(await readDynamicConfig(file)).toEqual({ 'limit.historyCount.suggestContinueAsNew': 2000 });
  });

  it('stops with the key at fault and the expected shape when a value is not a list', async () => {
    const file = await fileWith('system.enableActivityEagerExecution: true\n');
    await expect(readDynamicConfig(file)).rejects.toThrow(/system\.enableActivityEagerExecution:.*\[\{ value: true \}\]/s);
  });

  it('starts without settings when the file is absent', async () => {
    expect(await readDynamicConfig(join(tmpdir(), 'no-such-dir', 'temporal.yaml'))).toEqual({});
  });
});
