import { Hono } from 'hono';
import { deleteSource, listSources } from '../../db/sources.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { AgentIdParam, CreateSource, CreatedSource, Source, SourceParams } from '../schemas.js';
import { jsonBody, params } from '../validate.js';
import { requireAgent } from './agents.js';

export function sourceRoutes(deps: ApiDeps) {
  const { db } = deps;
  return new Hono()
    .post('/:agentId/sources', async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const body = await jsonBody(c, CreateSource);
      await requireAgent(db, agentId);
      const created = await deps.ingest({ agentId, ...body });
      return c.json(CreatedSource.parse(created), 201);
    })
    .get('/:agentId/sources', async (c) => {
      const { agentId } = params(c, AgentIdParam);
      await requireAgent(db, agentId);
      const sources = await listSources(db, agentId);
      return c.json({
        sources: sources.map((s) => Source.parse({
          id: s.id, type: s.type, title: s.title, ...(s.url ? { url: s.url } : {}), status: s.status,
          chunks: s.chunkCount, createdAt: new Date(s.createdAt).toISOString(),
        })),
      });
    })
    .delete('/:agentId/sources/:sourceId', async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      await requireAgent(db, agentId);
      const deleted = await deleteSource(db, agentId, sourceId);
      if (!deleted) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      return c.body(null, 204);
    });
}
