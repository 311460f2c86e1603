/** The workspace's identity secret: host sites sign their customers' emails with it (api/identity-token.ts). */
import { identitySecretStatus, rotateIdentitySecret } from '../../db/identity.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { IDENTITY_TOKEN_RULE, IdentitySecret, IdentitySecretStatus } from '../identity-schemas.js';
import { allow } from '../middleware/roles.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';

const rotate = v1Route({
  method: 'post', path: '/secret', operationId: 'rotateIdentitySecret', tags: ['identity'],
  summary: 'Make the identity secret (a new one replaces the old: tokens made with it stop verifying at once)',
  description: `Host sites that know their customer send \`customer: {email, identityToken}\` with identityToken = ${IDENTITY_TOKEN_RULE}. `
    + 'The secret is in this answer only; it is stored encrypted under SECRETS_KEY.',
  middleware: [allow('admin')],
  responses: { 201: json(IdentitySecret, 'The new secret (shown once)'), ...errors(503) },
});
const read = v1Route({
  method: 'get', path: '/secret', operationId: 'getIdentitySecret', tags: ['identity'],
  summary: 'Whether the workspace has an identity secret, and since when (never the secret)',
  middleware: [allow('admin')],
  responses: { 200: json(IdentitySecretStatus, 'Whether one is configured') },
});

export function identityRoutes({ db, secrets }: ApiDeps) {
  return openApiRouter()
    .openapi(rotate, async (c) => {
      if (!secrets) throw new ApiError('unavailable', 'this API runs without SECRETS_KEY, so it cannot keep an identity secret: set SECRETS_KEY (openssl rand -hex 32) and restart');
      const { workspaceId } = c.get('principal');
      const secret = await db.transaction(async (tx) => {
        const made = await rotateIdentitySecret(tx, secrets, workspaceId);
        // Never the secret: only that there is a new one.
        await audit(c, tx, made.first ? 'identity_secret.created' : 'identity_secret.rotated', { type: 'workspace', id: workspaceId });
        return made.secret;
      });
      return c.json(IdentitySecret.parse({ secret }), 201);
    })
    .openapi(read, async (c) => {
      const status = await identitySecretStatus(db, c.get('principal').workspaceId);
      return c.json(IdentitySecretStatus.parse({
        configured: status.configured,
        ...(status.createdAt ? { createdAt: status.createdAt.toISOString() } : {}),
        ...(status.rotatedAt ? { rotatedAt: status.rotatedAt.toISOString() } : {}),
      }), 200);
    });
}
