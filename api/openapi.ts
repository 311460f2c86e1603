/** The OpenAPI document, generated from the same zod schemas that validate requests. */
import { z } from 'zod';
import {
  Agent, CreateAgent, CreateShortAnswer, CreateSource, CreatedSource, Conversation, ErrorResponse, ListSourcesQuery, MessageResult,
  PostMessage, ShortAnswer, Source, TranscriptQuery, UpdateShortAnswer, UpdateSource, UploadedFiles, UploadFilesForm,
} from './schemas.js';
import { SyncView, SyncedSource } from './source-sync.js';

interface Op {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  /** The body's media type when it is not JSON. */
  bodyType?: string;
  /** Query parameters, from an object schema of optional strings. */
  query?: z.ZodObject;
  ok: { status: number; schema?: z.ZodType };
  errors: number[];
}

const OPS: Op[] = [
  { method: 'post', path: '/v1/agents', summary: 'Create an agent', body: CreateAgent, ok: { status: 201, schema: Agent }, errors: [400, 415, 422] },
  { method: 'get', path: '/v1/agents/{agentId}', summary: 'Read an agent', ok: { status: 200, schema: Agent }, errors: [404] },
  { method: 'post', path: '/v1/agents/{agentId}/sources', summary: 'Add a knowledge source; pasted content is searchable when the call returns (201); a url or site source answers 202 {id, type, status, workflowId} and syncs in the background (progress in GET …/sources/{sourceId})', body: CreateSource, ok: { status: 201, schema: CreatedSource }, errors: [400, 404, 413, 415, 422] },
  { method: 'post', path: '/v1/agents/{agentId}/files', summary: 'Upload files (multipart, parts named file; optional title per file and kind); the type is read from the bytes; all or nothing', body: UploadFilesForm, bodyType: 'multipart/form-data', ok: { status: 201, schema: UploadedFiles }, errors: [400, 404, 413, 415, 422, 503] },
  { method: 'get', path: '/v1/agents/{agentId}/sources', summary: 'List knowledge sources, filtered by kind, status, type, enabled or parent', query: ListSourcesQuery, ok: { status: 200, schema: z.object({ sources: z.array(Source) }) }, errors: [404, 422] },
  { method: 'get', path: '/v1/agents/{agentId}/sources/{sourceId}', summary: 'Read a knowledge source; a url or site source includes sync: settings, progress and the last result (what was skipped and why)', ok: { status: 200, schema: Source.extend({ sync: SyncView.optional() }) }, errors: [404] },
  { method: 'post', path: '/v1/agents/{agentId}/sources/{sourceId}/sync', summary: 'Re-sync a url or site source now (unchanged pages are not re-embedded)', ok: { status: 202, schema: SyncedSource }, errors: [404, 422, 503] },
  { method: 'patch', path: '/v1/agents/{agentId}/sources/{sourceId}', summary: 'Enable or disable a source (a disabled one stays stored but is left out of answers), change its kind or title', body: UpdateSource, ok: { status: 200, schema: Source }, errors: [400, 404, 415, 422] },
  { method: 'delete', path: '/v1/agents/{agentId}/sources/{sourceId}', summary: 'Remove a source from answers', ok: { status: 204 }, errors: [404] },
  { method: 'post', path: '/v1/agents/{agentId}/short-answers', summary: 'Add a short answer: given verbatim when a question means the same as its question or an alternate', body: CreateShortAnswer, ok: { status: 201, schema: ShortAnswer }, errors: [400, 404, 415, 422] },
  { method: 'get', path: '/v1/agents/{agentId}/short-answers', summary: 'List short answers', ok: { status: 200, schema: z.object({ shortAnswers: z.array(ShortAnswer) }) }, errors: [404] },
  { method: 'get', path: '/v1/agents/{agentId}/short-answers/{shortAnswerId}', summary: 'Read a short answer', ok: { status: 200, schema: ShortAnswer }, errors: [404] },
  { method: 'patch', path: '/v1/agents/{agentId}/short-answers/{shortAnswerId}', summary: 'Change a short answer or enable/disable it', body: UpdateShortAnswer, ok: { status: 200, schema: ShortAnswer }, errors: [400, 404, 415, 422] },
  { method: 'delete', path: '/v1/agents/{agentId}/short-answers/{shortAnswerId}', summary: 'Delete a short answer', ok: { status: 204 }, errors: [404] },
  { method: 'post', path: '/v1/agents/{agentId}/conversations/{conversationId}/messages', summary: 'Send a customer message and get the reply; the same messageId returns the same reply. 503 with Retry-After when no reply came within REPLY_TIMEOUT_MS: send it again with the same messageId', body: PostMessage, ok: { status: 200, schema: MessageResult }, errors: [400, 404, 409, 413, 415, 422, 503] },
  { method: 'get', path: '/v1/agents/{agentId}/conversations/{conversationId}', summary: 'Status and transcript with sources and insights, oldest first, in pages of `limit` entries (default 100, at most 500); nextCursor, when present, is the `cursor` of the next page', query: TranscriptQuery, ok: { status: 200, schema: Conversation }, errors: [404, 422] },
];

function jsonSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const parameters: Record<string, unknown>[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    for (const [name, schema] of Object.entries(op.query?.shape ?? {})) {
      parameters.push({ name, in: 'query', required: false, schema: jsonSchema(schema as z.ZodType) });
    }
    const responses: Record<string, unknown> = {
      [op.ok.status]: op.ok.schema
        ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(op.ok.schema) } } }
        : { description: 'No content' },
    };
    for (const status of op.errors) {
      responses[status] = { description: 'Error', content: { 'application/json': { schema: jsonSchema(ErrorResponse) } } };
    }
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { [op.bodyType ?? 'application/json']: { schema: jsonSchema(op.body) } } } } : {}),
        responses,
      },
    };
  }
  return { openapi: '3.0.3', info: { title: 'customer-agent', version: '0.1.0' }, paths };
}
