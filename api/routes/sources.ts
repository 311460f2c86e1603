import { Hono } from 'hono';
import { deleteSource, getSource, listSources, updateSource, type Source as StoredSource } from '../../db/sources.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, fromZodError } from '../errors.js';
import { AgentIdParam, CreateSource, CreatedSource, ListSourcesQuery, Source, SourceParams, UpdateSource } from '../schemas.js';
import { jsonBody, params, queryValues } from '../validate.js';
import { addSyncedSource, presentSync, requestSync } from '../source-sync.js';
import { requireAgent } from './agents.js';

export function presentSource(s: StoredSource) {
  return Source.parse({
    id: s.id,
    type: s.type,
    kind: s.kind,
    title: s.title,
    ...(s.url ? { url: s.url } : {}),
    ...(s.parentId ? { parentId: s.parentId } : {}),
    status: s.status,
    enabled: s.enabled,
    ...(s.error ? { error: s.error } : {}),
    chunks: s.chunkCount,
    ...(s.fetchedAt ? { fetchedAt: new Date(s.fetchedAt).toISOString() } : {}),
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  });
}

export function sourceRoutes(deps: ApiDeps) {
  const { db } = deps;
  return new Hono()
    .post('/:agentId/sources', async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const body = await jsonBody(c, CreateSource);
      await requireAgent(db, agentId);
      if (body.type === 'url' || body.type === 'site') return c.json(await addSyncedSource(db, deps.sourceSync, agentId, body), 202);
      const created = await deps.ingest({ agentId, ...body });
      return c.json(CreatedSource.parse(created), 201);
    })
    .get('/:agentId/sources', async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const query = ListSourcesQuery.safeParse(queryValues(c));
      if (!query.success) throw fromZodError(query.error);
      await requireAgent(db, agentId);
      const sources = await listSources(db, agentId, query.data);
      return c.json({ sources: sources.map(presentSource) });
    })
    .get('/:agentId/sources/:sourceId', async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      await requireAgent(db, agentId);
      const source = await getSource(db, agentId, sourceId);
      if (!source) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      return c.json({ ...presentSource(source), ...presentSync(source) });
    })
    .post('/:agentId/sources/:sourceId/sync', async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      await requireAgent(db, agentId);
      return c.json(await requestSync(db, deps.sourceSync, agentId, sourceId), 202);
    })
    .patch('/:agentId/sources/:sourceId', async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      const changes = await jsonBody(c, UpdateSource);
      await requireAgent(db, agentId);
      const existing = await getSource(db, agentId, sourceId);
      if (!existing) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      if (existing.type === 'short_answer' && (changes.kind !== undefined || changes.title !== undefined)) {
        const field = changes.kind !== undefined ? 'kind' : 'title';
        throw new ApiError('invalid_request', `${field}: a short answer keeps its kind, and its question is changed through /short-answers`, field);
      }
      const updated = await updateSource(db, agentId, sourceId, changes);
      if (!updated) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      return c.json(presentSource(updated));
    })
    .delete('/:agentId/sources/:sourceId', async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      await requireAgent(db, agentId);
      const deleted = await deleteSource(db, agentId, sourceId);
      if (!deleted) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      await deps.sourceSync?.stop(agentId, sourceId);
      return c.body(null, 204);
    });
}
