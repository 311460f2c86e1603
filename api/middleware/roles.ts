/** Route-level role checks: each route names the roles it serves; root counts as admin everywhere. */
import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../domain/access.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';

export function allow(...roles: Role[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set<Role>(roles);
  if (allowed.has('admin')) allowed.add('root');
  return async (c, next) => {
    const { role } = c.get('principal');
    if (!allowed.has(role)) {
      throw new ApiError('forbidden', `a ${role} key may not ${c.req.method} ${c.req.path}; this needs ${[...roles].join(' or ')}`);
    }
    await next();
  };
}
