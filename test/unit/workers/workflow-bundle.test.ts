import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceHash, workflowBundle, workflowBundleCacheDir } from '../../../workers/workflow-bundle.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('the workflow bundle a worker runs', () => {
  it('is a file in the cache that holds the conversation workflow, the same one for every worker of this code', async () => {
    const first = await workflowBundle();
    expect(first.codePath.startsWith(workflowBundleCacheDir())).toBe(true);
    expect(await readFile(first.codePath, 'utf8')).toContain('conversation');
    expect((await workflowBundle()).codePath).toBe(first.codePath);
  }, 120_000);

  it('is built again when a workflow or a helper it may import changes, so no worker runs stale code', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'bundle-src-'));
    await cp(join(ROOT, 'workflows'), join(copy, 'workflows'), { recursive: true });
    await cp(join(ROOT, 'domain'), join(copy, 'domain'), { recursive: true });
    const before = await sourceHash(copy);
    expect(await sourceHash(copy)).toBe(before);
    const helper = join(copy, 'domain', 'availability.ts');
    await writeFile(helper, `${await readFile(helper, 'utf8')}\n// changed\n`);
    expect(await sourceHash(copy)).not.toBe(before);
  });
});
