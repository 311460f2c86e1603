import { describe, expect, it } from 'vitest';
import { dictionaryFiles, dictionaryPackages } from '../../../knowledge/dictionary.js';
import { ensureTestTools, missingTestPackages, MissingTestToolsError, type ProvisionDeps } from '../../provision.js';

/** A machine described by the executables it has; `run` records commands and can install packages. */
function machine(files: string[], options: Partial<ProvisionDeps> & { installs?: Record<string, string[]>; failWith?: number } = {}) {
  const present = new Set(files);
  const commands: string[][] = [];
  const progress: string[] = [];
  const deps: ProvisionDeps = {
    env: { PATH: '/usr/local/bin:/usr/bin' }, platform: 'linux', isRoot: true,
    executable: async (f) => present.has(f),
    exists: async (f) => present.has(f),
    run: async (cmd, args, onLine) => {
      commands.push([cmd, ...args]);
      if (options.failWith) return options.failWith;
      if (args[0] === 'install') {
        onLine('0 upgraded, 3 newly installed, 0 to remove and 0 not upgraded.');
        for (const pkg of args.filter((a) => !a.startsWith('-') && a !== 'install' && !a.includes('='))) {
          onLine(`Setting up ${pkg} ...`);
          for (const f of options.installs?.[pkg] ?? []) present.add(f);
        }
      }
      return 0;
    },
    progress: (m) => progress.push(m),
    ...options,
  };
  return { deps, commands, progress };
}

const APT = '/usr/bin/apt-get';
const DICTIONARIES = dictionaryFiles('/usr/share/dictd');
const DICTIONARY_PACKAGES = dictionaryPackages();
const ALL = ['/usr/bin/chromium', '/usr/bin/ffmpeg', '/usr/bin/ffprobe', ...DICTIONARIES.flat()];
const INSTALLS: Record<string, string[]> = {
  chromium: ['/usr/bin/chromium'], ffmpeg: ['/usr/bin/ffmpeg', '/usr/bin/ffprobe'],
  ...Object.fromEntries(DICTIONARY_PACKAGES.map((p, i) => [p, DICTIONARIES[i]!])),
};

describe('npm test provisions ffmpeg, Chromium and the dictionaries', () => {
  it('does nothing when all are there', async () => {
    const m = machine([APT, ...ALL]);
    await ensureTestTools(m.deps);
    expect(m.commands).toEqual([]);
  });

  it('names the Debian packages that are missing; CHROMIUM_PATH counts as Chromium', async () => {
    expect(await missingTestPackages(machine([APT]).deps)).toEqual(['chromium', 'fonts-dejavu-core', 'ffmpeg', ...DICTIONARY_PACKAGES]);
    expect(await missingTestPackages(machine(['/usr/bin/ffmpeg', ...DICTIONARIES.flat()]).deps)).toEqual(['chromium', 'fonts-dejavu-core', 'ffmpeg']);
    // A dictionary counts when both of its files are there.
    expect(await missingTestPackages(machine([...ALL.filter((f) => f !== DICTIONARIES[2]![1])]).deps)).toEqual([DICTIONARY_PACKAGES[2]]);
    const custom = machine(['/opt/chrome/chrome', '/usr/local/bin/ffmpeg', '/usr/bin/ffprobe', ...dictionaryFiles('/srv/dictd').flat()]);
    custom.deps.env.DICTIONARIES_DIR = '/srv/dictd';
    custom.deps.env.CHROMIUM_PATH = '/opt/chrome/chrome';
    expect(await missingTestPackages(custom.deps)).toEqual([]);
  });

  it('as root on Debian it installs what is missing with apt-get, as CI does, and says how far it got', async () => {
    const m = machine([APT, '/usr/bin/chromium', ...DICTIONARIES.flat()], { installs: INSTALLS });
    await ensureTestTools(m.deps);
    expect(m.commands).toEqual([
      ['apt-get', 'update', '-q'],
      ['apt-get', 'install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=600', 'ffmpeg'],
    ]);
    expect(m.progress[0]).toMatch(/^installing ffmpeg\/ffprobe \(video tests\) with apt-get: ffmpeg/);
    expect(m.progress.at(-1)).toMatch(/^installed ffmpeg in \d+s$/);
  });

  it('without root it stops at once with the exact command, installing nothing', async () => {
    const m = machine([APT], { isRoot: false });
    const err = await ensureTestTools(m.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingTestToolsError);
    expect((err as Error).message).toBe('npm test needs ffmpeg/ffprobe (video tests), Chromium (chat page tests) and the FreeDict dictionaries '
      + `(cross-language tests), which are not installed; run as root: sudo apt-get install -y chromium fonts-dejavu-core ffmpeg ${DICTIONARY_PACKAGES.join(' ')}`);
    expect(m.commands).toEqual([]);
  });

  it('on a Mac it says what to brew', async () => {
    const m = machine(['/usr/bin/chromium', ...DICTIONARIES.flat()], { platform: 'darwin' });
    await expect(ensureTestTools(m.deps)).rejects.toThrow(/needs ffmpeg\/ffprobe \(video tests\), which are not installed; install them: brew install ffmpeg$/);
  });

  it('a failing apt-get stops the run with its output and the command to run by hand', async () => {
    const m = machine([APT], { failWith: 100 });
    await expect(ensureTestTools(m.deps)).rejects.toThrow(/apt-get update -q failed \(exit 100\).*Install them by hand: apt-get install -y chromium fonts-dejavu-core ffmpeg dict-freedict-dan-eng/s);
  });

  it('on a Mac without the dictionaries it says which Debian packages hold them and how to point at them', async () => {
    const m = machine(['/usr/bin/chromium', '/usr/bin/ffmpeg', '/usr/bin/ffprobe'], { platform: 'darwin' });
    await expect(ensureTestTools(m.deps)).rejects.toThrow(/needs the FreeDict dictionaries \(cross-language tests\), which are not installed; .*dict-freedict-dan-eng.*set DICTIONARIES_DIR/);
  });

  it('installs the dictionaries as root on Debian when only they are missing', async () => {
    const m = machine([APT, '/usr/bin/chromium', '/usr/bin/ffmpeg', '/usr/bin/ffprobe'], { installs: INSTALLS });
    await ensureTestTools(m.deps);
    expect(m.commands.at(-1)).toEqual(['apt-get', 'install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=600', ...DICTIONARY_PACKAGES]);
  });
});
