/**
 * Runs `temporal server start-dev` as a child process (SQLite, Web UI) with our search attributes, and
 * registers those attributes on clusters we did not start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/conversation.contract.js';
import { readDynamicConfig, type DynamicConfig } from './temporal-config.js';

export interface DevServerOptions {
  binary: string;
  /** Frontend gRPC port; a free one when absent. */
  port?: number;
  /** Web UI port; a free one when absent. Ignored when headless. */
  uiPort?: number;
  /** SQLite file that persists state; absent means a temp file removed by stop(). */
  dbFile?: string;
  headless?: boolean;
  namespace?: string;
  /** Temporal's dynamic config file; temporal.yaml at the repository's root when absent. */
  dynamicConfigFile?: string;
  /** Values on top of the file's. */
  dynamicConfig?: DynamicConfig;
  /** Receives every line the server prints. */
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  stop(graceMs?: number): Promise<void>;
}

type SearchAttributeType = (typeof SEARCH_ATTRIBUTES)[number]['type'] | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';
/** Numeric values of temporal.api.enums.v1.IndexedValueType. */
const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = { Text: 1, Keyword: 2, Int: 3, Double: 4, Bool: 5, Datetime: 6, KeywordList: 7 };
const GRPC_ALREADY_EXISTS = 6;
/** PERMISSION_DENIED, UNIMPLEMENTED, UNAUTHENTICATED: the cluster will not let us manage its attributes. */
const GRPC_REFUSED = new Set([7, 12, 16]);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const helpCache = new Map<string, string>();
/** True when nothing listens on host:port yet (127.0.0.1 by default). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * The dev server's ports for `npm start`: the configured ones where free, else none (startDevServer then
 * takes free ones), with a line saying so. A second `npm start` beside a running one thus gets its own
 * gRPC port and Web UI.
 */
export async function chooseDevServerPorts(
  wanted: { port: number; uiPort: number },
  isFree: (port: number) => Promise<boolean> = portIsFree,
): Promise<{ port?: number; uiPort?: number; notes: string[] }> {
  const notes: string[] = [];
  const port = await isFree(wanted.port) ? wanted.port : undefined;
  if (port === undefined) notes.push(`Temporal gRPC port ${wanted.port} is in use (another npm start?); taking a free one (TEMPORAL_PORT chooses)`);
  const uiPort = await isFree(wanted.uiPort) ? wanted.uiPort : undefined;
  if (uiPort === undefined) notes.push(`Temporal Web UI port ${wanted.uiPort} is in use (another npm start?); taking a free one (TEMPORAL_UI_PORT chooses)`);
  return { ...(port !== undefined ? { port } : {}), ...(uiPort !== undefined ? { uiPort } : {}), notes };
}

function supportsFlag(binary: string, flag: string): boolean {
  let help = helpCache.get(binary);
  if (help === undefined) {
    const r = spawnSync(binary, ['server', 'start-dev', '--help'], { encoding: 'utf8' });
    help = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    helpCache.set(binary, help);
  }
  return help.includes(flag);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  // Ports we choose can be taken between probe and bind: retry with new ones, never with given ones.
  const attempts = options.port === undefined || (!options.headless && options.uiPort === undefined) ? 3 : 1;
  for (let i = 1; ; i++) {
    try {
      return await startOnce(options);
    } catch (e) {
      if (i >= attempts || !/address already in use/i.test(String(e))) throw e;
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const { binary, headless = false, namespace = 'default', startTimeoutMs = 60_000 } = options;
  const port = options.port ?? (await freePort());
  const uiPort = headless ? undefined : (options.uiPort ?? (await freePort()));
  const tmpDir = options.dbFile ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'temporal-dev-'));
  const dbFile = options.dbFile ?? path.join(tmpDir!, 'temporal.db');
  if (options.dbFile) await fs.mkdir(path.dirname(path.resolve(options.dbFile)), { recursive: true });

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile, '--namespace', namespace];
  if (headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (!headless && supportsFlag(binary, '--ui-disable-news-fetch')) args.push('--ui-disable-news-fetch');
  for (const a of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${a.name}=${a.type}`);
  // temporal.yaml holds what a production cluster is given too; the caller's values (tests) come on top.
  const dyn = { ...(await readDynamicConfig(options.dynamicConfigFile)), ...options.dynamicConfig };
  // Values are JSON: strings must be quoted.
  for (const [k, v] of Object.entries(dyn)) args.push('--dynamic-config-value', `${k}=${JSON.stringify(v)}`);
  // WAL + synchronous=NORMAL: far fewer fsyncs; a power loss may drop the last commits, never corrupts.
  if (supportsFlag(binary, '--sqlite-pragma')) args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.log?.(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    // A spawn failure emits no 'exit': without this, stop() would wait forever.
    child.on('error', (e) => {
      if (child.pid === undefined) {
        spawnError = e;
        resolve({ code: null, signal: null });
      }
    });
  });
  // A server orphaned by a crashed parent would hold its ports forever.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> =>
    (stopping ??= (async () => {
      await terminate(child, exited, graceMs);
      process.off('exit', killOnExit);
      if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
    })());

  const address = `127.0.0.1:${port}`;
  try {
    await waitReady(address, exited, startTimeoutMs, () => spawnError);
  } catch (e) {
    await stop(2_000);
    throw new Error(`Temporal dev server (${binary} ${args.join(' ')}) did not start: ${(e as Error).message}\n--- last server output ---\n${tail.join('\n')}`, { cause: e });
  }
  return { address, uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined, stop };
}

class ServerExited extends Error {}

async function waitReady(
  address: string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
  spawnError: () => Error | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const died = exited.then((x) => {
    throw new ServerExited(spawnError()?.message ?? `server exited (code ${x.code}, signal ${x.signal})`);
  });
  died.catch(() => undefined);
  let lastError: unknown;
  while (Date.now() < deadline) {
    // A fresh lazy connection per attempt, always closed: Connection.connect() leaks its channel when it
    // fails, and an RPC without a deadline can hang forever on a socket that accepts but never answers.
    // No interceptors = no SDK retry timer, which would fire on the closed channel and crash the process.
    const connection = Connection.lazy({ address, interceptors: [] });
    try {
      await Promise.race([died, connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}))]);
      return;
    } catch (e) {
      if (e instanceof ServerExited) throw e;
      lastError = e;
    } finally {
      await connection.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`frontend at ${address} did not answer within ${timeoutMs} ms (last error: ${String(lastError)})`);
}

async function terminate(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Registering was refused (no permission, e.g. Temporal Cloud): the message names the attributes
 * missing and the command that creates them.
 */
export class SearchAttributesRefusedError extends Error {}

type SearchAttribute = { name: string; type: SearchAttributeType };

/** The `temporal` command that creates these attributes (one per type). */
export function createSearchAttributesCommand(address: string | undefined, namespace: string, attributes: readonly SearchAttribute[]): string {
  const types = [...new Set(attributes.map((a) => a.type))];
  return types.map((type) => ['temporal operator search-attribute create', ...(address ? [`--address ${address}`] : []), `--namespace ${namespace}`,
    ...attributes.filter((a) => a.type === type).map((a) => `--name ${a.name}`), `--type ${type}`].join(' ')).join('\n');
}

/**
 * What the production roles run at start: without these attributes every conversation start fails.
 * Registers the missing ones (idempotent: attributes already there are left alone, also when another
 * process registers them at the same moment). When the cluster refuses to register them, throws
 * SearchAttributesRefusedError saying exactly what to create; when it refuses even to list them, warns
 * with the same command and goes on (they may well exist).
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  options: { address?: string; warn?: (line: string) => void; attributes?: readonly SearchAttribute[] } = {},
): Promise<void> {
  const attributes = options.attributes ?? SEARCH_ATTRIBUTES;
  const how = (missing: readonly SearchAttribute[]) =>
    `${missing.map((a) => `${a.name} (${a.type})`).join(', ')}. Create them once with:\n  `
    + createSearchAttributesCommand(options.address, namespace, missing).replaceAll('\n', '\n  ')
    + '\n(on Temporal Cloud: in the namespace\'s settings, in the Cloud UI or with tcld)';
  try {
    await registerSearchAttributes(connection, namespace, attributes);
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code === undefined || !GRPC_REFUSED.has(code)) throw e;
    let missing: readonly SearchAttribute[];
    try {
      const existing = await connection.operatorService.listSearchAttributes({ namespace });
      const have = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
      missing = attributes.filter((a) => !have.has(a.name));
    } catch {
      options.warn?.(`Temporal did not let us check the search attributes of namespace ${namespace} (${(e as Error).message}). `
        + `If messages fail with "search attribute … is not defined", these are missing: ${how(attributes)}`);
      return;
    }
    throw new SearchAttributesRefusedError(`Temporal refused to register the search attributes conversations need in namespace ${namespace} `
      + `(${(e as Error).message}). Missing: ${how(missing)}`);
  }
}

/** Adds our search attributes to an existing cluster's namespace; attributes already there are left alone. */
export async function registerSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  attributes: readonly { name: string; type: SearchAttributeType }[] = SEARCH_ATTRIBUTES,
): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const have = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  const missing = attributes.filter((a) => !have.has(a.name));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((a) => [a.name, INDEXED_VALUE_TYPE[a.type]])),
    });
  } catch (e) {
    // Another process registered them between our list and add.
    if ((e as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw e;
  }
}
