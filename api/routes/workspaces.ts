import { Hono } from 'hono';
import { createKey } from '../../db/api-keys.js';
import { createWorkspace, listWorkspaces, type Workspace as StoredWorkspace } from '../../db/workspaces.js';
import { recordAudit } from '../../db/audit.js';
import type { ApiDeps } from '../deps.js';
import type { AppEnv } from '../env.js';
import { allow } from '../middleware/roles.js';
import { CreateWorkspace, CreatedWorkspace, Workspace } from '../schemas.js';
import { jsonBody } from '../validate.js';

function present(w: StoredWorkspace) {
  return Workspace.parse({ id: w.id, name: w.name, createdAt: w.createdAt.toISOString() });
}

/** Workspaces are the install's tenants: only the root key makes them. */
export function workspaceRoutes({ db }: ApiDeps) {
  return new Hono<AppEnv>()
    .post('/', allow('root'), async (c) => {
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
    .get('/', allow('root'), async (c) => c.json({ workspaces: (await listWorkspaces(db)).map(present) }));
}
