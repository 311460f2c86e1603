/**
 * `customer-agent ingest <path…> --agent <id> [--api http://127.0.0.1:3000]`: uploads files (folders are
 * walked for supported extensions) through the HTTP API, one request per file. Going through the API and
 * not the database is deliberate: it works while `npm start` holds the embedded PGlite open, against a
 * remote server, and with exactly the checks an upload gets. A progress bar is drawn on a terminal;
 * otherwise one plain line per file. Exit code 0 when every file was ingested, 1 when any failed, 2 for
 * a usage error or an unreachable API.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EXTENSIONS, extensionOf } from '../knowledge/extract/sniff.js';

const USAGE = `Usage: customer-agent ingest <file or folder…> --agent <agentId> [--api <url>] [--kind <kind>] [--title <title>]

Uploads files to an agent's knowledge through the API (POST /v1/agents/<id>/files).
Folders are searched recursively for: ${Object.keys(EXTENSIONS).map((e) => `.${e}`).join(' ')}

  --agent, -a   the agent to add the files to (required)
  --api         the API base URL (default: $CUSTOMER_AGENT_API or http://127.0.0.1:3000)
  --kind        source kind: article, website_page, landing_page, blog_post, file (default: file)
  --title       title for the file (only with a single file; default: the document's own title or its name)
`;

const Args = z.object({
  command: z.literal('ingest', { error: 'the only command is ingest' }),
  paths: z.array(z.string().min(1)).min(1, 'name at least one file or folder'),
  agent: z.string({ error: '--agent <agentId> is required' }).min(1).max(128),
  api: z.url({ error: '--api must be a URL such as http://127.0.0.1:3000' }),
  kind: z.enum(['article', 'website_page', 'landing_page', 'blog_post', 'file']).optional(),
  title: z.string().trim().min(1).max(500).optional(),
}).refine((a) => !a.title || a.paths.length === 1, { message: '--title works with a single file only', path: ['title'] });
export type IngestArgs = z.infer<typeof Args>;

const Uploaded = z.object({ files: z.array(z.object({ id: z.string(), title: z.string(), chunks: z.number(), type: z.string() })) });
const Failure = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface IngestReport {
  ok: number;
  failed: number;
  chunks: number;
}

export class UsageError extends Error {}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): IngestArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        agent: { type: 'string', short: 'a' },
        api: { type: 'string' },
        kind: { type: 'string' },
        title: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const result = Args.safeParse({
    command: positionals[0],
    paths: positionals.slice(1),
    agent: values.agent,
    api: values.api ?? env.CUSTOMER_AGENT_API ?? 'http://127.0.0.1:3000',
    kind: values.kind,
    title: values.title,
  });
  if (!result.success) throw new UsageError(result.error.issues[0]?.message ?? 'invalid arguments');
  return result.data;
}

/** Files named directly are sent whatever their extension (the server reads the bytes); folders contribute supported files. */
export async function collectFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && EXTENSIONS[extensionOf(e.name)]) out.push(p);
    }
  };
  for (const p of paths) {
    const full = resolve(p);
    const s = await stat(full).catch(() => undefined);
    if (!s) throw new UsageError(`${p} does not exist`);
    if (s.isDirectory()) await walk(full);
    else out.push(full);
  }
  return [...new Set(out)];
}

export async function runIngest(args: IngestArgs, io: { out: Output; err: Output }): Promise<IngestReport> {
  const api = args.api.replace(/\/+$/, '');
  const files = await collectFiles(args.paths);
  if (files.length === 0) throw new UsageError('no supported files found in the given paths');
  await reachable(api);

  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const progress = createProgress(io.err, files.length, total);
  const report: IngestReport = { ok: 0, failed: 0, chunks: 0 };
  const started = performance.now();

  for (const [i, file] of files.entries()) {
    const name = basename(file);
    progress.start(name);
    const line = await uploadOne(api, args, file, name);
    if (line.ok) {
      report.ok++;
      report.chunks += line.chunks;
    } else report.failed++;
    progress.log(io.out, line.text);
    progress.done(sizes[i]!);
  }
  progress.finish();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.out.write(`ingested ${report.ok} of ${files.length} file${files.length === 1 ? '' : 's'} (${report.chunks} chunks) in ${seconds} s`
    + `${report.failed ? `; ${report.failed} failed` : ''}\n`);
  return report;
}

async function reachable(api: string): Promise<void> {
  try {
    const res = await fetch(`${api}/healthz`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`status ${res.status}`);
  } catch (err) {
    throw new UsageError(`cannot reach the API at ${api} (${(err as Error).message}); start it with npm start, or pass --api`);
  }
}

async function uploadOne(api: string, args: IngestArgs, file: string, name: string): Promise<{ ok: true; chunks: number; text: string } | { ok: false; text: string }> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(await readFile(file))]), name);
  if (args.title) form.set('title', args.title);
  if (args.kind) form.set('kind', args.kind);
  let res: Response;
  try {
    res = await fetch(`${api}/v1/agents/${encodeURIComponent(args.agent)}/files`, { method: 'POST', body: form });
  } catch (err) {
    return { ok: false, text: `failed ${name}: the API did not answer (${(err as Error).message})` };
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.ok) {
    const parsed = Uploaded.safeParse(body);
    const f = parsed.success ? parsed.data.files[0] : undefined;
    if (f) return { ok: true, chunks: f.chunks, text: `ok     ${name} → ${f.id} (${f.type}, ${f.chunks} chunk${f.chunks === 1 ? '' : 's'}, "${f.title}")` };
    return { ok: false, text: `failed ${name}: unexpected answer from the API` };
  }
  const failure = Failure.safeParse(body);
  return { ok: false, text: `failed ${name}: ${failure.success ? `${failure.data.error.message} (${res.status} ${failure.data.error.code})` : `status ${res.status}`}` };
}

const BAR_WIDTH = 24;

/** The bar line: "[████████░░░░] 3/10 files · 1.2/4.5 MB · handbook.pdf", fitted to the terminal width. */
export function renderBar(state: { done: number; files: number; bytes: number; totalBytes: number; current?: string }, columns = 80): string {
  const fraction = state.totalBytes > 0 ? state.bytes / state.totalBytes : state.files > 0 ? state.done / state.files : 1;
  const filled = Math.round(Math.min(1, fraction) * BAR_WIDTH);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const line = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${state.done}/${state.files} files · ${mb(state.bytes)}/${mb(state.totalBytes)} MB${state.current ? ` · ${state.current}` : ''}`;
  return line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
}

function createProgress(err: Output, files: number, totalBytes: number) {
  const tty = Boolean(err.isTTY);
  const state = { done: 0, files, bytes: 0, totalBytes, current: undefined as string | undefined };
  const draw = () => {
    if (tty) err.write(`\r\x1b[2K${renderBar(state, err.columns || 80)}`);
  };
  return {
    start(name: string) {
      state.current = name;
      draw();
    },
    /** A result line above the bar (on a terminal), or simply a line. */
    log(out: Output, text: string) {
      if (tty) err.write('\r\x1b[2K');
      out.write(`${text}\n`);
      draw();
    },
    done(bytes: number) {
      state.done++;
      state.bytes += bytes;
      state.current = undefined;
      draw();
    },
    finish() {
      if (tty) err.write('\r\x1b[2K');
    },
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    const report = await runIngest(args, { out: process.stdout, err: process.stderr });
    return report.failed > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`customer-agent: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await main(process.argv.slice(2));
}
