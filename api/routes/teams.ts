import { createTeam, getTeam, listTeams, removeTeam, renameTeam, type Team as StoredTeam } from '../../db/people.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { CreateTeam, Team, TeamIdParam, TeamList, UpdateTeam } from '../people-schemas.js';
import { jsonBody, params } from '../validate.js';

export function presentTeam(t: StoredTeam) {
  return Team.parse({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString() });
}

const create = v1Route({
  method: 'post', path: '/', operationId: 'createTeam', tags: ['people'], summary: 'Create a team: a queue handed-off conversations wait in',
  middleware: [allow('admin')],
  request: { body: jsonRequest(CreateTeam) },
  responses: { 201: json(Team, 'The new team'), ...errors(400, 413, 415, 422) },
});
const list = v1Route({
  method: 'get', path: '/', operationId: 'listTeams', tags: ['people'], summary: "List the workspace's teams, oldest first",
  middleware: [allow('admin', 'user')],
  responses: { 200: json(TeamList, 'The teams') },
});
const read = v1Route({
  method: 'get', path: '/{teamId}', operationId: 'getTeam', tags: ['people'], summary: 'Read a team (its members: GET /v1/users?teamId=)',
  middleware: [allow('admin', 'user')],
  request: { params: TeamIdParam },
  responses: { 200: json(Team, 'The team'), ...errors(422) },
});
const update = v1Route({
  method: 'patch', path: '/{teamId}', operationId: 'updateTeam', tags: ['people'], summary: 'Rename a team',
  middleware: [allow('admin')],
  request: { params: TeamIdParam, body: jsonRequest(UpdateTeam) },
  responses: { 200: json(Team, 'The renamed team'), ...errors(400, 413, 415, 422) },
});
const remove = v1Route({
  method: 'delete', path: '/{teamId}', operationId: 'deleteTeam', tags: ['people'], summary: 'Delete a team: its members stay, without this membership; conversations in its queue move to the unassigned queue (a person who owns one keeps it)',
  middleware: [allow('admin')],
  request: { params: TeamIdParam },
  responses: { 204: { description: 'Deleted' }, ...errors(422) },
});

const notFound = (teamId: string) => new ApiError('team_not_found', `team ${teamId} does not exist`, 'teamId');

/** Teams of the workspace: the queues handed-off conversations wait in until a member takes them. */
export function teamRoutes({ db, conversations }: ApiDeps) {
  return openApiRouter()
    .openapi(create, async (c) => {
      const { name } = await jsonBody(c, CreateTeam);
      const team = await createTeam(db, c.get('principal').workspaceId, name);
      await audit(c, db, 'team.created', { type: 'team', id: team.id }, { name });
      return c.json(presentTeam(team), 201);
    })
    .openapi(list, async (c) => c.json({ teams: (await listTeams(db, c.get('principal').workspaceId)).map(presentTeam) }, 200))
    .openapi(read, async (c) => {
      const { teamId } = params(c, TeamIdParam);
      const team = await getTeam(db, c.get('principal').workspaceId, teamId);
      if (!team) throw notFound(teamId);
      return c.json(presentTeam(team), 200);
    })
    .openapi(update, async (c) => {
      const { teamId } = params(c, TeamIdParam);
      const { name } = await jsonBody(c, UpdateTeam);
      const team = await renameTeam(db, c.get('principal').workspaceId, teamId, name);
      if (!team) throw notFound(teamId);
      await audit(c, db, 'team.updated', { type: 'team', id: teamId }, { name });
      return c.json(presentTeam(team), 200);
    })
    .openapi(remove, async (c) => {
      const { teamId } = params(c, TeamIdParam);
      const removed = await removeTeam(db, c.get('principal').workspaceId, teamId);
      if (!removed) throw notFound(teamId);
      // The database has moved them already; each running conversation is told, so its own state agrees.
      for (const r of removed.unteamed) if (r.workflowId) await conversations.teamRemoved(r.workflowId, teamId);
      await audit(c, db, 'team.deleted', { type: 'team', id: teamId }, removed.unteamed.length > 0
        ? { unassigned: removed.unteamed.map((r) => ({ agentId: r.agentId, conversationId: r.conversationId })) }
        : {});
      return c.body(null, 204);
    });
}
