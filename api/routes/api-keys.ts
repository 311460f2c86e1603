import { createKey, getKey, listKeys, revokeKey, type ApiKey as StoredKey } from '../../db/api-keys.js';
import { unknownAgents } from '../../db/agents.js';
import { getUser } from '../../db/people.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { ApiKey, ApiKeyList, CreateApiKey, CreatedApiKey, KeyIdParam } from '../schemas.js';
import { jsonBody, params } from '../validate.js';

export function presentKey(k: StoredKey) {
  return ApiKey.parse({
    id: k.id,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    ...(k.agentIds ? { agentIds: k.agentIds } : {}),
    ...(k.role === 'widget' ? { allowedOrigins: k.allowedOrigins } : {}),
    ...(k.userId ? { userId: k.userId } : {}),
    createdAt: k.createdAt.toISOString(),
    ...(k.lastUsedAt ? { lastUsedAt: k.lastUsedAt.toISOString() } : {}),
  });
}

const create = v1Route({
  method: 'post', path: '/', operationId: 'createApiKey', tags: ['api-keys'],
  summary: "Create an API key: admin (configuration), channel (messages for its agents), widget (public, bound to browser origins) or user (one person's key to the inbox: {userId}); the key is in this answer only",
  middleware: [allow('admin')],
  request: { body: jsonRequest(CreateApiKey) },
  responses: { 201: json(CreatedApiKey, 'The new key, with the key itself (shown once)'), ...errors(400, 413, 415, 422) },
});
const list = v1Route({
  method: 'get', path: '/', operationId: 'listApiKeys', tags: ['api-keys'], summary: "List the workspace's live keys (never the keys themselves)",
  middleware: [allow('admin')],
  responses: { 200: json(ApiKeyList, 'The keys') },
});
const read = v1Route({
  method: 'get', path: '/{keyId}', operationId: 'getApiKey', tags: ['api-keys'], summary: 'Read an API key (never the key itself)',
  middleware: [allow('admin')],
  request: { params: KeyIdParam },
  responses: { 200: json(ApiKey, 'The key'), ...errors(422) },
});
const revoke = v1Route({
  method: 'delete', path: '/{keyId}', operationId: 'revokeApiKey', tags: ['api-keys'], summary: 'Revoke an API key: it stops working at once',
  middleware: [allow('admin')],
  request: { params: KeyIdParam },
  responses: { 204: { description: 'Revoked' }, ...errors(422) },
});

export function apiKeyRoutes({ db }: ApiDeps) {
  return openApiRouter()
    .openapi(create, async (c) => {
      const body = await jsonBody(c, CreateApiKey);
      const p = c.get('principal');
      if (body.agentIds) {
        // A key may only name agents of its own workspace; another's are as unknown as missing ones.
        const [missing] = await unknownAgents(db, p.workspaceId, body.agentIds);
        if (missing) throw new ApiError('invalid_request', `agentIds: agent ${missing} does not exist`, 'agentIds');
      }
      // Another workspace's person is as unknown as a missing one.
      if (body.userId && !(await getUser(db, p.workspaceId, body.userId))) {
        throw new ApiError('invalid_request', `userId: person ${body.userId} does not exist in this workspace`, 'userId');
      }
      const { key, record } = await createKey(db, { ...body, workspaceId: p.workspaceId, createdBy: p.keyId });
      await audit(c, db, 'key.created', { type: 'api_key', id: record.id }, { name: record.name, role: record.role, prefix: record.prefix, ...(record.userId ? { userId: record.userId } : {}) });
      return c.json(CreatedApiKey.parse({ ...presentKey(record), key }), 201);
    })
    .openapi(list, async (c) => {
      const keys = await listKeys(db, c.get('principal').workspaceId);
      return c.json({ apiKeys: keys.map(presentKey) }, 200);
    })
    .openapi(read, async (c) => {
      const { keyId } = params(c, KeyIdParam);
      const key = await getKey(db, c.get('principal').workspaceId, keyId);
      if (!key || key.revokedAt) throw new ApiError('key_not_found', `API key ${keyId} does not exist`, 'keyId');
      return c.json(presentKey(key), 200);
    })
    .openapi(revoke, async (c) => {
      const { keyId } = params(c, KeyIdParam);
      if (!(await revokeKey(db, c.get('principal').workspaceId, keyId))) throw new ApiError('key_not_found', `API key ${keyId} does not exist`, 'keyId');
      await audit(c, db, 'key.revoked', { type: 'api_key', id: keyId });
      return c.body(null, 204);
    });
}
