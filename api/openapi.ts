/** The OpenAPI document, generated from the same zod schemas that validate requests. */
import { z } from 'zod';
import {
  Agent, CreateAgent, CreateSource, CreatedSource, Conversation, ErrorResponse, MessageResult, PostMessage, Source,
} from './schemas.js';

interface Op {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  ok: { status: number; schema?: z.ZodType };
  errors: number[];
}

const OPS: Op[] = [
  { method: 'post', path: '/v1/agents', summary: 'Create an agent', body: CreateAgent, ok: { status: 201, schema: Agent }, errors: [400, 415, 422] },
  { method: 'get', path: '/v1/agents/{agentId}', summary: 'Read an agent', ok: { status: 200, schema: Agent }, errors: [404] },
  { method: 'post', path: '/v1/agents/{agentId}/sources', summary: 'Add a knowledge source; searchable when the call returns', body: CreateSource, ok: { status: 201, schema: CreatedSource }, errors: [400, 404, 413, 415, 422] },
  { method: 'get', path: '/v1/agents/{agentId}/sources', summary: 'List knowledge sources', ok: { status: 200, schema: z.object({ sources: z.array(Source) }) }, errors: [404] },
  { method: 'delete', path: '/v1/agents/{agentId}/sources/{sourceId}', summary: 'Remove a source from answers', ok: { status: 204 }, errors: [404] },
  { method: 'post', path: '/v1/agents/{agentId}/conversations/{conversationId}/messages', summary: 'Send a customer message and get the reply; the same messageId returns the same reply', body: PostMessage, ok: { status: 200, schema: MessageResult }, errors: [400, 404, 409, 413, 415, 422] },
  { method: 'get', path: '/v1/agents/{agentId}/conversations/{conversationId}', summary: 'Status and transcript with sources and insights', ok: { status: 200, schema: Conversation }, errors: [404] },
];

function jsonSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
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
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
        responses,
      },
    };
  }
  return { openapi: '3.0.3', info: { title: 'customer-agent', version: '0.1.0' }, paths };
}
