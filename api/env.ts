/** The typed Hono environment every `/v1` handler sees: who is calling, and the agent in scope. */
import type { Agent } from '../db/agents.js';
import type { Principal } from '../domain/access.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by authenticate() on every /v1 route. */
    principal: Principal;
    /** Set by agentScope() on /v1/agents/:agentId/*: the agent, already checked against the principal. */
    agent: Agent;
  };
}
