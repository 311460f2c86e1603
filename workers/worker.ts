/**
 * The Temporal worker for conversations. The workflow bundle is built once per process and reused,
 * because bundling takes seconds and every worker in a process runs the same code.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { Runtime } from './runtime.js';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  return bundle;
}

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  runtime: Pick<Runtime, 'db' | 'graph'>;
  faultDelayMs?: number;
  /** For tests: a second worker per process must not share the first one's identity. */
  identity?: string;
}

export async function createConversationWorker(options: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db: options.runtime.db, graph: options.runtime.graph, faultDelayMs: options.faultDelayMs ?? 0 }),
    ...(options.identity ? { identity: options.identity } : {}),
  });
  return { worker, connection };
}
