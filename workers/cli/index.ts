/**
 * The `customer-agent` command: `ingest` uploads files, `crawl` adds a site or page and watches its sync,
 * `sync` re-syncs a source now. Exit code 0 when everything worked, 1 when some of it failed, 2 for a
 * usage error or an API it cannot reach.
 */
import { parseArgs } from 'node:util';
import { EXTENSIONS } from '../../knowledge/extract/extensions.js';
import { ApiFailure, DEFAULT_API, UsageError, type Io } from './api.js';
import { IngestArgs, runIngest } from './ingest.js';
import { CrawlArgs, runCrawl, runSync, SyncArgs } from './sync.js';

export const USAGE = `Usage:
  customer-agent ingest <file or folder…> --agent <agentId> [--kind <kind>] [--title <title>]
  customer-agent crawl <url> --agent <agentId> [--page-only] [--max-pages <n>] [--kind <kind>] [--every <hours>] [--no-wait]
  customer-agent sync <sourceId> --agent <agentId> [--no-wait]

  ingest        uploads files to the agent's knowledge (POST /v1/agents/<id>/files); folders are
                searched for: ${Object.keys(EXTENSIONS).map((e) => `.${e}`).join(' ')}
  crawl         adds a site (same host, sitemap, robots.txt obeyed) or with --page-only one page,
                and shows the sync's progress until it ends, then what was skipped and why
  sync          re-syncs a URL or site source now and shows its progress

  --agent, -a   the agent (required)
  --api         the API base URL (default: $CUSTOMER_AGENT_API or ${DEFAULT_API})
  --key, -k     an admin API key (default: $CUSTOMER_AGENT_API_KEY; npm start prints one)
  --kind        source kind: article, website_page, landing_page, blog_post, file, url
  --title       title for the file (ingest, a single file only; default: the document's own title)
  --max-pages   most pages of a site to keep (default 1000)
  --every       hours between scheduled re-syncs; 0 syncs only on demand
  --no-wait     return once the sync is started
`;

const OPTIONS = {
  agent: { type: 'string', short: 'a' },
  api: { type: 'string' },
  key: { type: 'string', short: 'k' },
  kind: { type: 'string' },
  title: { type: 'string' },
  'page-only': { type: 'boolean' },
  'max-pages': { type: 'string' },
  every: { type: 'string' },
  'no-wait': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options each command takes besides --agent and --api. */
const TAKES: Record<string, readonly string[]> = {
  ingest: ['kind', 'title'],
  crawl: ['kind', 'page-only', 'max-pages', 'every', 'no-wait'],
  sync: ['no-wait'],
};

export type CliArgs = IngestArgs | CrawlArgs | SyncArgs;

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const [command, ...rest] = positionals;
  const takes = TAKES[command!];
  if (!takes) throw new UsageError(`unknown command ${command}; the commands are ingest, crawl and sync`);
  const foreign = Object.keys(values).find((k) => k !== 'agent' && k !== 'api' && k !== 'key' && !takes.includes(k));
  if (foreign) throw new UsageError(`--${foreign} is not an option of ${command}`);
  const key = values.key ?? env.CUSTOMER_AGENT_API_KEY;
  const common = { agent: values.agent, api: values.api ?? env.CUSTOMER_AGENT_API ?? DEFAULT_API, ...(key ? { key } : {}) };
  if (command !== 'ingest' && rest.length > 1) throw new UsageError(`${command} takes one ${command === 'crawl' ? 'URL' : 'source id'}; got ${rest.length}`);
  const result = command === 'ingest'
    ? IngestArgs.safeParse({ command, paths: rest, ...common, kind: values.kind, title: values.title })
    : command === 'crawl'
      ? CrawlArgs.safeParse({
        command, url: rest[0], ...common, pageOnly: values['page-only'] ?? false, maxPages: values['max-pages'],
        kind: values.kind, every: values.every, wait: !values['no-wait'],
      })
      : SyncArgs.safeParse({ command, source: rest[0], ...common, wait: !values['no-wait'] });
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path[0] === 'kind' ? '--kind: ' : '';
    throw new UsageError(`${field}${issue?.message ?? 'invalid arguments'}`);
  }
  return result.data;
}

export async function main(argv: readonly string[], io: Io = { out: process.stdout, err: process.stderr }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const args = parseCli(argv, env);
    if (args === 'help') {
      io.out.write(USAGE);
      return 0;
    }
    if (args.command === 'ingest') return (await runIngest(args, io)).failed > 0 ? 1 : 0;
    const report = args.command === 'crawl' ? await runCrawl(args, io) : await runSync(args, io);
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`customer-agent: ${err.message}\n${err.showUsage ? `\n${USAGE}` : ''}`);
      return 2;
    }
    if (err instanceof ApiFailure) {
      io.err.write(`customer-agent: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
