import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, findPackageRoot } from '../../../workers/package-root.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

describe("the package's root", () => {
  it('is the checkout, from the TypeScript source', () => {
    expect(PACKAGE_ROOT).toBe(ROOT);
  });

  it('is the checkout from a compiled copy inside it, past package.json files of other names', async () => {
    const root = await mkdtemp(join(tmpdir(), 'package-root-'));
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'customer-agent' }));
    const copy = join(root, '.build', 'abc', 'workers');
    await mkdir(copy, { recursive: true });
    await writeFile(join(root, '.build', 'package.json'), JSON.stringify({ name: 'something-else' }));
    expect(findPackageRoot(join(copy, 'package-root.js'))).toBe(root);
  });

  it('is an error outside any checkout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'no-package-'));
    expect(() => findPackageRoot(join(dir, 'package-root.js'))).toThrow(/no customer-agent package.json/);
  });
});
