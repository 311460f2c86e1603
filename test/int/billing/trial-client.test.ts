import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createTrialClient } from '../../../api/trial-client.js';
import { createAgent } from '../../../db/agents.js';
import { createDeployment, deleteDeployment, listDeployments } from '../../../db/deployments.js';
import { createSecretBox } from '../../../db/secret-box.js';
import type { Db } from '../../../db/types.js';
import { createWorkspace, getWorkspace, setTrial } from '../../../db/workspaces.js';
import { DEFAULT_WHEN_UNAVAILABLE } from '../../../domain/deployment.js';
import { ALL_HOURS } from '../../../domain/hours.js';
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
const box = createSecretBox(randomBytes(32).toString('hex'));

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
    const agent = await createAgent(db, { name: 'Signals', workspaceId: ws.id });
    const t = fakeTemporal({ signalFails: new WorkflowNotFoundError('not found', `trial:${ws.id}`, undefined) });
    const trial = createTrialClient({ client: t.client, taskQueue: 'q', db, durations });
    await trial.deployed(ws.id, { agentId: agent.id }); // no trial
    expect(t.calls).toEqual([]);
    await setTrial(db, ws.id, { status: 'pending' });
    await trial.deployed(ws.id, { agentId: agent.id }); // pending, workflow not there yet: ignored
    expect(t.calls).toEqual([`signal deployed trial:${ws.id}`]);
    await setTrial(db, ws.id, { status: 'active' });
    await trial.deployed(ws.id, { agentId: agent.id });
    expect(t.calls).toHaveLength(1);
  });

  it('signals nothing while no active agent of the workspace has a live deployment', async () => {
    const ws = await createWorkspace(db, { name: 'undeployed' });
    await setTrial(db, ws.id, { status: 'pending' });
    const agent = await createAgent(db, { name: 'Undeployed', workspaceId: ws.id });
    const [chat] = await listDeployments(db, box, agent.id);
    await deleteDeployment(db, agent.id, chat!.id);
    const t = fakeTemporal();
    const trial = createTrialClient({ client: t.client, taskQueue: 'q', db, durations });
    await trial.deployed(ws.id, { agentId: agent.id }); // switched on, but deployed nowhere
    const paused = await createAgent(db, { name: 'Paused', workspaceId: ws.id, offReason: 'trial_ended' });
    await trial.deployed(ws.id, { agentId: paused.id, channel: 'chat' }); // deployed, but switched off
    expect(t.calls).toEqual([]);
    await createDeployment(db, box, ws.id, agent.id, { channel: 'chat', settings: {}, secrets: {}, hours: ALL_HOURS, whenUnavailable: DEFAULT_WHEN_UNAVAILABLE });
    await trial.deployed(ws.id, { agentId: agent.id, channel: 'chat' });
    expect(t.calls).toEqual([`signal deployed trial:${ws.id}`]);
  });

  it('any other signal failure reaches the caller', async () => {
    const ws = await createWorkspace(db, { name: 'signal fails' });
    await createAgent(db, { name: 'Signal fails', workspaceId: ws.id });
    await setTrial(db, ws.id, { status: 'pending' });
    const t = fakeTemporal({ signalFails: new Error('deadline exceeded') });
    await expect(createTrialClient({ client: t.client, taskQueue: 'q', db, durations }).deployed(ws.id, {})).rejects.toThrow(/deadline/);
  });
});
