/**
 * authenticate → (rate limit) → role → agent scope: the one chain every /v1 request passes. This step
 * turns `Authorization: Bearer <key>` into a Principal, and checks a widget key's browser origin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { findKeyBySecret, hashKey } from '../../db/api-keys.js';
import type { Queryable } from '../../db/types.js';
import { getWorkspace } from '../../db/workspaces.js';
import { DEFAULT_WORKSPACE_ID, type Principal } from '../../domain/access.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';

export interface AuthOptions {
  db: Queryable;
  /** The install's root key (ADMIN_API_KEY); compared by hash in constant time, never stored. */
  rootKey: string;
}

/** Root may act in another workspace by naming it; it is the default workspace's admin otherwise. */
export const WORKSPACE_HEADER = 'x-workspace-id';

export function authenticate({ db, rootKey }: AuthOptions): MiddlewareHandler<AppEnv> {
  const rootHash = Buffer.from(hashKey(rootKey), 'hex');
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw new ApiError('unauthorized', header
        ? 'the Authorization header must be "Bearer <key>"'
        : 'this route needs an API key: send it as "Authorization: Bearer <key>"', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    const key = match[1]!;
    let principal: Principal;
    if (timingSafeEqual(Buffer.from(hashKey(key), 'hex'), rootHash)) {
      const workspaceId = c.req.header(WORKSPACE_HEADER) ?? DEFAULT_WORKSPACE_ID;
      if (workspaceId !== DEFAULT_WORKSPACE_ID && !(await getWorkspace(db, workspaceId))) {
        throw new ApiError('workspace_not_found', `workspace ${workspaceId} does not exist`, WORKSPACE_HEADER);
      }
      principal = { keyId: 'root', name: 'root', role: 'root', workspaceId, agentIds: null, allowedOrigins: [] };
    } else {
      // Lookup by the key's SHA-256 through a unique index: no timing signal about stored keys.
      const stored = await findKeyBySecret(db, key);
      if (!stored) throw new ApiError('unauthorized', 'the API key is unknown or was revoked', undefined, { 'WWW-Authenticate': 'Bearer' });
      principal = {
        keyId: stored.id, name: stored.name, role: stored.role, workspaceId: stored.workspaceId,
        agentIds: stored.agentIds, allowedOrigins: stored.allowedOrigins, ...(stored.user ? { user: stored.user } : {}),
      };
      if (principal.role === 'widget') {
        const origin = browserOrigin(c.req.raw);
        if (!origin || !principal.allowedOrigins.includes(origin)) {
          throw new ApiError('forbidden', origin
            ? `this widget key may not be used from ${origin}; add the origin to the key's allowedOrigins`
            : 'a widget key is used from a browser page: the request carries no Origin');
        }
      }
    }
    c.set('principal', principal);
    await next();
  };
}

/**
 * The page's origin: the Origin header, or for a same-origin GET (browsers send no Origin then) the
 * API's own origin when Sec-Fetch-Site says so.
 */
export function browserOrigin(req: Request): string | undefined {
  const origin = req.headers.get('origin');
  if (origin && origin !== 'null') return origin;
  if (req.headers.get('sec-fetch-site') === 'same-origin') return new URL(req.url).origin;
  return undefined;
}
