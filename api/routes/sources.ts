import { deleteSource, getSource, listSources, updateSource, type Source as StoredSource } from '../../db/sources.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, fromZodError } from '../errors.js';
import { AgentIdParam, CreateSource, CreatedSource, ListSourcesQuery, Source, SourceList, SourceParams, UpdateSource } from '../schemas.js';
import { jsonBody, params, queryValues } from '../validate.js';
import { SourceWithSync, SyncedSource, addSyncedSource, presentSync, requestSync } from '../source-sync.js';
import { allow } from '../middleware/roles.js';
import { audit } from '../audit.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';

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

const create = v1Route({
  method: 'post', path: '/{agentId}/sources', operationId: 'createSource', tags: ['sources'],
  summary: 'Add a knowledge source: pasted content is searchable when the call returns (201); a url or site source answers 202 and syncs in the background (progress in GET …/sources/{sourceId})',
  middleware: [allow('admin')],
  request: { params: AgentIdParam, body: jsonRequest(CreateSource) },
  responses: {
    201: json(CreatedSource, 'The pasted content is stored and searchable'),
    202: json(SyncedSource, 'The url or site source is created and its first sync started'),
    ...errors(400, 413, 415, 422, 503),
  },
});
const list = v1Route({
  method: 'get', path: '/{agentId}/sources', operationId: 'listSources', tags: ['sources'],
  summary: 'List knowledge sources, filtered by kind, status, type, enabled or parent',
  middleware: [allow('admin')],
  request: { params: AgentIdParam, query: ListSourcesQuery },
  responses: { 200: json(SourceList, 'The sources'), ...errors(422) },
});
const read = v1Route({
  method: 'get', path: '/{agentId}/sources/{sourceId}', operationId: 'getSource', tags: ['sources'],
  summary: 'Read a knowledge source; a url or site source includes sync: settings, progress and the last result (what was skipped and why)',
  middleware: [allow('admin')],
  request: { params: SourceParams },
  responses: { 200: json(SourceWithSync, 'The source'), ...errors(422) },
});
const sync = v1Route({
  method: 'post', path: '/{agentId}/sources/{sourceId}/sync', operationId: 'syncSource', tags: ['sources'],
  summary: 'Re-sync a url or site source now (unchanged pages are not re-embedded)',
  middleware: [allow('admin')],
  request: { params: SourceParams },
  responses: { 202: json(SyncedSource, 'The sync is asked for; it runs after a running one'), ...errors(422, 503) },
});
const update = v1Route({
  method: 'patch', path: '/{agentId}/sources/{sourceId}', operationId: 'updateSource', tags: ['sources'],
  summary: 'Enable or disable a source (a disabled one stays stored but is left out of answers), change its kind or title',
  middleware: [allow('admin')],
  request: { params: SourceParams, body: jsonRequest(UpdateSource) },
  responses: { 200: json(Source, 'The changed source'), ...errors(400, 413, 415, 422) },
});
const remove = v1Route({
  method: 'delete', path: '/{agentId}/sources/{sourceId}', operationId: 'deleteSource', tags: ['sources'],
  summary: 'Remove a source and its chunks from the knowledge; a url or site source stops syncing',
  middleware: [allow('admin')],
  request: { params: SourceParams },
  responses: { 204: { description: 'Deleted' }, ...errors(422) },
});

export function sourceRoutes(deps: ApiDeps) {
  const { db } = deps;
  return openApiRouter()
    .openapi(create, async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const body = await jsonBody(c, CreateSource);
      if (body.type === 'url' || body.type === 'site') {
        const synced = await addSyncedSource(db, deps.sourceSync, agentId, body);
        await audit(c, db, 'source.created', { type: 'source', id: synced.id }, { agentId, type: body.type, url: body.url });
        return c.json(synced, 202);
      }
      const created = await deps.ingest({ agentId, ...body });
      await audit(c, db, created.updated ? 'source.updated' : 'source.created', { type: 'source', id: created.id }, { agentId, type: body.type, title: body.title });
      return c.json(CreatedSource.parse(created), 201);
    })
    .openapi(list, async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const query = ListSourcesQuery.safeParse(queryValues(c));
      if (!query.success) throw fromZodError(query.error);
      const sources = await listSources(db, agentId, query.data);
      return c.json({ sources: sources.map(presentSource) }, 200);
    })
    .openapi(read, async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      const source = await getSource(db, agentId, sourceId);
      if (!source) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      return c.json({ ...presentSource(source), ...presentSync(source) }, 200);
    })
    .openapi(sync, async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      const synced = await requestSync(db, deps.sourceSync, agentId, sourceId);
      await audit(c, db, 'source.sync_requested', { type: 'source', id: sourceId }, { agentId });
      return c.json(synced, 202);
    })
    .openapi(update, async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      const changes = await jsonBody(c, UpdateSource);
      const existing = await getSource(db, agentId, sourceId);
      if (!existing) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      if (existing.type === 'short_answer' && (changes.kind !== undefined || changes.title !== undefined)) {
        const field = changes.kind !== undefined ? 'kind' : 'title';
        throw new ApiError('invalid_request', `${field}: a short answer keeps its kind, and its question is changed through /short-answers`, field);
      }
      const updated = await updateSource(db, agentId, sourceId, changes);
      if (!updated) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      await audit(c, db, 'source.updated', { type: 'source', id: sourceId }, { agentId, changes });
      return c.json(presentSource(updated), 200);
    })
    .openapi(remove, async (c) => {
      const { agentId, sourceId } = params(c, SourceParams);
      const deleted = await deleteSource(db, agentId, sourceId);
      if (!deleted) throw new ApiError('source_not_found', `source ${sourceId} does not exist`, 'sourceId');
      await deps.sourceSync?.stop(agentId, sourceId);
      await audit(c, db, 'source.deleted', { type: 'source', id: sourceId }, { agentId });
      return c.body(null, 204);
    });
}
