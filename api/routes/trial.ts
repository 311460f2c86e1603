import { Hono } from 'hono';
import { getWorkspace, type Workspace } from '../../db/workspaces.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { TrialView } from '../billing-schemas.js';

export function presentTrial(w: Workspace) {
  const t = w.trial;
  return TrialView.parse({
    status: t.status,
    ...(t.startedAt ? { startedAt: t.startedAt.toISOString() } : {}),
    ...(t.endsAt ? { endsAt: t.endsAt.toISOString() } : {}),
    ...(t.reminderAt ? { reminderAt: t.reminderAt.toISOString() } : {}),
    creditsEnabled: w.creditsEnabled,
  });
}

/** The workspace's trial: opt in once; it starts when the first agent goes live and runs its durable course. */
export function trialRoutes({ db, trial }: ApiDeps) {
  async function workspace(workspaceId: string): Promise<Workspace> {
    const w = await getWorkspace(db, workspaceId);
    if (!w) throw new ApiError('workspace_not_found', `workspace ${workspaceId} does not exist`);
    return w;
  }

  return new Hono<AppEnv>()
    .post('/', allow('admin'), async (c) => {
      if (!trial) throw new ApiError('unavailable', 'the trial needs its workflow; start the API with a Temporal connection');
      const { workspaceId } = c.get('principal');
      if (!(await trial.optIn(workspaceId))) {
        const { status } = (await workspace(workspaceId)).trial;
        throw new ApiError('conflict', `this workspace has already opted in to the trial (it is ${status}); a workspace has one trial`);
      }
      await audit(c, db, 'trial.opted_in', { type: 'workspace', id: workspaceId });
      return c.json(presentTrial(await workspace(workspaceId)), 201);
    })
    .get('/', allow('admin'), async (c) => c.json(presentTrial(await workspace(c.get('principal').workspaceId))));
}
