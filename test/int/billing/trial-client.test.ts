import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrialClient } from '../../../api/trial-client.js';
import type { Db } from '../../../db/types.js';
import { createWorkspace, getWorkspace, setTrial } from '../../../db/workspaces.js';
import { openTestDb } from '../../support/db.js';

// A stand-in for the Temporal client: records what the trial client asks of it, fails where told.
function fakeTemporal(o: { startFails?: Error; signalFails?: Error } = {}) {
  const calls: string[] = [];
  const client = {
    workflow: {
      async start(_type: string, options: { workflowId: string }) {
        calls.push(`start ${options.workflowId}`);
        if (o.startFails) throw o.startFails;
      },
      getHandle(workflowId: string) {
        return {
          async signal(def: { name: string }) {
            calls.push(`signal ${def.name} ${workflowId}`);
            if (o.signalFails) throw o.signalFails;
          },
        };
      },
    },
  };
  return { calls, client: client as unknown as Client };
}

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });

const durations = { durationMs: 10_000, reminderBeforeMs: 5_000 };

describe('the API\'s trial client', () => {
  it('when Temporal refuses to start the trial, the opt-in is undone so the workspace can try again', async () => {
    const ws = await createWorkspace(db, { name: 'start fails' });
    const down = fakeTemporal({ startFails: new Error('connection refused') });
    await expect(createTrialClient({ client: down.client, taskQueue: 'q', db, durations }).optIn(ws.id)).rejects.toThrow(/refused/);
    expect((await getWorkspace(db, ws.id))?.trial.status).toBe('none');

    const up = fakeTemporal();
    expect(await createTrialClient({ client: up.client, taskQueue: 'q', db, durations }).optIn(ws.id)).toBe(true);
    expect(up.calls).toEqual([`start trial:${ws.id}`]);
    expect(await createTrialClient({ client: up.client, taskQueue: 'q', db, durations }).optIn(ws.id)).toBe(false);
    expect(up.calls).toHaveLength(1);
  });

  it('signals a deployment only to a pending trial, and a trial not started yet is no error', async () => {
    const ws = await createWorkspace(db, { name: 'signals' });
    const t = fakeTemporal({ signalFails: new WorkflowNotFoundError('not found', `trial:${ws.id}`, undefined) });
    const trial = createTrialClient({ client: t.client, taskQueue: 'q', db, durations });
    await trial.agentActivated(ws.id); // no trial
    expect(t.calls).toEqual([]);
    await setTrial(db, ws.id, { status: 'pending' });
    await trial.agentActivated(ws.id); // pending, workflow not there yet: ignored
    expect(t.calls).toEqual([`signal deployed trial:${ws.id}`]);
    await setTrial(db, ws.id, { status: 'active' });
    await trial.agentActivated(ws.id);
    expect(t.calls).toHaveLength(1);
  });

  it('any other signal failure reaches the caller', async () => {
    const ws = await createWorkspace(db, { name: 'signal fails' });
    await setTrial(db, ws.id, { status: 'pending' });
    const t = fakeTemporal({ signalFails: new Error('deadline exceeded') });
    await expect(createTrialClient({ client: t.client, taskQueue: 'q', db, durations }).agentActivated(ws.id)).rejects.toThrow(/deadline/);
  });
});
