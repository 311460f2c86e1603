/**
 * Finds or fetches the Temporal CLI (`temporal server start-dev` is our dev server). Order: $TEMPORAL_CLI,
 * `temporal` on PATH, the per-version cache, else the released archive for this platform (a download of
 * seconds, checked against its SHA-256), else a build with Go from the module proxy into that cache
 * (minutes: about 1,300 packages). Where the release host cannot be reached the download gives up within
 * a few seconds and says so in one line.
 * Runnable: `tsx workers/temporal-cli.ts` prints the binary's path (CI uses it to warm the cache).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { cacheDir } from './cache-dir.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** v1.5.1 is the last release without a `replace` in go.mod; `go install` refuses later ones. */
export const DEFAULT_TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** Where temporalio/cli publishes its releases (goreleaser: temporal_cli_<v>_<os>_<arch>.tar.gz, checksums.txt). */
export const TEMPORAL_CLI_RELEASES = 'https://github.com/temporalio/cli/releases/download';

/**
 * What we know of a release ahead of time: the archives' SHA-256 (as in its checksums.txt), and how many
 * packages a cold `go install -v` compiles (`go list -deps`, standard library included), for the build's
 * progress. Other versions take their checksums from the release's checksums.txt and build without an
 * estimate.
 */
const KNOWN_RELEASES: Record<string, { packages: number; sha256: Record<string, string> }> = {
  'v1.5.1': {
    packages: 1297,
    sha256: {
      linux_amd64: 'ddc95e08b0b076efd4ea9733a3f488eb7d2be875f8834e616cd2a37358b4852d',
      linux_arm64: 'bd1b0db9f18b051026de8bf6cc1505f2510f14bbb7a8b9a4a91fff46c77454f5',
      darwin_amd64: 'bbb73e2a31135abe50a1f1cdb35030c42961df618e8ce9c60ae89f201540c5d9',
      darwin_arm64: 'cca01b7ea35ad56e2a328d9ae596bf716bd22313ef63c7a761c88354457c2415',
    },
  },
};

export interface EnsureTemporalCliOptions {
  version?: string;
  onProgress?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Base URL of the releases (…/<version>/<archive>); default TEMPORAL_CLI_DOWNLOAD_URL, else GitHub's. */
  releasesUrl?: string;
  /** How long the download may wait for the release host to answer before the build is tried. */
  connectTimeoutMs?: number;
  /** The Go build, replaceable in tests (a real one takes minutes). */
  build?: (job: BuildJob) => Promise<void>;
  platform?: NodeJS.Platform;
  arch?: string;
}

export interface BuildJob {
  version: string;
  /** The cache directory; the binary must end up at `target`. */
  dir: string;
  target: string;
  env: NodeJS.ProcessEnv;
  progress: (message: string) => void;
}

export function temporalCliCacheDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir('temporal-cli', env), version);
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
    // Another process may have finished while we waited for the lock.
    if (await isExecutable(target)) return target;
    // Caches filled by earlier versions of this file, through the SDK's own download.
    const downloaded = await findExecutable(path.join(dir, 'sdk-download'));
    if (downloaded) return downloaded;
    let downloadError: Error;
    try {
      await downloadRelease({
        version, target, progress,
        releasesUrl: options.releasesUrl ?? (env.TEMPORAL_CLI_DOWNLOAD_URL || TEMPORAL_CLI_RELEASES),
        connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
        platform: options.platform ?? process.platform,
        arch: options.arch ?? process.arch,
      });
      return target;
    } catch (e) {
      downloadError = e as Error;
      progress(`no release download (${downloadError.message}); building it with Go instead`);
    }
    try {
      await (options.build ?? build)({ version, dir, target, env, progress });
      return target;
    } catch (buildError) {
      throw new Error(`${(buildError as Error).message}\n\nThe release download failed too: ${downloadError.message}`, { cause: buildError });
    }
  } finally {
    await release();
  }
}

/** The release archive's name for this platform, or undefined where temporalio/cli publishes none. */
export function releaseArchiveName(version: string, platform: NodeJS.Platform | string, arch: string): string | undefined {
  const os = ({ linux: 'linux', darwin: 'darwin' } as Record<string, string>)[platform];
  const cpu = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[arch];
  return os && cpu ? `temporal_cli_${version.replace(/^v/, '')}_${os}_${cpu}.tar.gz` : undefined;
}

interface DownloadOptions {
  version: string;
  target: string;
  progress: (message: string) => void;
  releasesUrl: string;
  connectTimeoutMs: number;
  platform: string;
  arch: string;
}

/** Fetches with a bound on the wait for the answer's headers only (the body may take longer). */
async function fetchAnswering(url: string, timeoutMs: number, what: string): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`${new URL(url).host} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!res.ok) throw new Error(`${what}: HTTP ${res.status} from ${url}`);
    return res;
  } catch (e) {
    if (controller.signal.aborted) throw controller.signal.reason as Error;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${new URL(url).host}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

async function downloadRelease(o: DownloadOptions): Promise<void> {
  const name = releaseArchiveName(o.version, o.platform, o.arch);
  if (!name) throw new Error(`temporalio/cli publishes no archive for ${o.platform}/${o.arch}`);
  const base = `${o.releasesUrl.replace(/\/+$/, '')}/${o.version}`;
  const url = `${base}/${name}`;
  o.progress(`downloading the Temporal CLI ${o.version} from ${url}`);
  const res = await fetchAnswering(url, o.connectTimeoutMs, 'the release archive');
  const total = Number(res.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  let reported = Date.now();
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    received += chunk.length;
    if (Date.now() - reported > 2_000) {
      reported = Date.now();
      o.progress(`downloaded ${mb(received)}${total ? ` of ${mb(total)} MB (${Math.round((received / total) * 100)}%)` : ' MB'}`);
    }
  }
  const archive = Buffer.concat(chunks);
  const expected = KNOWN_RELEASES[o.version]?.sha256[name.replace(/^temporal_cli_[^_]+_|\.tar\.gz$/g, '')]
    ?? await checksumFromRelease(`${base}/checksums.txt`, name, o.connectTimeoutMs);
  const actual = createHash('sha256').update(archive).digest('hex');
  if (actual !== expected) throw new Error(`${name} has SHA-256 ${actual}, not the published ${expected}; not used`);
  const binary = tarEntry(gunzipSync(archive), 'temporal');
  if (!binary) throw new Error(`${name} holds no file named temporal`);
  // Written beside the target and renamed: a killed download never leaves a half-written binary.
  const partial = `${o.target}.download-${process.pid}`;
  try {
    await fs.writeFile(partial, binary, { mode: 0o755 });
    await fs.rename(partial, o.target);
  } finally {
    await fs.rm(partial, { force: true });
  }
  o.progress(`downloaded ${o.target} (${mb(archive.length)} MB archive, SHA-256 checked)`);
}

async function checksumFromRelease(url: string, name: string, timeoutMs: number): Promise<string> {
  const text = await (await fetchAnswering(url, timeoutMs, 'the release checksums')).text();
  const line = text.split('\n').map((l) => l.trim().split(/\s+/)).find((parts) => parts[1] === name);
  if (!line?.[0]) throw new Error(`${url} lists no checksum for ${name}`);
  return line[0];
}

/** The content of one regular file in a (ustar/GNU/pax) tar, by its name without leading directories. */
export function tarEntry(tar: Buffer, name: string): Buffer | undefined {
  const text = (from: number, length: number) => tar.subarray(from, from + length).toString('utf8').replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(offset + 345, 155);
    const entry = prefix ? `${prefix}/${text(offset, 100)}` : text(offset, 100);
    const data = offset + 512;
    if ((type === '0' || type === '\0') && path.posix.basename(entry) === name) return tar.subarray(data, data + size);
    offset = data + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function goVersion(env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync('go', ['version'], { env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** `1m05s`: minutes matter during a build of many minutes. */
function minutesSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The build's progress line: packages compiled out of the estimate, and the time so far. */
export function buildProgressLine(packages: number, estimate: number | undefined, elapsedMs: number, last?: string): string {
  const count = estimate
    ? `${packages} of ~${estimate} packages compiled (${Math.min(99, Math.floor((packages / estimate) * 100))}%)`
    : `${packages} packages compiled`;
  return `building: ${count}, ${minutesSeconds(elapsedMs)} elapsed${last ? `: ${last}` : ''}`;
}

async function build({ version, dir, target, env, progress }: BuildJob): Promise<void> {
  const go = goVersion(env);
  if (!go) {
    throw new Error(
      'The Temporal CLI (our dev server) is not installed, its release could not be downloaded, and Go is not available to build it.\n' +
        'Do one of:\n' +
        '  - install Go >= 1.25 (https://go.dev/dl/; Debian 12\'s golang-go is too old) and make `go` available on PATH, then rerun;\n' +
        '  - install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH, or set TEMPORAL_CLI=/path/to/temporal;\n' +
        '  - set TEMPORAL_CLI_DOWNLOAD_URL to a mirror of its releases (…/<version>/temporal_cli_<v>_<os>_<arch>.tar.gz);\n' +
        '  - or point TEMPORAL_ADDRESS at an existing Temporal cluster.',
    );
  }
  // Build into a private GOBIN on the cache's filesystem, then rename: a killed build never leaves a
  // half-written binary at `target`.
  const gobin = await fs.mkdtemp(path.join(dir, '.build-'));
  const started = Date.now();
  const estimate = KNOWN_RELEASES[version]?.packages;
  progress(`building Temporal CLI ${version} with ${go} into ${dir}: ${estimate ? `~${estimate} packages, ` : ''}`
    + 'several minutes on a first build (17 on 2 busy cores); later runs use the cache');
  const tail: string[] = [];
  let packages = 0;
  let modules = 0;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // -v prints each package as it is compiled: the count against the estimate is the progress.
      const child = spawn('go', ['install', '-v', `${MODULE}@${version}`], {
        env: { ...env, CGO_ENABLED: '0', GOBIN: gobin },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onData = (buf: Buffer) => {
        for (const line of buf.toString().split('\n').filter(Boolean)) {
          if (line.startsWith('go: downloading ')) modules++;
          else if (!line.startsWith('go: ')) packages++;
          tail.push(line);
          if (tail.length > 30) tail.shift();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const timer = setInterval(() => progress(packages === 0 && modules > 0
        ? `fetching modules: ${modules} so far, ${minutesSeconds(Date.now() - started)} elapsed`
        : buildProgressLine(packages, estimate, Date.now() - started, tail.at(-1))), 15_000);
      child.on('error', (e) => { clearInterval(timer); reject(e); });
      child.on('close', (c) => { clearInterval(timer); resolve(c); });
    });
    if (code !== 0) throw new Error(`go install ${MODULE}@${version} failed (exit ${code}) after ${minutesSeconds(Date.now() - started)}:\n${tail.join('\n')}`);
    await fs.rename(path.join(gobin, 'temporal'), target);
    progress(`built ${target} in ${minutesSeconds(Date.now() - started)} (${packages} packages compiled)`);
  } finally {
    await fs.rm(gobin, { recursive: true, force: true });
  }
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
