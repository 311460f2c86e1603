/** Who the calling key is: its role, its workspace and, for a user key, its person (the inbox page signs in with it). */
import { allow } from '../middleware/roles.js';
import { json, openApiRouter, v1Route } from '../openapi.js';
import { Me } from '../schemas.js';

const me = v1Route({
  method: 'get', path: '/', operationId: 'getMe', tags: ['api-keys'],
  summary: "Who this key is: its role and workspace, and a user key's person",
  middleware: [allow('admin', 'channel', 'widget', 'user')],
  responses: { 200: json(Me, "The key's role, workspace and person") },
});

export function meRoutes() {
  return openApiRouter().openapi(me, (c) => {
    const { role, workspaceId, user } = c.get('principal');
    return c.json(Me.parse({ role, workspaceId, ...(user ? { user } : {}) }), 200);
  });
}
