import { createKey } from '../../db/api-keys.js';
import { createWorkspace, listWorkspaces, type Workspace as StoredWorkspace } from '../../db/workspaces.js';
import { recordAudit } from '../../db/audit.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { CreateWorkspace, CreatedWorkspace, Workspace, WorkspaceList } from '../schemas.js';
import { jsonBody } from '../validate.js';

function present(w: StoredWorkspace) {
  return Workspace.parse({ id: w.id, name: w.name, createdAt: w.createdAt.toISOString() });
}

const create = v1Route({
  method: 'post', path: '/', operationId: 'createWorkspace', tags: ['workspaces'],
  summary: 'Create a workspace (root key only); the answer carries its first admin key, shown once',
  middleware: [allow('root')],
  request: { body: jsonRequest(CreateWorkspace) },
  responses: { 201: json(CreatedWorkspace, 'The new workspace and its first admin key'), ...errors(400, 413, 415, 422) },
});
const list = v1Route({
  method: 'get', path: '/', operationId: 'listWorkspaces', tags: ['workspaces'], summary: "List the install's workspaces (root key only)",
  middleware: [allow('root')],
  responses: { 200: json(WorkspaceList, 'The workspaces') },
});

/** Workspaces are the install's tenants: only the root key makes them. */
export function workspaceRoutes({ db }: ApiDeps) {
  return openApiRouter()
    .openapi(create, async (c) => {
      const { name } = await jsonBody(c, CreateWorkspace);
      const p = c.get('principal');
      const { workspace, adminKey } = await db.transaction(async (tx) => {
        const workspace = await createWorkspace(tx, { name });
        const { key, record } = await createKey(tx, { workspaceId: workspace.id, name: 'first admin key', role: 'admin', createdBy: p.keyId });
        await recordAudit(tx, {
          workspaceId: workspace.id, actor: { id: p.keyId, name: p.name }, action: 'workspace.created',
          target: { type: 'workspace', id: workspace.id }, details: { name, adminKeyId: record.id }, requestId: c.get('requestId'),
        });
        return { workspace, adminKey: key };
      });
      return c.json(CreatedWorkspace.parse({ ...present(workspace), adminKey }), 201);
    })
    .openapi(list, async (c) => c.json({ workspaces: (await listWorkspaces(db)).map(present) }, 200));
}
