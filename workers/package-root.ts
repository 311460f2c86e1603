/**
 * The package's root directory (package.json, temporal.yaml, api/pages, demo articles), found by walking
 * up from this module to the first package.json named customer-agent: the same answer from the TypeScript
 * source and from the compiled copy that `npm run worker` / `npm run api` run (workers/compiled-build.mjs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findPackageRoot(from: string): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (packageName(path.join(dir, 'package.json')) === 'customer-agent') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no customer-agent package.json above ${from}`);
  }
}

function packageName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

export const PACKAGE_ROOT = findPackageRoot(fileURLToPath(import.meta.url));
