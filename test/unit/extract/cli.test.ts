import { describe, expect, it } from 'vitest';
import { parseCli, renderBar, runIngest, UsageError } from '../../../workers/cli.js';

describe('the ingest command line', () => {
  it('reads paths, agent and API, defaulting the API to the environment, then to 127.0.0.1:3000', () => {
    expect(parseCli(['ingest', 'a.pdf', 'docs', '-a', 'demo'], {})).toMatchObject({ paths: ['a.pdf', 'docs'], agent: 'demo', api: 'http://127.0.0.1:3000' });
    expect(parseCli(['ingest', 'a.pdf', '--agent', 'demo'], { CUSTOMER_AGENT_API: 'http://api.test:8080' })).toMatchObject({ api: 'http://api.test:8080' });
    expect(parseCli([], {})).toBe('help');
  });

  it('refuses a missing agent, a bad URL, an unknown option and a title for several files', () => {
    expect(() => parseCli(['ingest', 'a.pdf'], {})).toThrow(/--agent <agentId> is required/);
    expect(() => parseCli(['ingest', 'a.pdf', '--agent', 'x', '--api', 'not a url'], {})).toThrow(/--api must be a URL/);
    expect(() => parseCli(['ingest', 'a.pdf', '--agent', 'x', '--colour'], {})).toThrow(UsageError);
    expect(() => parseCli(['ingest', 'a.pdf', 'b.pdf', '--agent', 'x', '--title', 'T'], {})).toThrow(/single file/);
  });

  it('a path that does not exist is a usage error before anything is sent', async () => {
    const args = parseCli(['ingest', '/nonexistent/file.pdf', '--agent', 'x'], {});
    if (args === 'help') throw new Error('unexpected help');
    await expect(runIngest(args, { out: { write: () => true }, err: { write: () => true } })).rejects.toThrow(/does not exist/);
  });

  it('the progress bar fills by bytes and fits the terminal', () => {
    expect(renderBar({ done: 1, files: 4, bytes: 512 * 1024, totalBytes: 1024 * 1024, current: 'handbook.pdf' }))
      .toBe(`[${'█'.repeat(12)}${'░'.repeat(12)}] 1/4 files · 0.5/1.0 MB · handbook.pdf`);
    expect(renderBar({ done: 0, files: 1, bytes: 0, totalBytes: 10, current: 'x'.repeat(200) }, 60)).toHaveLength(59);
  });
});
