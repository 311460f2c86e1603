import { Hono } from 'hono';
import { createAgent, getAgent } from '../../db/agents.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { Agent, AgentIdParam, CreateAgent } from '../schemas.js';
import { jsonBody, params } from '../validate.js';

type AgentRow = NonNullable<Awaited<ReturnType<typeof getAgent>>>;

function present(a: AgentRow) {
  return Agent.parse({
    id: a.id,
    name: a.name,
    ...(a.personality ? { personality: a.personality } : {}),
    defaultLanguage: a.defaultLanguage,
    settings: a.settings ?? {},
    createdAt: new Date(a.createdAt).toISOString(),
  });
}

export function agentRoutes({ db }: ApiDeps) {
  return new Hono()
    .post('/', async (c) => {
      const body = await jsonBody(c, CreateAgent);
      const agent = await createAgent(db, body);
      return c.json(present(agent), 201);
    })
    .get('/:agentId', async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const agent = await getAgent(db, agentId);
      if (!agent) throw new ApiError('agent_not_found', `agent ${agentId} does not exist`, 'agentId');
      return c.json(present(agent));
    });
}

/** Loads the agent or answers 404: every agent-scoped route starts here, before anything is written. */
export async function requireAgent(db: ApiDeps['db'], agentId: string): Promise<AgentRow> {
  const agent = await getAgent(db, agentId);
  if (!agent) throw new ApiError('agent_not_found', `agent ${agentId} does not exist`, 'agentId');
  return agent;
}
