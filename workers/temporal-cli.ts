/**
 * Finds or builds the Temporal CLI (`temporal server start-dev` is our dev server). Order: $TEMPORAL_CLI,
 * `temporal` on PATH, the per-version cache, else a build with Go from the module proxy into that cache,
 * else the SDK's own download of the CLI (needs the internet, which the module proxy alone does not give).
 * Runnable: `tsx workers/temporal-cli.ts` prints the binary's path (CI uses it to warm the cache).
 */
import { spawn, spawnSync } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** v1.5.1 is the last release without a `replace` in go.mod; `go install` refuses later ones. */
export const DEFAULT_TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export interface EnsureTemporalCliOptions {
  version?: string;
  onProgress?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export function temporalCliCacheDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'customer-agent', 'temporal-cli', version);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function ensureTemporalCli(options: EnsureTemporalCliOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const version = options.version ?? DEFAULT_TEMPORAL_CLI_VERSION;
  const progress = options.onProgress ?? ((m: string) => process.stderr.write(`[temporal-cli] ${m}\n`));

  if (env.TEMPORAL_CLI) {
    if (await isExecutable(env.TEMPORAL_CLI)) return env.TEMPORAL_CLI;
    throw new Error(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
  }
  const found = await onPath('temporal', env);
  if (found) return found;

  const dir = temporalCliCacheDir(version, env);
  const target = path.join(dir, 'temporal');
  if (await isExecutable(target)) return target;

  await fs.mkdir(dir, { recursive: true });
  const release = await acquireLock(path.join(dir, '.build.lock'), progress);
  try {
    // Another process may have finished the build while we waited for the lock.
    if (await isExecutable(target)) return target;
    const sdkDownload = path.join(dir, 'sdk-download');
    const downloaded = await findExecutable(sdkDownload);
    if (downloaded) return downloaded;
    try {
      await build(version, dir, target, env, progress);
      return target;
    } catch (buildError) {
      progress(`${(buildError as Error).message.split('\n')[0]}; trying the Temporal SDK's download of the CLI`);
      try {
        return await downloadWithSdk(sdkDownload, progress);
      } catch (downloadError) {
        throw new Error(`${(buildError as Error).message}\n\nThe SDK's download failed too: ${(downloadError as Error).message}`, { cause: downloadError });
      }
    }
  } finally {
    await release();
  }
}

function goVersion(env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync('go', ['version'], { env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function build(version: string, dir: string, target: string, env: NodeJS.ProcessEnv, progress: (m: string) => void): Promise<void> {
  const go = goVersion(env);
  if (!go) {
    throw new Error(
      'The Temporal CLI (our dev server) is not installed and Go is not available to build it.\n' +
        'Do one of:\n' +
        '  - install Go >= 1.25 (https://go.dev/dl/; Debian 12\'s golang-go is too old) and make `go` available on PATH, then rerun;\n' +
        '  - or run where the internet is reachable, so the Temporal SDK can download the CLI;\n' +
        '  - install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH, or set TEMPORAL_CLI=/path/to/temporal;\n' +
        '  - or point TEMPORAL_ADDRESS at an existing Temporal cluster.',
    );
  }
  // Build into a private GOBIN on the cache's filesystem, then rename: a killed build never leaves a
  // half-written binary at `target`.
  const gobin = await fs.mkdtemp(path.join(dir, '.build-'));
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  progress(`building Temporal CLI ${version} with ${go} into ${dir}; the first build takes several minutes (later runs use the cache)`);
  const tail: string[] = [];
  let packages = 0;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // -v prints each package as it is compiled: the only sign of life during a long build.
      const child = spawn('go', ['install', '-v', `${MODULE}@${version}`], {
        env: { ...env, CGO_ENABLED: '0', GOBIN: gobin },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onData = (buf: Buffer) => {
        for (const line of buf.toString().split('\n').filter(Boolean)) {
          if (!line.startsWith('go: ')) packages++;
          tail.push(line);
          if (tail.length > 30) tail.shift();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const timer = setInterval(() => progress(`still building (${elapsed()} elapsed, ${packages} packages compiled)${tail.length ? `: ${tail.at(-1)}` : ''}`), 15_000);
      child.on('error', (e) => { clearInterval(timer); reject(e); });
      child.on('close', (c) => { clearInterval(timer); resolve(c); });
    });
    if (code !== 0) throw new Error(`go install ${MODULE}@${version} failed (exit ${code}) after ${elapsed()}:\n${tail.join('\n')}`);
    await fs.rename(path.join(gobin, 'temporal'), target);
    progress(`built ${target} in ${elapsed()}`);
  } finally {
    await fs.rm(gobin, { recursive: true, force: true });
  }
}

/**
 * The SDK downloads the CLI when it starts an ephemeral server; start one into our cache and keep the
 * binary it fetched. The SDK's testing package is a dev dependency, so this only serves a clone.
 */
async function downloadWithSdk(dir: string, progress: (m: string) => void): Promise<string> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  progress(`downloading the Temporal CLI with the Temporal SDK into ${dir}`);
  const testEnv = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: dir } } });
  await testEnv.teardown();
  const found = await findExecutable(dir);
  if (!found) throw new Error(`the SDK started a server but left no temporal binary in ${dir}`);
  progress(`downloaded ${found}`);
  return found;
}

async function findExecutable(dir: string): Promise<string | undefined> {
  const entries = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[]);
  for (const entry of entries) {
    const file = path.join(dir, entry);
    if (path.basename(file).startsWith('temporal') && (await isExecutable(file))) return file;
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An O_EXCL lock file holding the builder's pid; a lock whose pid is dead is stale and taken over. */
async function acquireLock(file: string, progress: (m: string) => void): Promise<() => Promise<void>> {
  const since = Date.now();
  let reported = 0;
  for (;;) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => fs.rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (!pid || !alive(pid)) {
      // Empty content may be a holder between open and write: only break it if it stays empty.
      if (!pid) await new Promise((r) => setTimeout(r, 500));
      const again = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (again === pid) await fs.rm(file, { force: true });
      continue;
    }
    if (Date.now() - reported > 15_000) {
      reported = Date.now();
      progress(`waiting for another process's build of the Temporal CLI (pid ${pid}, ${Math.round((reported - since) / 1000)}s)`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  ensureTemporalCli({ version: process.env.TEMPORAL_CLI_VERSION || DEFAULT_TEMPORAL_CLI_VERSION }).then(
    (p) => console.log(p),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
