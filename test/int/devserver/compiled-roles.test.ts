/**
 * `npm run worker` and `npm run api` run the compiled copy of the source on plain node (no tsx loader and
 * its thread): the launcher builds the copy, both roles start from it, and the copy finds the package's own
 * files (pages, package.json, extraction threads) where the TypeScript source does.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledBuild } from '../../../workers/compiled-build.mjs';
import { PACKAGE_ROOT } from '../../../workers/package-root.js';
import { createTestDatabaseUrl, testDatabaseKind } from '../../support/db.js';
import { temporalAddress, temporalNamespace, uniqueId } from '../../support/temporal.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const children: ChildProcess[] = [];
let database: { url: string; drop(): Promise<void> };

/** The server the roles share: the test server, or PGlite served over a socket (a role needs a URL). */
async function openDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDatabaseKind() === 'postgres') return createTestDatabaseUrl();
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 50 });
  await server.start();
  return { url: `postgres://postgres@${server.getServerConn()}/postgres`, drop: async () => { await server.stop(); await db.close(); } };
}

beforeAll(async () => {
  database = await openDatabase();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await database?.drop();
});

/** A role started as its package.json script starts it, resolved once it says it runs. */
async function startRole(role: 'worker' | 'api'): Promise<string> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = (pkg.scripts[role] as string).split(/\s+/);
  expect(command).toBe('node');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: uniqueId('q-compiled'), DATABASE_URL: database.url, PORT: '0', DEMO: 'false', LOG_LEVEL: 'warn',
      ADMIN_API_KEY: `ca_root_${uniqueId('compiled').replace(/-/g, '_')}_key`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes(`customer-agent ${role} running`)) resolve(output);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the ${role} exited with ${code}:\n${output}`)));
  });
}

/** Runs an ES module's text on plain node and returns what it printed. */
async function runModule(source: string): Promise<string> {
  // A file, not --eval: the threads it may start inherit the process's flags.
  const dir = await mkdtemp(join(tmpdir(), 'compiled-'));
  try {
    await writeFile(join(dir, 'main.mjs'), source);
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'main.mjs')], { cwd: ROOT });
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the production roles, compiled', () => {
  it('start from the compiled copy: the worker, and the API serving its pages', async () => {
    // One after the other: over PGlite's socket every connection shares one session, so two first
    // migrations at once would not exclude each other.
    await startRole('worker');
    const api = await startRole('api');
    const url = /api running on (http:\/\/\S+)/.exec(api)?.[1];
    expect(url).toBeDefined();
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const doc = await (await fetch(`${url}/openapi.json`)).json() as { info: { version: string } };
    expect(doc.info.version).toBe((JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('is a copy inside the package that finds the same package root as the source', async () => {
    const dir = await compiledBuild();
    expect(dir.startsWith(join(ROOT, '.build'))).toBe(true);
    const module = pathToFileURL(join(dir, 'workers', 'package-root.js')).href;
    expect(await runModule(`import { PACKAGE_ROOT } from '${module}'; console.log(PACKAGE_ROOT);`)).toBe(PACKAGE_ROOT);
  });

  it('reads a file in an extraction thread of its own', async () => {
    const module = pathToFileURL(join(await compiledBuild(), 'knowledge', 'extract', 'isolated.js')).href;
    const text = await runModule(`
      import { createIsolatedExtractor } from '${module}';
      const extractor = createIsolatedExtractor({ threads: 1 });
      const out = await extractor.extract({ name: 'note.txt', bytes: new TextEncoder().encode('Parcels leave within two days.') });
      await extractor.close();
      console.log(JSON.stringify(out.blocks));`);
    expect(text).toContain('Parcels leave within two days.');
  });
});
