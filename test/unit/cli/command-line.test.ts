import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../workers/cli/api.js';
import { main, parseCli } from '../../../workers/cli/index.js';
import { renderBar, runIngest } from '../../../workers/cli/ingest.js';
import { barLine } from '../../../workers/cli/progress.js';

function capture() {
  let text = '';
  return { output: { write: (s: string) => (text += s) }, text: () => text };
}

describe('the customer-agent command line', () => {
  it('reads paths, agent and API, defaulting the API to the environment, then to 127.0.0.1:3000', () => {
    expect(parseCli(['ingest', 'a.pdf', 'docs', '-a', 'demo'], {})).toMatchObject({ paths: ['a.pdf', 'docs'], agent: 'demo', api: 'http://127.0.0.1:3000' });
    expect(parseCli(['ingest', 'a.pdf', '--agent', 'demo'], { CUSTOMER_AGENT_API: 'http://api.test:8080' })).toMatchObject({ api: 'http://api.test:8080' });
    expect(parseCli([], {})).toBe('help');
  });

  it('sends the key given with --key (or -k) before CUSTOMER_AGENT_API_KEY, and that one without the flag', () => {
    const env = { CUSTOMER_AGENT_API_KEY: 'ca_admin_from_the_environment' };
    expect(parseCli(['sync', 'src_1', '-a', 'demo', '--key', 'ca_admin_from_the_flag'], env)).toMatchObject({ key: 'ca_admin_from_the_flag' });
    expect(parseCli(['ingest', 'a.pdf', '-a', 'demo', '-k', 'ca_admin_short_flag'], env)).toMatchObject({ key: 'ca_admin_short_flag' });
    expect(parseCli(['crawl', 'https://a.example/', '-a', 'demo'], env)).toMatchObject({ key: 'ca_admin_from_the_environment' });
    expect(parseCli(['crawl', 'https://a.example/', '-a', 'demo'], {})).not.toHaveProperty('key');
  });

  it('refuses a missing agent, a bad URL, an unknown option and a title for several files', () => {
    expect(() => parseCli(['ingest', 'a.pdf'], {})).toThrow(/--agent <agentId> is required/);
    expect(() => parseCli(['ingest', 'a.pdf', '--agent', 'x', '--api', 'not a url'], {})).toThrow(/--api must be a URL/);
    expect(() => parseCli(['ingest', 'a.pdf', '--agent', 'x', '--colour'], {})).toThrow(UsageError);
    expect(() => parseCli(['ingest', 'a.pdf', 'b.pdf', '--agent', 'x', '--title', 'T'], {})).toThrow(/single file/);
  });

  it('crawl takes one http(s) URL with its limits, and sync one source id', () => {
    expect(parseCli(['crawl', 'https://help.example.com/', '-a', 'demo', '--max-pages', '50', '--every', '24'], {}))
      .toMatchObject({ command: 'crawl', url: 'https://help.example.com/', pageOnly: false, maxPages: 50, every: 24, wait: true });
    expect(parseCli(['crawl', 'https://example.com/faq', '-a', 'demo', '--page-only', '--no-wait'], {})).toMatchObject({ pageOnly: true, wait: false });
    expect(parseCli(['sync', 'src_123', '-a', 'demo'], {})).toMatchObject({ command: 'sync', source: 'src_123', wait: true });
    expect(() => parseCli(['crawl', 'ftp://example.com/', '-a', 'demo'], {})).toThrow(/http\(s\) URL/);
    expect(() => parseCli(['crawl', 'https://a.example/', 'https://b.example/', '-a', 'demo'], {})).toThrow(/one URL/);
    expect(() => parseCli(['crawl', 'https://a.example/', '-a', 'demo', '--max-pages', 'many'], {})).toThrow(/--max-pages must be a number/);
    expect(() => parseCli(['crawl', 'https://a.example/', '-a', 'demo', '--page-only', '--max-pages', '5'], {})).toThrow(/does not go with --page-only/);
    expect(() => parseCli(['crawl', 'https://a.example/', '-a', 'demo', '--title', 'T'], {})).toThrow(/--title is not an option of crawl/);
    expect(() => parseCli(['crawl', 'https://a.example/', '-a', 'demo', '--kind', 'podcast'], {})).toThrow(/--kind/);
    expect(() => parseCli(['sync', '-a', 'demo'], {})).toThrow(/name the source to re-sync/);
    expect(() => parseCli(['fetch', 'x'], {})).toThrow(/unknown command fetch/);
  });

  it('a usage error exits 2 with the usage, and an API that does not answer says how to start it', async () => {
    const out = capture();
    const err = capture();
    expect(await main(['crawl', 'https://a.example/'], { out: out.output, err: err.output }, {})).toBe(2);
    expect(err.text()).toMatch(/--agent <agentId> is required[\s\S]*Usage:/);
    const err2 = capture();
    expect(await main(['sync', 'src_1', '-a', 'x', '--api', 'http://127.0.0.1:9'], { out: out.output, err: err2.output }, {})).toBe(2);
    expect(err2.text()).toMatch(/cannot reach the API at http:\/\/127\.0\.0\.1:9 .*start it with npm start/);
    expect(err2.text()).not.toContain('Usage:');
  });

  it('a path that does not exist is a usage error before anything is sent', async () => {
    const args = parseCli(['ingest', '/nonexistent/file.pdf', '--agent', 'x'], {});
    if (args === 'help' || args.command !== 'ingest') throw new Error('unexpected parse');
    await expect(runIngest(args, { out: { write: () => true }, err: { write: () => true } })).rejects.toThrow(/does not exist/);
  });

  it('the progress bar fills and fits the terminal', () => {
    expect(renderBar({ done: 1, files: 4, bytes: 512 * 1024, totalBytes: 1024 * 1024, current: 'handbook.pdf' }))
      .toBe(`[${'█'.repeat(12)}${'░'.repeat(12)}] 1/4 files · 0.5/1.0 MB · handbook.pdf`);
    expect(renderBar({ done: 0, files: 1, bytes: 0, totalBytes: 10, current: 'x'.repeat(200) }, 60)).toHaveLength(59);
    expect(barLine(3, 'over')).toBe(`[${'█'.repeat(24)}] over`);
  });
});
