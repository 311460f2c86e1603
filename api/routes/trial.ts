import { getWorkspace, type Workspace } from '../../db/workspaces.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { TrialView } from '../billing-schemas.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';

const optIn = v1Route({
  method: 'post', path: '/', operationId: 'startTrial', tags: ['billing'],
  summary: 'Opt the workspace in to the free trial (once); it starts at the first deployment of an active agent (at once if one is deployed)',
  middleware: [allow('admin')],
  responses: { 201: json(TrialView, 'The trial'), ...errors(409, 503) },
});
const read = v1Route({
  method: 'get', path: '/', operationId: 'getTrial', tags: ['billing'], summary: 'Where the trial stands: status, start, end and reminder',
  middleware: [allow('admin')],
  responses: { 200: json(TrialView, 'The trial') },
});

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

/** The workspace's trial: opt in once; it starts at the first deployment of an active agent and runs its durable course. */
export function trialRoutes({ db, trial }: ApiDeps) {
  async function workspace(workspaceId: string): Promise<Workspace> {
    const w = await getWorkspace(db, workspaceId);
    if (!w) throw new ApiError('workspace_not_found', `workspace ${workspaceId} does not exist`);
    return w;
  }

  return openApiRouter()
    .openapi(optIn, async (c) => {
      if (!trial) throw new ApiError('unavailable', 'the trial needs its workflow; start the API with a Temporal connection');
      const { workspaceId } = c.get('principal');
      if (!(await trial.optIn(workspaceId))) {
        const { status } = (await workspace(workspaceId)).trial;
        throw new ApiError('conflict', `this workspace has already opted in to the trial (it is ${status}); a workspace has one trial`);
      }
      await audit(c, db, 'trial.opted_in', { type: 'workspace', id: workspaceId });
      return c.json(presentTrial(await workspace(workspaceId)), 201);
    })
    .openapi(read, async (c) => c.json(presentTrial(await workspace(c.get('principal').workspaceId)), 200));
}
