/**
 * `customer-agent ingest <path…> --agent <id>`: uploads files (folders are walked for supported
 * extensions) through `POST /v1/agents/:id/files`, one request per file, with a progress bar by bytes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { ContentKind } from '../../domain/source.js';
import { EXTENSIONS, extensionOf } from '../../knowledge/extract/extensions.js';
import { ApiFailure, apiClient, UsageError, type ApiClient, type Io } from './api.js';
import { barLine, terminalProgress } from './progress.js';

export const IngestArgs = z.object({
  command: z.literal('ingest'),
  paths: z.array(z.string().min(1)).min(1, 'name at least one file or folder'),
  agent: z.string({ error: '--agent <agentId> is required' }).min(1).max(128),
  api: z.url({ error: '--api must be a URL such as http://127.0.0.1:3000' }),
  key: z.string().min(1).optional(),
  kind: ContentKind.optional(),
  title: z.string().trim().min(1).max(500).optional(),
}).refine((a) => !a.title || a.paths.length === 1, { message: '--title works with a single file only', path: ['title'] });
export type IngestArgs = z.infer<typeof IngestArgs>;

const Uploaded = z.object({ files: z.array(z.object({ id: z.string(), title: z.string(), chunks: z.number(), type: z.string() })).min(1) });

export interface IngestReport {
  ok: number;
  failed: number;
  chunks: number;
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

export async function runIngest(args: IngestArgs, io: Io): Promise<IngestReport> {
  const files = await collectFiles(args.paths);
  if (files.length === 0) throw new UsageError('no supported files found in the given paths');
  const api = apiClient(args.api, args.key);
  await api.reachable();

  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const state = { done: 0, files: files.length, bytes: 0, totalBytes: sizes.reduce((a, b) => a + b, 0), current: undefined as string | undefined };
  const progress = terminalProgress(io.err);
  const draw = () => progress.draw((columns) => renderBar(state, columns));
  const report: IngestReport = { ok: 0, failed: 0, chunks: 0 };
  const started = performance.now();

  for (const [i, file] of files.entries()) {
    const name = basename(file);
    state.current = name;
    draw();
    const line = await uploadOne(api, args, file, name);
    if (line.ok) {
      report.ok++;
      report.chunks += line.chunks;
    } else report.failed++;
    progress.log(io.out, line.text);
    state.done++;
    state.bytes += sizes[i]!;
    state.current = undefined;
    draw();
  }
  progress.finish();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.out.write(`ingested ${report.ok} of ${files.length} file${files.length === 1 ? '' : 's'} (${report.chunks} chunks) in ${seconds} s`
    + `${report.failed ? `; ${report.failed} failed` : ''}\n`);
  return report;
}

async function uploadOne(api: ApiClient, args: IngestArgs, file: string, name: string): Promise<{ ok: true; chunks: number; text: string } | { ok: false; text: string }> {
  const form = {
    file: [new File([new Uint8Array(await readFile(file))], name)],
    ...(args.title ? { title: [args.title] } : {}),
    ...(args.kind ? { kind: args.kind } : {}),
  };
  try {
    const { files: [f] } = await api.read(api.client.v1.agents[':agentId'].files.$post({ param: { agentId: args.agent }, form }), Uploaded);
    return { ok: true, chunks: f!.chunks, text: `ok     ${name} → ${f!.id} (${f!.type}, ${f!.chunks} chunk${f!.chunks === 1 ? '' : 's'}, "${f!.title}")` };
  } catch (err) {
    if (err instanceof ApiFailure) return { ok: false, text: `failed ${name}: ${err.message}` };
    throw err;
  }
}

/** The bar line: "[████████░░░░] 3/10 files · 1.2/4.5 MB · handbook.pdf". */
export function renderBar(state: { done: number; files: number; bytes: number; totalBytes: number; current?: string | undefined }, columns = 80): string {
  const fraction = state.totalBytes > 0 ? state.bytes / state.totalBytes : state.files > 0 ? state.done / state.files : 1;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return barLine(fraction, `${state.done}/${state.files} files · ${mb(state.bytes)}/${mb(state.totalBytes)} MB${state.current ? ` · ${state.current}` : ''}`, columns);
}
