import { createAgent, listAgents, updateAgent, type Agent as StoredAgent } from '../../db/agents.js';
import { getWorkspace } from '../../db/workspaces.js';
import type { AgentSettings } from '../../domain/agent.js';
import { DEFAULT_CRM } from '../../domain/contact.js';
import { DEFAULT_HANDOFF, type AssignTo } from '../../domain/handoff.js';
import { unknownTeams, unknownUsers } from '../../db/people.js';
import type { Queryable } from '../../db/types.js';
import { audit } from '../audit.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { Agent, AgentIdParam, AgentList, AgentProfile, CreateAgent, ListAgentsQuery, UpdateAgent } from '../schemas.js';
import { jsonBody, query } from '../validate.js';
import { z } from 'zod';

export function presentAgent(a: StoredAgent) {
  return Agent.parse({
    id: a.id,
    workspaceId: a.workspaceId,
    name: a.name,
    ...(a.personality ? { personality: a.personality } : {}),
    defaultLanguage: a.defaultLanguage,
    settings: withoutParts(a.settings),
    handoff: a.settings.handoff ?? DEFAULT_HANDOFF,
    crm: a.settings.crm ?? DEFAULT_CRM,
    ...(a.settings.leadQualification ? { leadQualification: a.settings.leadQualification } : {}),
    status: a.status,
    ...(a.offReason ? { pausedReason: a.offReason } : {}),
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
  });
}

/** Settings the API shows and takes as top-level fields of the agent, stored with the other settings. */
const PARTS = ['handoff', 'crm', 'leadQualification'] as const;
type Part = (typeof PARTS)[number];

function withoutParts(settings: AgentSettings) {
  const { handoff: _handoff, crm: _crm, leadQualification: _lead, ...rest } = settings ?? {};
  return rest;
}

/**
 * The settings after a change: `settings` replaces the plain ones, and each part given replaces its own
 * (null removes it); the rest is kept.
 */
function mergeSettings(current: AgentSettings, settings: AgentSettings | undefined, parts: { [P in Part]?: AgentSettings[P] | null }): AgentSettings | undefined {
  if (settings === undefined && PARTS.every((p) => parts[p] === undefined)) return undefined;
  const next: AgentSettings = { ...(settings ?? withoutParts(current)) };
  for (const p of PARTS) {
    const value = parts[p] === undefined ? current[p] : parts[p];
    if (value !== null && value !== undefined) Object.assign(next, { [p]: value });
  }
  return next;
}

/** A lead's target must be people and teams of the workspace: a qualified lead is never sent nowhere. */
async function checkAssignTo(db: Queryable, workspaceId: string, assignTo: AssignTo | undefined, field: string): Promise<void> {
  if (!assignTo || assignTo.type === 'unassigned') return;
  const missing = assignTo.type === 'users' ? await unknownUsers(db, workspaceId, assignTo.ids) : await unknownTeams(db, workspaceId, assignTo.ids);
  if (missing.length > 0) {
    throw new ApiError('invalid_request', `${field}.ids: ${assignTo.type === 'users' ? 'person' : 'team'} ${missing[0]} does not exist`, `${field}.ids`);
  }
}

const AgentCursor = z.object({ after: z.string().min(1).max(128) });

const create = v1Route({
  method: 'post', path: '/', operationId: 'createAgent', tags: ['agents'], summary: 'Create an agent',
  middleware: [allow('admin')],
  request: { body: jsonRequest(CreateAgent) },
  responses: { 201: json(Agent, 'The new agent'), ...errors(400, 413, 415, 422) },
});
const list = v1Route({
  method: 'get', path: '/', operationId: 'listAgents', tags: ['agents'], summary: "List the workspace's agents, oldest first, a page at a time",
  middleware: [allow('admin', 'user')],
  request: { query: ListAgentsQuery },
  responses: { 200: json(AgentList, 'A page of agents; nextCursor when there are more'), ...errors(422) },
});
const read = v1Route({
  method: 'get', path: '/{agentId}', operationId: 'getAgent', tags: ['agents'], summary: 'Read an agent',
  middleware: [allow('admin', 'user')],
  request: { params: AgentIdParam },
  responses: { 200: json(Agent, 'The agent') },
});
const profile = v1Route({
  method: 'get', path: '/{agentId}/profile', operationId: 'getAgentProfile', tags: ['agents'],
  summary: 'What a chat widget shows before the first message: the name, language, greeting and whether the agent answers',
  middleware: [allow('admin', 'channel', 'widget', 'user')],
  request: { params: AgentIdParam },
  responses: { 200: json(AgentProfile, "The agent's public profile") },
});
const update = v1Route({
  method: 'patch', path: '/{agentId}', operationId: 'updateAgent', tags: ['agents'],
  summary: 'Change an agent: name, personality, language, settings, or pause and reactivate it (also an archived one)',
  description: 'Switching an agent on (`status: active`) after the free trial ended without credits is a 409 until credits are enabled (PATCH /v1/billing).',
  middleware: [allow('admin')],
  request: { params: AgentIdParam, body: jsonRequest(UpdateAgent) },
  responses: { 200: json(Agent, 'The changed agent'), ...errors(400, 409, 413, 415, 422) },
});
const archive = v1Route({
  method: 'delete', path: '/{agentId}', operationId: 'archiveAgent', tags: ['agents'],
  summary: 'Archive an agent: it stops answering, its knowledge and transcripts stay; PATCH {status: active} restores it',
  middleware: [allow('admin')],
  request: { params: AgentIdParam },
  responses: { 200: json(Agent, 'The archived agent') },
});

export function agentRoutes(deps: ApiDeps) {
  const { db } = deps;
  const trialOver = async (workspaceId: string) => {
    const w = await getWorkspace(db, workspaceId);
    return w?.trial.status === 'ended' && !w.creditsEnabled;
  };
  // The agent is saved either way; a pending trial that misses this signal finds the agent when it next looks.
  const activated = (workspaceId: string, agentId: string) => deps.trial?.deployed(workspaceId, { agentId }).catch((err: unknown) => {
    console.error(JSON.stringify({ level: 'warn', msg: 'could not tell the trial an agent went live', workspaceId, error: String(err) }));
  });
  return openApiRouter()
    .openapi(create, async (c) => {
      const body = await jsonBody(c, CreateAgent);
      const { workspaceId } = c.get('principal');
      // After a trial ended without credits, new agents start switched off, like the ones the trial paused.
      const off = (await trialOver(workspaceId)) ? { offReason: 'trial_ended' as const } : {};
      const { handoff, crm, leadQualification, settings, ...rest } = body;
      await checkAssignTo(db, workspaceId, leadQualification?.assignTo, 'leadQualification.assignTo');
      const agent = await createAgent(db, {
        ...rest, settings: { ...settings, ...(handoff ? { handoff } : {}), ...(crm ? { crm } : {}), ...(leadQualification ? { leadQualification } : {}) }, workspaceId, ...off,
      });
      await audit(c, db, 'agent.created', { type: 'agent', id: agent.id }, { name: agent.name });
      if (agent.status === 'active') await activated(workspaceId, agent.id);
      return c.json(presentAgent(agent), 201);
    })
    .openapi(list, async (c) => {
      const q = query(c, ListAgentsQuery);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, AgentCursor);
      const agents = await listAgents(db, c.get('principal').workspaceId, { limit: limit + 1, ...(q.status ? { status: q.status } : {}), ...(after ? { after: after.after } : {}) });
      const page = agents.slice(0, limit);
      const last = page.at(-1);
      return c.json(AgentList.parse({
        agents: page.map(presentAgent),
        ...(agents.length > limit && last ? { nextCursor: encodeCursor({ after: last.id }) } : {}),
      }), 200);
    })
    .openapi(read, (c) => c.json(presentAgent(c.get('agent')), 200))
    // What a chat widget shows before the first message: the name, language and greeting; no other setting.
    .openapi(profile, (c) => {
      const a = c.get('agent');
      return c.json(AgentProfile.parse({
        id: a.id, name: a.name, defaultLanguage: a.defaultLanguage, available: a.status === 'active',
        ...(a.settings.greeting ? { greeting: a.settings.greeting } : {}),
      }), 200);
    })
    .openapi(update, async (c) => {
      const changes = await jsonBody(c, UpdateAgent);
      const { workspaceId } = c.get('principal');
      const agent = c.get('agent');
      if (changes.status === 'active' && agent.status !== 'active' && (await trialOver(workspaceId))) {
        throw new ApiError('conflict', 'the free trial has ended: enable credits (PATCH /v1/billing {"creditsEnabled": true}) to switch agents on', 'status');
      }
      const { handoff, crm, leadQualification, settings, ...rest } = changes;
      await checkAssignTo(db, workspaceId, leadQualification?.assignTo, 'leadQualification.assignTo');
      // settings, handoff, crm and leadQualification are stored together: each replaces its own part and keeps the others.
      const merged = mergeSettings(agent.settings, settings, { handoff, crm, leadQualification });
      const updated = await updateAgent(db, workspaceId, agent.id, { ...rest, ...(merged ? { settings: merged } : {}) });
      if (!updated) throw new ApiError('agent_not_found', `agent ${agent.id} does not exist`, 'agentId');
      await audit(c, db, 'agent.updated', { type: 'agent', id: agent.id }, { changes });
      if (updated.status === 'active') await activated(workspaceId, updated.id);
      return c.json(presentAgent(updated), 200);
    })
    // Agents are archived, not deleted: knowledge and transcripts stay; PATCH {status: 'active'} restores it.
    .openapi(archive, async (c) => {
      const agent = c.get('agent');
      const updated = await updateAgent(db, agent.workspaceId, agent.id, { status: 'archived' });
      if (!updated) throw new ApiError('agent_not_found', `agent ${agent.id} does not exist`, 'agentId');
      await audit(c, db, 'agent.archived', { type: 'agent', id: agent.id });
      return c.json(presentAgent(updated), 200);
    });
}
