/**
 * A conversation terminated from the Temporal UI or CLI runs no more code, so its workflow cannot close
 * its row. The worker looks now and then for conversations that ended that way (terminated or timed out)
 * and closes them in the database too. Idempotent: any number of workers may run it side by side.
 */
import type { Client } from '@temporalio/client';
import type { Queryable } from '../db/types.js';

export interface Reconciler {
  /** One pass now: the conversations closed in the database by it. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startReconciler(o: { client: Client; db: Queryable; intervalMs: number; log: (line: Record<string, unknown>) => void }): Reconciler {
  // Look back over a few intervals, so a pass that failed or a worker that restarted misses nothing.
  let since = new Date(Date.now() - Math.max(3600_000, 3 * o.intervalMs));
  let running: Promise<number> | undefined;

  async function pass(): Promise<number> {
    const from = since;
    const startedAt = new Date();
    const query = `WorkflowType = 'conversation' AND ExecutionStatus IN ('Terminated', 'TimedOut') AND CloseTime > '${from.toISOString()}'`;
    let closed = 0;
    for await (const wf of o.client.workflow.list({ query })) {
      const { rowCount } = await o.db.query(
        `UPDATE conversations SET status = 'closed', assignee_id = NULL, closed_at = now(), updated_at = now()
          WHERE workflow_id = $1 AND status <> 'closed'`,
        [wf.workflowId],
      );
      closed += rowCount ?? 0;
    }
    since = new Date(startedAt.getTime() - 2 * o.intervalMs);
    if (closed > 0) o.log({ level: 'info', msg: 'closed conversations whose workflows were terminated', closed });
    return closed;
  }

  const runOnce = () => {
    running ??= pass().finally(() => { running = undefined; });
    return running;
  };
  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => o.log({ level: 'warn', msg: 'reconciling terminated conversations failed; will retry', error: String(err) }));
  }, o.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
