import { deleteSource, getSource, listSources, setSourceEnabled, type Source as StoredSource } from '../../db/sources.js';
import { readShortAnswer, shortAnswerBlocks, shortAnswerMetadata, type ShortAnswerContent } from '../../knowledge/short-answers.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { AgentIdParam, CreateShortAnswer, ShortAnswer, ShortAnswerList, ShortAnswerParams, UpdateShortAnswer } from '../schemas.js';
import { jsonBody, params } from '../validate.js';
import { allow } from '../middleware/roles.js';
import { audit } from '../audit.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';

/** A short answer is a source of type 'short_answer'; anything else under its id is not found here. */
function present(s: StoredSource) {
  const sa = readShortAnswer(s.metadata);
  if (s.type !== 'short_answer' || !sa) return undefined;
  return ShortAnswer.parse({
    id: s.id,
    question: sa.question,
    answer: sa.answer,
    alternates: sa.alternates,
    enabled: s.enabled,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  });
}

const create = v1Route({
  method: 'post', path: '/{agentId}/short-answers', operationId: 'createShortAnswer', tags: ['short-answers'],
  summary: 'Add a short answer: given verbatim when a question means the same as its question or an alternate',
  middleware: [allow('admin')],
  request: { params: AgentIdParam, body: jsonRequest(CreateShortAnswer) },
  responses: { 201: json(ShortAnswer, 'The new short answer'), ...errors(400, 413, 415, 422) },
});
const list = v1Route({
  method: 'get', path: '/{agentId}/short-answers', operationId: 'listShortAnswers', tags: ['short-answers'], summary: 'List short answers',
  middleware: [allow('admin')],
  request: { params: AgentIdParam },
  responses: { 200: json(ShortAnswerList, 'The short answers') },
});
const read = v1Route({
  method: 'get', path: '/{agentId}/short-answers/{shortAnswerId}', operationId: 'getShortAnswer', tags: ['short-answers'], summary: 'Read a short answer',
  middleware: [allow('admin')],
  request: { params: ShortAnswerParams },
  responses: { 200: json(ShortAnswer, 'The short answer'), ...errors(422) },
});
const update = v1Route({
  method: 'patch', path: '/{agentId}/short-answers/{shortAnswerId}', operationId: 'updateShortAnswer', tags: ['short-answers'],
  summary: 'Change a short answer or enable/disable it',
  middleware: [allow('admin')],
  request: { params: ShortAnswerParams, body: jsonRequest(UpdateShortAnswer) },
  responses: { 200: json(ShortAnswer, 'The changed short answer'), ...errors(400, 413, 415, 422) },
});
const remove = v1Route({
  method: 'delete', path: '/{agentId}/short-answers/{shortAnswerId}', operationId: 'deleteShortAnswer', tags: ['short-answers'], summary: 'Delete a short answer',
  middleware: [allow('admin')],
  request: { params: ShortAnswerParams },
  responses: { 204: { description: 'Deleted' }, ...errors(422) },
});

export function shortAnswerRoutes(deps: ApiDeps) {
  const { db } = deps;

  const ingest = (agentId: string, content: ShortAnswerContent, sourceId?: string) => deps.ingest({
    agentId,
    type: 'short_answer',
    kind: 'short_answer',
    title: content.question.trim(),
    blocks: shortAnswerBlocks(content),
    metadata: { ...shortAnswerMetadata(content) },
    ...(sourceId ? { sourceId } : {}),
  });

  async function find(agentId: string, id: string) {
    const source = await getSource(db, agentId, id);
    const shown = source && present(source);
    if (!shown) throw new ApiError('source_not_found', `short answer ${id} does not exist`, 'shortAnswerId');
    return shown;
  }

  return openApiRouter()
    .openapi(create, async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const body = await jsonBody(c, CreateShortAnswer);
      const { id } = await ingest(agentId, body);
      await audit(c, db, 'short_answer.created', { type: 'short_answer', id }, { agentId });
      return c.json(await find(agentId, id), 201);
    })
    .openapi(list, async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const sources = await listSources(db, agentId, { type: 'short_answer' });
      return c.json({ shortAnswers: sources.flatMap((s) => present(s) ?? []) }, 200);
    })
    .openapi(read, async (c) => {
      const { agentId, shortAnswerId } = params(c, ShortAnswerParams);
      return c.json(await find(agentId, shortAnswerId), 200);
    })
    .openapi(update, async (c) => {
      const { agentId, shortAnswerId } = params(c, ShortAnswerParams);
      const { enabled, ...changes } = await jsonBody(c, UpdateShortAnswer);
      const current = await find(agentId, shortAnswerId);
      if (Object.keys(changes).length > 0) {
        // Re-ingesting under the same id replaces the phrasings atomically and keeps the enabled flag.
        await ingest(agentId, {
          question: changes.question ?? current.question,
          answer: changes.answer ?? current.answer,
          alternates: changes.alternates ?? current.alternates,
        }, shortAnswerId);
      }
      if (enabled !== undefined) await setSourceEnabled(db, agentId, shortAnswerId, enabled);
      await audit(c, db, 'short_answer.updated', { type: 'short_answer', id: shortAnswerId }, { agentId, fields: [...Object.keys(changes), ...(enabled !== undefined ? ['enabled'] : [])] });
      return c.json(await find(agentId, shortAnswerId), 200);
    })
    .openapi(remove, async (c) => {
      const { agentId, shortAnswerId } = params(c, ShortAnswerParams);
      await find(agentId, shortAnswerId);
      await deleteSource(db, agentId, shortAnswerId);
      await audit(c, db, 'short_answer.deleted', { type: 'short_answer', id: shortAnswerId }, { agentId });
      return c.body(null, 204);
    });
}
