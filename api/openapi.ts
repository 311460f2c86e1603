/**
 * The OpenAPI document is generated from the routes: each one is declared with createRoute() beside its
 * handler in api/routes/*.ts (operationId, tags, the request schemas of api/schemas.ts, every status it
 * answers). This file holds what they share: the router, the error responses, the security scheme and
 * header parameters, and the document's frame.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OpenAPIHono, createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import { ERROR_STATUS, type ErrorCode } from '../domain/errors.js';
import { CONVERSATION_TOKEN_HEADER } from './conversation-token.js';
import type { AppEnv } from './env.js';
import { WORKSPACE_HEADER } from './middleware/authenticate.js';
import { PACKAGE_ROOT } from '../workers/package-root.js';
import { ErrorResponse } from './schemas.js';

/**
 * A router whose routes go into the document (and the typed client's types) with their request
 * schemas, while the requests themselves are validated by the handlers, through api/validate.ts.
 *
 * Invariant: our helpers are the only request validation. @hono/zod-openapi would otherwise run its own
 * validators before the handler, with other answers than ours (its 400 for malformed JSON carries no
 * detail, a body without Content-Type is validated as `{}` instead of refused with 415, a repeated query
 * parameter becomes an array) and a second read of the body; uploads are parsed by their route. So the
 * router registers each route's full definition for the document and serves it without `request`:
 * handlers never call `c.req.valid()`, which would be undefined here.
 */
export function openApiRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>();
  const serve = router.openapi;
  router.openapi = ((route: RouteConfig & { middleware?: unknown; hide?: boolean }, handler: Parameters<typeof serve>[1]) => {
    const { middleware: _middleware, hide, ...documented } = route;
    if (!hide) router.openAPIRegistry.registerPath(documented);
    return serve({ ...route, request: undefined, hide: true }, handler);
  }) as typeof router.openapi;
  return router;
}

type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

const WHEN: Record<ErrorStatus, string> = {
  400: 'The body cannot be read',
  401: 'No API key, or one that is unknown or revoked',
  403: "The key's role may not call this route, the key may not reach this agent or conversation, or a widget key is used from an origin it is not bound to",
  404: 'The workspace (X-Workspace-Id), the agent or the resource does not exist, or is not visible to this key',
  409: 'The request conflicts with what was already done',
  413: 'The body, a file or a field is too large',
  415: 'The body is not in a media type this route takes, or the file type is not supported',
  422: 'A field is invalid; `field` names it',
  429: 'Too many requests for this key (or, for a widget key, from this address)',
  500: 'Something went wrong on our side; the request id helps find it',
  503: 'The capability is not enabled on this server',
};

const HEADERS: Partial<Record<ErrorStatus, Record<string, { description: string; schema: { type: 'string' | 'integer' } }>>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds until a request is allowed again', schema: { type: 'integer' } } },
};

function errorResponse(status: ErrorStatus) {
  const codes = Object.entries(ERROR_STATUS).filter(([, s]) => s === status).map(([code]) => code);
  return {
    description: `${WHEN[status]} (${codes.join(', ')})`,
    ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
    content: { 'application/json': { schema: ErrorResponse } },
  };
}

/** The error responses of the given statuses, each with the error body. */
export function errors<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(s)])) as Record<S, ReturnType<typeof errorResponse>>;
}

/**
 * The 503 of a route that reaches a conversation's workflow, instead of errors(503) (a capability this
 * server runs without): Temporal cannot be reached or, for a customer message, no worker answered within
 * the reply timeout. api/app.ts answers it with Retry-After; `description` says when and what a retry gets.
 */
export function conversationUnavailable(description: string) {
  return {
    503: {
      description: `${description} (unavailable)`,
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const } } },
      content: { 'application/json': { schema: ErrorResponse } },
    },
  };
}

/** A JSON response. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A JSON request body. */
export function jsonRequest<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

export const BEARER_AUTH = 'bearerAuth';
const WORKSPACE_PARAMETER = 'WorkspaceId';
const CONVERSATION_TOKEN_PARAMETER = 'ConversationToken';

/** Conversation routes: the widget's proof that it started the conversation. */
export const conversationTokenParameter = { $ref: `#/components/parameters/${CONVERSATION_TOKEN_PARAMETER}` };

/**
 * A /v1 route: called with an API key, and answering, besides its own statuses, those of the chain every
 * /v1 request passes in app.ts (authenticate 401, role and agent scope 403, unknown workspace or agent
 * 404, rate limit 429) and 500. Declared here once, as the chain is applied once.
 */
export function v1Route<
  P extends string,
  R extends Omit<RouteConfig, 'path' | 'security' | 'tags' | 'parameters'> & { path: P; operationId: string; tags: Tag[]; parameters?: { $ref: string }[] },
>(route: R) {
  return createRoute({
    ...route,
    security: [{ [BEARER_AUTH]: [] }],
    parameters: [{ $ref: `#/components/parameters/${WORKSPACE_PARAMETER}` }, ...(route.parameters ?? [])],
    responses: { ...route.responses, ...errors(401, 403, 404, 429, 500) },
  });
}

const { version } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

export const TAGS = [
  { name: 'agents', description: 'Agents: their settings, status and public profile' },
  { name: 'sources', description: 'Knowledge: pasted content, files, URLs and sites an agent answers from' },
  { name: 'short-answers', description: 'Curated answers, given verbatim' },
  { name: 'conversations', description: 'Customer messages and transcripts' },
  { name: 'api-keys', description: "The workspace's API keys and their roles" },
  { name: 'workspaces', description: "The install's tenants (root key only)" },
  { name: 'audit-log', description: 'Who changed what' },
  { name: 'billing', description: 'Usage, credits, the free trial and workspace events' },
  { name: 'deployments', description: 'Where an agent answers: channels, accounts, hours, encrypted secrets' },
  { name: 'actions', description: 'Calls to your own APIs an agent makes for a customer (order status, bookings, resets): inputs, templates, encrypted secret headers, test runs' },
  { name: 'channels', description: 'Inbound endpoints of the channels: email, WhatsApp and Messenger webhooks, custom adapters' },
  { name: 'people', description: 'People and teams who take conversations over from the agent, and their working hours' },
  { name: 'contacts', description: 'Contacts: the customers the agents talk to, their properties, every change of one, and their conversations' },
  { name: 'identity', description: "Verified customers: the secret host sites sign their customers' emails with" },
  { name: 'webhooks', description: 'Workspace events POSTed to your URLs, signed, retried, every attempt on record' },
  { name: 'meta', description: 'Health, this document, the chat page, the inbox page and the widget script' },
] as const;

export type Tag = (typeof TAGS)[number]['name'];

/** Registers what the routes refer to, and returns the document of every route registered on `app`. */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: admin, channel, widget or user (npm start prints the root key)',
  });
  app.openAPIRegistry.registerComponent('parameters', WORKSPACE_PARAMETER, {
    name: WORKSPACE_HEADER,
    in: 'header',
    required: false,
    description: 'Root key only: the workspace to act in (default: the default workspace)',
    schema: { type: 'string' },
  });
  app.openAPIRegistry.registerComponent('parameters', CONVERSATION_TOKEN_PARAMETER, {
    name: CONVERSATION_TOKEN_HEADER,
    in: 'header',
    required: false,
    description: "Widget keys: the conversation's token (conversation.token of its first reply); required past the first message",
    schema: { type: 'string' },
  });
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'customer-agent',
      version,
      description: 'A self-hosted AI customer agent. Every error is `{error: {code, message, field?, requestId}}`.',
      license: { name: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [...TAGS],
  });
}
