// The product's TypeScript compiled to JavaScript, one `.js` per `.ts` in the same layout, so the
// production roles run on plain `node`: tsx's loader runs its hooks in a thread of its own, a second V8
// isolate (measured, the worker idle at start: 269–280 MB RSS under tsx, 161–211 MB compiled). Built with
// esbuild once per version of the code into `<package>/.build/<hash>/`: inside the package, so bare
// imports resolve through its node_modules, `.js` is ESM by its package.json, and workers/package-root.ts
// finds the package from the compiled copy too. (Not node_modules/.cache: node_modules may be a symlink to
// another checkout, whose files the copy would then find.) The few `.mjs` modules are copied; other files
// (pages, demo articles) are read from the source tree.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { sourceFiles, sourceHash } from './source-hash.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILDS = path.join(ROOT, '.build');

/** The compiled copy's directory for the current source, built (and older builds pruned) if missing. */
export async function compiledBuild() {
  const hash = await sourceHash(ROOT, ['esbuild'], [path.join(ROOT, 'tsconfig.json')]);
  const dir = path.join(BUILDS, hash);
  if (await exists(dir)) {
    // Marked as in use, so another version's launcher does not prune it under a running role.
    const now = new Date();
    await fs.utimes(dir, now, now).catch(() => {});
    return dir;
  }
  const started = Date.now();
  process.stderr.write('customer-agent: compiling the TypeScript source… ');
  // A private directory, renamed into place: a process starting meanwhile never sees half a build.
  const partial = `${dir}.${process.pid}.${Date.now()}.partial`;
  try {
    await compile(partial);
    await fs.rename(partial, dir).catch(async (err) => {
      // Another process built the same code first: its copy is as good as ours.
      if (!(await exists(dir))) throw err;
      await fs.rm(partial, { recursive: true, force: true });
    });
  } catch (err) {
    process.stderr.write('failed\n');
    await fs.rm(partial, { recursive: true, force: true });
    throw err;
  }
  process.stderr.write(`built in ${Date.now() - started} ms\n`);
  await pruneOld(dir);
  return dir;
}

async function compile(outdir) {
  const files = await sourceFiles(ROOT);
  // Loaded only to build; its service process is stopped after, so the role keeps none of it running.
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      entryPoints: files.filter((f) => f.endsWith('.ts')),
      outdir,
      outbase: ROOT,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      logLevel: 'silent',
    });
  } finally {
    await esbuild.stop();
  }
  // The few plain JavaScript modules, which the compiled code imports as they are.
  for (const file of files.filter((f) => f.endsWith('.mjs'))) await fs.cp(file, path.join(outdir, path.relative(ROOT, file)));
}

/** Builds of earlier code, and abandoned partial ones, a day old: a role imports a few modules lazily, after its start. */
async function pruneOld(keep) {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of await fs.readdir(BUILDS).catch(() => [])) {
    const dir = path.join(BUILDS, name);
    if (dir === keep) continue;
    const stat = await fs.stat(dir).catch(() => undefined);
    if (stat && stat.mtimeMs < dayAgo) await fs.rm(dir, { recursive: true, force: true });
  }
}

async function exists(file) {
  return fs.access(file).then(() => true, () => false);
}
