import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrialActivities } from '../../../activities/trial.js';
import { createAgent, getAgent } from '../../../db/agents.js';
import { listAudit } from '../../../db/audit.js';
import { listEvents } from '../../../db/events.js';
import type { Db } from '../../../db/types.js';
import { createWorkspace, getWorkspace, setCreditsEnabled } from '../../../db/workspaces.js';
import type { WorkspaceEvent } from '../../../domain/events.js';
import { trialWorkflowId } from '../../../workflows/workspace-trial.contract.js';
import { openTestDb } from '../../support/db.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });

async function workspaceWithAgent(name: string) {
  const ws = await createWorkspace(db, { name });
  const agent = await createAgent(db, { name: `${name} agent`, workspaceId: ws.id });
  return { key: { workspaceId: ws.id, trialId: trialWorkflowId(ws.id) }, agentId: agent.id };
}

describe('the trial\'s activities, retried as Temporal retries them', () => {
  it('a reminder retried after it was stored is one event and one audit entry', async () => {
    const { key } = await workspaceWithAgent('remind-twice');
    const trial = createTrialActivities({ db });
    await trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' });
    await trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' });
    expect(await listEvents(db, key.workspaceId, { limit: 10 })).toMatchObject([{ type: 'trial.ending_soon', data: { endsAt: '2026-04-07T09:15:00.000Z' } }]);
    const audit = await listAudit(db, key.workspaceId, { limit: 10 });
    expect(audit.filter((e) => e.action === 'trial.ending_soon')).toHaveLength(1);
    expect((await getWorkspace(db, key.workspaceId))?.trial.remindedAt).toBeInstanceOf(Date);
  });

  it('a notifier that fails once gets the same event again on the retry, which stores nothing new', async () => {
    const { key } = await workspaceWithAgent('notify-fails');
    const seen: WorkspaceEvent[] = [];
    let failures = 1;
    const trial = createTrialActivities({
      db,
      notifier: {
        async notify(event) {
          seen.push(event);
          if (failures-- > 0) throw new Error('SMTP server unavailable');
        },
      },
    });
    await expect(trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' })).rejects.toThrow(/SMTP/);
    await trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[0]!.id).toBe(`${key.trialId}:trial.ending_soon`);
    expect(await listEvents(db, key.workspaceId, { limit: 10 })).toHaveLength(1);
  });

  it('the end switches the workspace\'s active agents off, and only that workspace\'s', async () => {
    const { key, agentId } = await workspaceWithAgent('end-off');
    const bystander = await workspaceWithAgent('bystander');
    const trial = createTrialActivities({ db });
    expect(await trial.endTrial(key)).toEqual({ creditsEnabled: false, switchedOff: [agentId] });
    expect(await getAgent(db, agentId)).toMatchObject({ status: 'paused', offReason: 'trial_ended' });
    expect(await getAgent(db, bystander.agentId)).toMatchObject({ status: 'active' });
    expect((await getWorkspace(db, key.workspaceId))?.trial.status).toBe('ended');
    // A retry after the commit: nothing left to switch off, the event stays the first attempt's.
    expect(await trial.endTrial(key)).toEqual({ creditsEnabled: false, switchedOff: [] });
    expect(await listEvents(db, key.workspaceId, { type: 'trial.ended', limit: 10 })).toMatchObject([{ data: { switchedOff: [agentId] } }]);
  });

  it('with credits enabled the end switches nothing off', async () => {
    const { key, agentId } = await workspaceWithAgent('end-credits');
    await setCreditsEnabled(db, key.workspaceId, true);
    expect(await createTrialActivities({ db }).endTrial(key)).toEqual({ creditsEnabled: true, switchedOff: [] });
    expect(await getAgent(db, agentId)).toMatchObject({ status: 'active' });
  });

  it('a workspace that does not exist is a refusal the workflow does not retry', async () => {
    await expect(createTrialActivities({ db }).endTrial({ workspaceId: 'ws_gone', trialId: 'trial:ws_gone' }))
      .rejects.toMatchObject({ type: 'WorkspaceNotFound', nonRetryable: true });
  });
});
