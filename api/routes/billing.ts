import { switchOffAgents, switchOnAgents } from '../../db/agents.js';
import { getWorkspace, setCreditsEnabled } from '../../db/workspaces.js';
import { audit } from '../audit.js';
import { Billing, UpdateBilling } from '../billing-schemas.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { jsonBody } from '../validate.js';

const read = v1Route({
  method: 'get', path: '/', operationId: 'getBilling', tags: ['billing'], summary: 'Whether credits (pay per conversation) are enabled',
  middleware: [allow('admin')],
  responses: { 200: json(Billing, 'The billing settings') },
});
const update = v1Route({
  method: 'patch', path: '/', operationId: 'updateBilling', tags: ['billing'],
  summary: "Enable or disable credits; after the trial's end this switches the agents it paused back on (or off again)",
  middleware: [allow('admin')],
  request: { body: jsonRequest(UpdateBilling) },
  responses: { 200: json(Billing, 'The billing settings'), ...errors(400, 413, 415, 422) },
});

/**
 * Credits (pay per conversation). After the trial has ended, agents answer only while credits are enabled:
 * enabling them switches back on exactly the agents the trial's end switched off, disabling them switches
 * the active ones off again for the same reason. Agents a person paused stay as they are.
 */
export function billingRoutes({ db }: ApiDeps) {
  return openApiRouter()
    .openapi(read, async (c) => {
      const w = await getWorkspace(db, c.get('principal').workspaceId);
      if (!w) throw new ApiError('workspace_not_found', `workspace ${c.get('principal').workspaceId} does not exist`);
      return c.json(Billing.parse({ creditsEnabled: w.creditsEnabled }), 200);
    })
    .openapi(update, async (c) => {
      const { creditsEnabled } = await jsonBody(c, UpdateBilling);
      const { workspaceId } = c.get('principal');
      // The UPDATE locks the workspace row until commit, so the trial's end (which locks it too) sees
      // either the old setting and its agents, or the new one.
      const w = await db.transaction(async (tx) => {
        const w = await setCreditsEnabled(tx, workspaceId, creditsEnabled);
        if (!w) throw new ApiError('workspace_not_found', `workspace ${workspaceId} does not exist`);
        let agents: { reactivated?: string[]; switchedOff?: string[] } = {};
        if (w.trial.status === 'ended') {
          agents = creditsEnabled
            ? { reactivated: await switchOnAgents(tx, workspaceId, 'trial_ended') }
            : { switchedOff: await switchOffAgents(tx, workspaceId, 'trial_ended') };
        }
        await audit(c, tx, 'billing.updated', { type: 'workspace', id: workspaceId }, { creditsEnabled, ...agents });
        return w;
      });
      return c.json(Billing.parse({ creditsEnabled: w.creditsEnabled }), 200);
    });
}
