/** Where an agent answers: its deployments on channels, with hours and encrypted secrets. */
import { CHANNEL_SETTINGS } from '../../channels/settings.js';
import {
  AccountTakenError, createDeployment, deleteDeployment, getDeployment, listDeployments, updateDeployment, type Deployment as Stored,
} from '../../db/deployments.js';
import { DEFAULT_WHEN_UNAVAILABLE, type DeployableChannel } from '../../domain/deployment.js';
import { ALL_HOURS } from '../../domain/hours.js';
import { audit } from '../audit.js';
import {
  CreateDeployment, CreatedDeployment, Deployment, DeploymentList, DeploymentParams, UpdateDeployment,
} from '../deployment-schemas.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, fromZodError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { AgentIdParam as AgentParams } from '../schemas.js';
import { jsonBody, params } from '../validate.js';

const create = v1Route({
  method: 'post', path: '/{agentId}/deployments', operationId: 'createDeployment', tags: ['deployments'],
  summary: 'Deploy the agent on a channel (chat, email, whatsapp, messenger, custom), with hours and what customers get outside them',
  middleware: [allow('admin')],
  request: { params: AgentParams, body: jsonRequest(CreateDeployment) },
  responses: { 201: json(CreatedDeployment, 'The deployment (secrets never returned; a secret the install made is in this answer only)'), ...errors(400, 409, 413, 415, 422, 503) },
});
const list = v1Route({
  method: 'get', path: '/{agentId}/deployments', operationId: 'listDeployments', tags: ['deployments'], summary: "The agent's live deployments",
  middleware: [allow('admin')],
  request: { params: AgentParams },
  responses: { 200: json(DeploymentList, 'The deployments'), ...errors(422, 503) },
});
const read = v1Route({
  method: 'get', path: '/{agentId}/deployments/{deploymentId}', operationId: 'getDeployment', tags: ['deployments'], summary: 'Read a deployment (never its secrets)',
  middleware: [allow('admin')],
  request: { params: DeploymentParams },
  responses: { 200: json(Deployment, 'The deployment'), ...errors(422, 503) },
});
const update = v1Route({
  method: 'patch', path: '/{agentId}/deployments/{deploymentId}', operationId: 'updateDeployment', tags: ['deployments'],
  summary: "Change a deployment's account, settings (merged; a secret set to '' is removed), hours or what customers get outside them",
  middleware: [allow('admin')],
  request: { params: DeploymentParams, body: jsonRequest(UpdateDeployment) },
  responses: { 200: json(Deployment, 'The deployment'), ...errors(400, 409, 413, 415, 422, 503) },
});
const remove = v1Route({
  method: 'delete', path: '/{agentId}/deployments/{deploymentId}', operationId: 'deleteDeployment', tags: ['deployments'],
  summary: 'Undeploy: the agent stops answering there (messages still arrive and are kept for the team)',
  middleware: [allow('admin')],
  request: { params: DeploymentParams },
  responses: { 204: { description: 'Undeployed' }, ...errors(422) },
});

const notFound = (id: string) => new ApiError('deployment_not_found', `deployment ${id} does not exist`, 'deploymentId');

/** Splits checked settings into the public ones and the secrets, by the channel's spec. */
function checkSettings(channel: DeployableChannel, raw: Record<string, unknown>): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const spec = CHANNEL_SETTINGS[channel];
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error, 'settings');
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.data)) {
    if ((spec.secretKeys as readonly string[]).includes(k)) secrets[k] = String(v);
    else if (v !== undefined) settings[k] = v;
  }
  return { settings, secrets };
}

function checkAccount(channel: DeployableChannel, account: string | undefined): string | undefined {
  const spec = CHANNEL_SETTINGS[channel].account;
  if (!spec) return account;
  if (account === undefined) throw new ApiError('invalid_request', `account: a ${channel} deployment needs ${spec.description}`, 'account');
  const parsed = spec.schema.safeParse(account);
  if (!parsed.success) throw fromZodError(parsed.error, 'account');
  return parsed.data;
}

export function deploymentRoutes({ db, secrets, publicUrl, trial }: ApiDeps) {
  function box() {
    if (!secrets) throw new ApiError('unavailable', 'this API runs without SECRETS_KEY, so it cannot store a deployment: set SECRETS_KEY (openssl rand -hex 32) and restart');
    return secrets;
  }
  function present(d: Stored) {
    const base = publicUrl?.replace(/\/$/, '');
    const endpoints: Record<string, string> = {};
    if (base && (d.channel === 'whatsapp' || d.channel === 'messenger')) endpoints.webhook = `${base}/v1/channels/${d.channel}/webhook`;
    if (base && d.channel === 'custom') endpoints.messages = `${base}/v1/channels/custom/${d.id}/messages`;
    if (base && d.channel === 'email') endpoints.inbound = `${base}/v1/channels/email/inbound`;
    return Deployment.parse({
      id: d.id, agentId: d.agentId, channel: d.channel, ...(d.account ? { account: d.account } : {}), settings: d.settings, secretsSet: d.secretsSet,
      hours: d.hours, whenUnavailable: d.whenUnavailable, ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
      createdAt: d.createdAt, updatedAt: d.updatedAt,
    });
  }

  return openApiRouter()
    .openapi(create, async (c) => {
      const { agentId } = params(c, AgentParams);
      const body = await jsonBody(c, CreateDeployment);
      const account = checkAccount(body.channel, body.account);
      const generated = CHANNEL_SETTINGS[body.channel].generate?.() ?? {};
      const { settings, secrets } = checkSettings(body.channel, { ...generated, ...body.settings });
      const shownOnce = Object.entries(generated).find(([k]) => body.settings?.[k] === undefined)?.[1];
      try {
        const d = await createDeployment(db, box(), c.get('principal').workspaceId, agentId, {
          channel: body.channel, ...(account ? { account } : {}), settings, secrets,
          hours: body.hours ?? ALL_HOURS, whenUnavailable: body.whenUnavailable ?? DEFAULT_WHEN_UNAVAILABLE,
        });
        await audit(c, db, 'deployment.created', { type: 'deployment', id: d.id }, { agentId, channel: d.channel, ...(d.account ? { account: d.account } : {}) });
        // The first deployment of an active agent starts a pending trial. The deployment is saved either way;
        // a missed signal goes again with the next change that deploys.
        await trial?.deployed(d.workspaceId, { agentId, channel: d.channel }).catch((err: unknown) => {
          console.error(JSON.stringify({ level: 'warn', msg: 'could not tell the trial an agent was deployed', workspaceId: d.workspaceId, error: String(err) }));
        });
        return c.json(CreatedDeployment.parse({ ...present(d), ...(typeof shownOnce === 'string' ? { secret: shownOnce } : {}) }), 201);
      } catch (err) {
        if (err instanceof AccountTakenError) throw new ApiError('conflict', err.message, 'account');
        throw err;
      }
    })
    .openapi(list, async (c) => {
      const { agentId } = params(c, AgentParams);
      return c.json({ deployments: (await listDeployments(db, box(), agentId)).map(present) }, 200);
    })
    .openapi(read, async (c) => {
      const { agentId, deploymentId } = params(c, DeploymentParams);
      const d = await getDeployment(db, box(), agentId, deploymentId);
      if (!d) throw notFound(deploymentId);
      return c.json(present(d), 200);
    })
    .openapi(update, async (c) => {
      const { agentId, deploymentId } = params(c, DeploymentParams);
      const body = await jsonBody(c, UpdateDeployment);
      const current = await getDeployment(db, box(), agentId, deploymentId);
      if (!current) throw notFound(deploymentId);
      const account = body.account !== undefined ? checkAccount(current.channel, body.account) : undefined;
      let changes = {};
      if (body.settings) {
        // Checked whole (stored public settings, placeholders for stored secrets, then the change), stored apart.
        const placeholders = Object.fromEntries(current.secretsSet.map((k) => [k, 'stored-secret-placeholder']));
        const removed = Object.entries(body.settings).filter(([, v]) => v === '').map(([k]) => k);
        const merged = { ...current.settings, ...placeholders, ...body.settings };
        for (const k of removed) delete merged[k];
        const { settings, secrets } = checkSettings(current.channel, merged);
        const changedSecrets = Object.fromEntries(Object.entries(secrets).filter(([k]) => typeof body.settings?.[k] === 'string' && body.settings[k] !== ''));
        for (const k of removed) changedSecrets[k] = '';
        changes = { settings, secrets: changedSecrets };
      }
      try {
        const d = await updateDeployment(db, box(), agentId, deploymentId, {
          ...changes, ...(account !== undefined ? { account } : {}),
          ...(body.hours ? { hours: body.hours } : {}), ...(body.whenUnavailable ? { whenUnavailable: body.whenUnavailable } : {}),
        });
        if (!d) throw notFound(deploymentId);
        await audit(c, db, 'deployment.updated', { type: 'deployment', id: d.id }, { agentId, changed: Object.keys(body) });
        return c.json(present(d), 200);
      } catch (err) {
        if (err instanceof AccountTakenError) throw new ApiError('conflict', err.message, 'account');
        throw err;
      }
    })
    .openapi(remove, async (c) => {
      const { agentId, deploymentId } = params(c, DeploymentParams);
      if (!(await deleteDeployment(db, agentId, deploymentId))) throw notFound(deploymentId);
      await audit(c, db, 'deployment.deleted', { type: 'deployment', id: deploymentId }, { agentId });
      return c.body(null, 204);
    });
}
