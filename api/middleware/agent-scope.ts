/**
 * Agent scope: every /v1/agents/:agentId/* route sees only an agent of the caller's workspace (another
 * workspace's agent is a 404, as if it did not exist), and channel and widget keys only their agents.
 */
import type { MiddlewareHandler } from 'hono';
import { getWorkspaceAgent } from '../../db/agents.js';
import type { Queryable } from '../../db/types.js';
import { mayReachAgent } from '../../domain/access.js';
import { isStorableText } from '../../domain/text.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';

export function agentScope(db: Queryable): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const agentId = c.req.param('agentId');
    if (!agentId) return next();
    // Checked before the database sees it: PostgreSQL refuses a NUL, and that must be the caller's 422, not our 500.
    if (!isStorableText(agentId)) {
      throw new ApiError('invalid_request', 'agentId: contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored; remove it', 'agentId');
    }
    const principal = c.get('principal');
    const agent = agentId.length <= 128 ? await getWorkspaceAgent(db, principal.workspaceId, agentId) : undefined;
    if (!agent) throw new ApiError('agent_not_found', `agent ${agentId.slice(0, 128)} does not exist`, 'agentId');
    if (!mayReachAgent(principal, agent.id)) throw new ApiError('forbidden', `this key may not reach agent ${agent.id}`, 'agentId');
    c.set('agent', agent);
    await next();
  };
}
