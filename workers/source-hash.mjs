// A digest of the product's code (`.ts`, `.mjs`), in plain JavaScript: the compiled copy
// (compiled-build.mjs) is keyed by it before any TypeScript can run, and the workflow bundle
// (workflow-bundle.ts) by it too.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Folders of the product's code; the others (tests, benches) are never part of a build. */
export const SOURCE_DIRS = ['workflows', 'domain', 'activities', 'graphs', 'knowledge', 'db', 'channels', 'actions', 'api', 'workers'];

/** Every code file (`.ts`, `.mjs`) of SOURCE_DIRS under `root`, sorted. */
export async function sourceFiles(root) {
  return (await Promise.all(SOURCE_DIRS.map((d) => listCode(path.join(root, d))))).flat().sort();
}

/** A digest of the source under `root`, of the package.json of each of `packages` (this package's dependencies) and of `files`. */
export async function sourceHash(root, packages, files = []) {
  const hash = createHash('sha256');
  for (const file of [...await sourceFiles(root), ...files]) {
    hash.update(path.relative(root, file)).update('\0').update(await fs.readFile(file)).update('\0');
  }
  for (const pkg of packages) hash.update(await fs.readFile(require.resolve(`${pkg}/package.json`)));
  return hash.digest('hex').slice(0, 16);
}

async function listCode(dir) {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listCode(full);
    return Promise.resolve(/\.(ts|mjs)$/.test(e.name) ? [full] : []);
  }));
  return nested.flat();
}
