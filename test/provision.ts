/**
 * What the tests need from the system besides the Temporal CLI: ffmpeg and ffprobe (video tests make
 * their videos with them), Chromium (chat page tests) and the FreeDict dictionaries (cross-language
 * answers, knowledge/dictionary.ts). `npm test` installs them with apt-get where it can (Debian or
 * Ubuntu, as root), as CI does; anywhere else it stops at once with the command to run.
 */
import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DICTIONARIES_DIR, dictionaryFiles, dictionaryPackages } from '../knowledge/dictionary.js';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface ProvisionDeps {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  isRoot: boolean;
  /** Runs a command, handing each output line to onLine; resolves with its exit code. */
  run: (cmd: string, args: string[], onLine: (line: string) => void) => Promise<number>;
  progress: (message: string) => void;
  /** Whether a file exists and is executable (overridable in tests). */
  executable?: (file: string) => Promise<boolean>;
  /** Whether a file exists (overridable in tests). */
  exists?: (file: string) => Promise<boolean>;
}

async function fileExists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The Debian packages missing for the tests: none when everything is there. */
export async function missingTestPackages(deps: Pick<ProvisionDeps, 'env' | 'executable' | 'exists'>): Promise<string[]> {
  const executable = deps.executable ?? isExecutable;
  const exists = deps.exists ?? fileExists;
  const onPath = async (name: string) => {
    for (const dir of (deps.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      if (await executable(path.join(dir, name))) return true;
    }
    return false;
  };
  const missing: string[] = [];
  const chromium = [deps.env.CHROMIUM_PATH, ...CHROMIUM_CANDIDATES].filter((p): p is string => !!p);
  let hasChromium = false;
  for (const p of chromium) if (!hasChromium && await executable(p)) hasChromium = true;
  if (!hasChromium) missing.push('chromium', 'fonts-dejavu-core');
  if (!(await onPath('ffmpeg')) || !(await onPath('ffprobe'))) missing.push('ffmpeg');
  const dir = deps.env.DICTIONARIES_DIR || DEFAULT_DICTIONARIES_DIR;
  const packages = dictionaryPackages();
  for (const [i, files] of dictionaryFiles(dir).entries()) {
    if (!(await Promise.all(files.map(exists))).every(Boolean)) missing.push(packages[i]!);
  }
  return missing;
}

export class MissingTestToolsError extends Error {}

/** Installs what is missing, or throws MissingTestToolsError saying exactly what to run. */
export async function ensureTestTools(deps: ProvisionDeps): Promise<void> {
  const missing = await missingTestPackages(deps);
  if (missing.length === 0) return;
  const executable = deps.executable ?? isExecutable;
  const dictionaries = missing.some((p) => p.startsWith('dict-freedict-'));
  const needed = [
    ...(missing.includes('ffmpeg') ? ['ffmpeg/ffprobe (video tests)'] : []),
    ...(missing.includes('chromium') ? ['Chromium (chat page tests)'] : []),
    ...(dictionaries ? ['the FreeDict dictionaries (cross-language tests)'] : []),
  ];
  const what = needed.length > 1 ? `${needed.slice(0, -1).join(', ')} and ${needed.at(-1)}` : needed[0]!;
  const command = `apt-get install -y ${missing.join(' ')}`;
  const hasApt = deps.platform === 'linux' && await executable('/usr/bin/apt-get');
  if (!hasApt || !deps.isRoot) {
    const how = hasApt
      ? `run as root: sudo ${command}`
      : deps.platform === 'darwin'
        ? `install them: brew install${missing.includes('ffmpeg') ? ' ffmpeg' : ''}${missing.includes('chromium') ? ' && brew install --cask chromium, then set CHROMIUM_PATH to its binary' : ''}`
          + (dictionaries ? `${missing.includes('ffmpeg') || missing.includes('chromium') ? '; ' : ''}the dictionaries are Debian's ${missing.filter((p) => p.startsWith('dict-freedict-')).join(' ')}: set DICTIONARIES_DIR to a folder holding their .index and .dict.dz files` : '')
        : `install them with your package manager (Debian/Ubuntu: ${command})${missing.includes('chromium') ? '; CHROMIUM_PATH may name a Chromium or Chrome binary' : ''}`;
    throw new MissingTestToolsError(`npm test needs ${what}, which are not installed; ${how}`);
  }

  deps.progress(`installing ${what} with apt-get: ${missing.join(' ')} (once; about a minute)`);
  const started = Date.now();
  const apt = async (args: string[]) => {
    const tail: string[] = [];
    let total: number | undefined;
    let fetched = 0;
    let setUp = 0;
    let reported = Date.now();
    const code = await deps.run('apt-get', args, (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const planned = /(\d+) newly installed/.exec(line);
      if (planned) total = Number(planned[1]);
      if (line.startsWith('Get:')) fetched++;
      if (line.startsWith('Setting up ')) setUp++;
      if (Date.now() - reported > 5_000) {
        reported = Date.now();
        const of = total ? ` of ${total}` : '';
        deps.progress(`apt-get: ${fetched}${of} packages fetched, ${setUp}${of} set up, ${Math.round((Date.now() - started) / 1000)}s elapsed`);
      }
    });
    if (code !== 0) throw new MissingTestToolsError(`apt-get ${args.join(' ')} failed (exit ${code}):\n${tail.join('\n')}\nInstall them by hand: ${command}`);
  };
  await apt(['update', '-q']);
  await apt(['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=600', ...missing]);
  const still = await missingTestPackages(deps);
  if (still.length > 0) throw new MissingTestToolsError(`apt-get installed ${missing.join(' ')}, yet ${still.join(' ')} is still missing: check PATH and CHROMIUM_PATH`);
  deps.progress(`installed ${missing.join(' ')} in ${Math.round((Date.now() - started) / 1000)}s`);
}

/** The real runner: a child process with DEBIAN_FRONTEND=noninteractive, line by line. */
export function runLines(cmd: string, args: string[], onLine: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    const onData = (buf: Buffer) => {
      const lines = (rest + buf.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (rest.trim()) onLine(rest);
      resolve(code ?? 1);
    });
  });
}
