import {
  EmailTakenError, createUser, getUser, listUsers, openConversationCounts, removeUser, unknownTeams, updateUser, type User as StoredUser,
} from '../../db/people.js';
import type { Queryable } from '../../db/types.js';
import { isWithinHours } from '../../domain/hours.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { CreateUser, ListUsersQuery, UpdateUser, User, UserIdParam, UserList } from '../people-schemas.js';
import { jsonBody, params, query } from '../validate.js';

export function presentUser(u: StoredUser, open: number, now: Date) {
  return User.parse({
    id: u.id,
    name: u.name,
    email: u.email,
    teamIds: u.teamIds,
    ...(u.workingHours ? { workingHours: u.workingHours } : {}),
    available: !u.workingHours || isWithinHours(u.workingHours, now),
    openConversations: open,
    ...(u.lastAssignedAt ? { lastAssignedAt: u.lastAssignedAt.toISOString() } : {}),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  });
}

const create = v1Route({
  method: 'post', path: '/', operationId: 'createUser', tags: ['people'],
  summary: 'Add a person who can take conversations over: their teams (queues) and working hours',
  middleware: [allow('admin')],
  request: { body: jsonRequest(CreateUser) },
  responses: { 201: json(User, 'The new person'), ...errors(400, 409, 413, 415, 422) },
});
const list = v1Route({
  method: 'get', path: '/', operationId: 'listUsers', tags: ['people'],
  summary: "List the workspace's people, oldest first; ?teamId= only that team's members",
  middleware: [allow('admin', 'user')],
  request: { query: ListUsersQuery },
  responses: { 200: json(UserList, 'The people'), ...errors(422) },
});
const read = v1Route({
  method: 'get', path: '/{userId}', operationId: 'getUser', tags: ['people'], summary: 'Read a person, with whether they are available now',
  middleware: [allow('admin', 'user')],
  request: { params: UserIdParam },
  responses: { 200: json(User, 'The person'), ...errors(422) },
});
const update = v1Route({
  method: 'patch', path: '/{userId}', operationId: 'updateUser', tags: ['people'],
  summary: 'Change a person: name, email, teams (replaced), working hours (null clears them)',
  middleware: [allow('admin')],
  request: { params: UserIdParam, body: jsonRequest(UpdateUser) },
  responses: { 200: json(User, 'The changed person'), ...errors(400, 409, 413, 415, 422) },
});
const remove = v1Route({
  method: 'delete', path: '/{userId}', operationId: 'deleteUser', tags: ['people'],
  summary: "Remove a person: the conversations they own go back to their team's queue, and their keys stop working",
  middleware: [allow('admin')],
  request: { params: UserIdParam },
  responses: { 204: { description: 'Removed' }, ...errors(422) },
});

/** Teams named in a body must be the workspace's own; another workspace's are as unknown as missing ones. */
async function checkTeams(db: Queryable, workspaceId: string, teamIds: readonly string[] | undefined): Promise<void> {
  const missing = teamIds ? await unknownTeams(db, workspaceId, teamIds) : [];
  if (missing.length > 0) throw new ApiError('invalid_request', `teamIds: team ${missing[0]} does not exist`, 'teamIds');
}

function emailTaken<T>(write: Promise<T>): Promise<T> {
  return write.catch((err: unknown) => {
    if (err instanceof EmailTakenError) throw new ApiError('conflict', err.message, 'email');
    throw err;
  });
}

const notFound = (userId: string) => new ApiError('user_not_found', `person ${userId} does not exist`, 'userId');

/** People of the workspace: who takes a conversation over from the agent, and when they are available. */
export function userRoutes(deps: ApiDeps) {
  const { db } = deps;
  async function present(users: StoredUser[]) {
    const open = await openConversationCounts(db, users.map((u) => u.id));
    const now = new Date();
    return users.map((u) => presentUser(u, open.get(u.id) ?? 0, now));
  }

  return openApiRouter()
    .openapi(create, async (c) => {
      const body = await jsonBody(c, CreateUser);
      const { workspaceId } = c.get('principal');
      await checkTeams(db, workspaceId, body.teamIds);
      const user = await emailTaken(db.transaction((tx) => createUser(tx, workspaceId, body)));
      await audit(c, db, 'user.created', { type: 'user', id: user.id }, { name: user.name, email: user.email, teamIds: user.teamIds });
      return c.json((await present([user]))[0]!, 201);
    })
    .openapi(list, async (c) => {
      const q = query(c, ListUsersQuery);
      const { workspaceId } = c.get('principal');
      if (q.teamId && (await unknownTeams(db, workspaceId, [q.teamId])).length > 0) {
        throw new ApiError('invalid_request', `teamId: team ${q.teamId} does not exist`, 'teamId');
      }
      const users = await listUsers(db, workspaceId, q.teamId ? { teamId: q.teamId } : {});
      return c.json({ users: await present(users) }, 200);
    })
    .openapi(read, async (c) => {
      const { userId } = params(c, UserIdParam);
      const user = await getUser(db, c.get('principal').workspaceId, userId);
      if (!user) throw notFound(userId);
      return c.json((await present([user]))[0]!, 200);
    })
    .openapi(update, async (c) => {
      const { userId } = params(c, UserIdParam);
      const body = await jsonBody(c, UpdateUser);
      const { workspaceId } = c.get('principal');
      if (!(await getUser(db, workspaceId, userId))) throw notFound(userId);
      await checkTeams(db, workspaceId, body.teamIds);
      const user = await emailTaken(db.transaction((tx) => updateUser(tx, workspaceId, userId, body)));
      if (!user) throw notFound(userId);
      await audit(c, db, 'user.updated', { type: 'user', id: userId }, { changed: Object.keys(body).sort() });
      return c.json((await present([user]))[0]!, 200);
    })
    .openapi(remove, async (c) => {
      const { userId } = params(c, UserIdParam);
      const removed = await removeUser(db, c.get('principal').workspaceId, userId);
      if (!removed) throw notFound(userId);
      // The database is requeued already; each running conversation is told, so its own state agrees.
      for (const r of removed.requeued) if (r.workflowId) await deps.conversations.requeue(r.workflowId, userId);
      await audit(c, db, 'user.deleted', { type: 'user', id: userId }, {
        requeued: removed.requeued.map((r) => ({ agentId: r.agentId, conversationId: r.conversationId })),
        ...(removed.revokedKeys.length > 0 ? { revokedKeys: removed.revokedKeys } : {}),
      });
      return c.body(null, 204);
    });
}
