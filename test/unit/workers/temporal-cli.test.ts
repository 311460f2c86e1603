import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildProgressLine, ensureTemporalCli, releaseArchiveName, tarEntry, type BuildJob } from '../../../workers/temporal-cli.js';

const VERSION = 'v9.9.9';
const ARCHIVE = 'temporal_cli_9.9.9_linux_amd64.tar.gz';
let cache: string;
let archive: Buffer;
let checksums: string;
let server: Server;
let base: string;
/** A loopback port nothing listens on: the release host that cannot be reached. */
let closed: string;

/** A release archive as goreleaser lays it out: LICENSE and the `temporal` binary (here a shell script). */
async function makeArchive(): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fake-release-'));
  await fs.writeFile(path.join(dir, 'LICENSE'), 'MIT\n');
  await fs.writeFile(path.join(dir, 'temporal'), '#!/bin/sh\necho "temporal version 9.9.9 (fake)"\n', { mode: 0o755 });
  execFileSync('tar', ['-czf', path.join(dir, ARCHIVE), '-C', dir, 'LICENSE', 'temporal']);
  const bytes = await fs.readFile(path.join(dir, ARCHIVE));
  await fs.rm(dir, { recursive: true, force: true });
  return bytes;
}

beforeAll(async () => {
  archive = await makeArchive();
  checksums = `${createHash('sha256').update(archive).digest('hex')}  ${ARCHIVE}\n0000  temporal_cli_9.9.9_darwin_arm64.tar.gz\n`;
  server = createServer((req, res) => {
    if (req.url === `/${VERSION}/${ARCHIVE}`) res.writeHead(200, { 'content-length': archive.length }).end(archive);
    else if (req.url === `/${VERSION}/checksums.txt`) res.writeHead(200).end(checksums);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closed = `127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  cache = await fs.mkdtemp(path.join(os.tmpdir(), 'temporal-cli-cache-'));
});
afterEach(() => fs.rm(cache, { recursive: true, force: true }));

/** A Go build stand-in: records that it ran and leaves an executable at the target. */
function fakeBuild(calls: BuildJob[]) {
  return async (job: BuildJob) => {
    calls.push(job);
    await fs.writeFile(job.target, '#!/bin/sh\necho built\n', { mode: 0o755 });
  };
}

const options = (extra: Partial<Parameters<typeof ensureTemporalCli>[0]> = {}) => {
  const lines: string[] = [];
  return {
    lines,
    opts: {
      version: VERSION, env: { PATH: '', XDG_CACHE_HOME: cache }, platform: 'linux' as const, arch: 'x64',
      onProgress: (m: string) => lines.push(m), connectTimeoutMs: 2_000, ...extra,
    },
  };
};

describe('ensureTemporalCli: the release download before the Go build', () => {
  it('downloads the release archive, checks its SHA-256 and keeps the binary in the per-version cache; no build', async () => {
    const builds: BuildJob[] = [];
    const { opts, lines } = options({ releasesUrl: base, build: fakeBuild(builds) });
    const binary = await ensureTemporalCli(opts);
    expect(binary).toBe(path.join(cache, 'customer-agent', 'temporal-cli', VERSION, 'temporal'));
    expect(execFileSync(binary, ['--version'], { encoding: 'utf8' })).toMatch(/9\.9\.9/);
    expect(builds).toHaveLength(0);
    expect(lines.at(-1)).toMatch(/SHA-256 checked/);
    // The second call finds the cache and touches nothing.
    const again = options({ releasesUrl: `http://${closed}`, build: fakeBuild(builds) });
    expect(await ensureTemporalCli(again.opts)).toBe(binary);
    expect(again.lines).toEqual([]);
  });

  it('an unreachable release host falls back to the build at once, saying why in one line', async () => {
    const builds: BuildJob[] = [];
    const { opts, lines } = options({ releasesUrl: `http://${closed}`, build: fakeBuild(builds) });
    const binary = await ensureTemporalCli(opts);
    expect(builds).toHaveLength(1);
    expect(builds[0]!.target).toBe(binary);
    expect(lines.find((l) => l.startsWith('no release download'))).toBe(`no release download (${closed}: ECONNREFUSED); building it with Go instead`);
  });

  it('a host that accepts but never answers is given up after the connect timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const builds: BuildJob[] = [];
      const started = Date.now();
      const { opts, lines } = options({ releasesUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, connectTimeoutMs: 300, build: fakeBuild(builds) });
      await ensureTemporalCli(opts);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(builds).toHaveLength(1);
      expect(lines.join('\n')).toMatch(/did not answer within 0\.3 s/);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('an archive whose checksum does not match is not used', async () => {
    const saved = checksums;
    checksums = `${'0'.repeat(64)}  ${ARCHIVE}\n`;
    try {
      const builds: BuildJob[] = [];
      const { opts, lines } = options({ releasesUrl: base, build: fakeBuild(builds) });
      await ensureTemporalCli(opts);
      expect(builds).toHaveLength(1);
      expect(lines.join('\n')).toMatch(/has SHA-256 [0-9a-f]{64}, not the published 0{64}; not used/);
    } finally {
      checksums = saved;
    }
  });

  it('a platform without a published archive goes straight to the build', async () => {
    const builds: BuildJob[] = [];
    const { opts, lines } = options({ releasesUrl: base, platform: 'win32', build: fakeBuild(builds) });
    await ensureTemporalCli(opts);
    expect(builds).toHaveLength(1);
    expect(lines[0]).toMatch(/publishes no archive for win32\/x64/);
  });

  it('when both fail the error says what to do and why the download failed', async () => {
    const { opts } = options({ releasesUrl: `http://${closed}`, build: async () => { throw new Error('Go is not available'); } });
    await expect(ensureTemporalCli(opts)).rejects.toThrow(`Go is not available\n\nThe release download failed too: ${closed}: ECONNREFUSED`);
  });
});

describe('release archives and build progress', () => {
  it('names the archive as temporalio/cli publishes it', () => {
    expect(releaseArchiveName('v1.5.1', 'linux', 'x64')).toBe('temporal_cli_1.5.1_linux_amd64.tar.gz');
    expect(releaseArchiveName('v1.5.1', 'darwin', 'arm64')).toBe('temporal_cli_1.5.1_darwin_arm64.tar.gz');
    expect(releaseArchiveName('v1.5.1', 'linux', 'ia32')).toBeUndefined();
  });

  it('reads one file out of a tar', async () => {
    const { gunzipSync } = await import('node:zlib');
    const tar = gunzipSync(archive);
    expect(tarEntry(tar, 'LICENSE')?.toString()).toBe('MIT\n');
    expect(tarEntry(tar, 'missing')).toBeUndefined();
  });

  it('the build progress line counts packages out of the estimate, with the time so far', () => {
    expect(buildProgressLine(412, 1297, 372_000, 'github.com/x/y')).toBe('building: 412 of ~1297 packages compiled (31%), 6m12s elapsed: github.com/x/y');
    expect(buildProgressLine(1400, 1297, 59_000)).toBe('building: 1400 of ~1297 packages compiled (99%), 59s elapsed');
    expect(buildProgressLine(12, undefined, 5_000)).toBe('building: 12 packages compiled, 5s elapsed');
  });
});
