/**
 * The HTTP API: thin, built by a factory, one sub-app per resource. Handlers validate, call the system and
 * shape the answer; errors are mapped once, in onError. Every route is declared with createRoute(), so
 * /openapi.json is generated from them, and the routes are chained so that their types reach the typed
 * client (api/client.ts) through `AppType`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { requestId } from 'hono/request-id';
import { originAllowed } from '../db/api-keys.js';
import { CONVERSATION_TOKEN_HEADER } from './conversation-token.js';
import type { ApiDeps } from './deps.js';
import type { AppEnv } from './env.js';
import { agentScope } from './middleware/agent-scope.js';
import { WORKSPACE_HEADER, authenticate } from './middleware/authenticate.js';
import { rateLimit } from './middleware/rate-limit.js';
import { actionRoutes } from './routes/actions.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { META_WEBHOOK_PATHS, metaWebhookRoutes } from './routes/channel-meta.js';
import { auditLogRoutes } from './routes/audit-log.js';
import { billingRoutes } from './routes/billing.js';
import { eventRoutes } from './routes/events.js';
import { meRoutes } from './routes/me.js';
import { teamRoutes } from './routes/teams.js';
import { trialRoutes } from './routes/trial.js';
import { usageRoutes } from './routes/usage.js';
import { userRoutes } from './routes/users.js';
import { webhookRoutes } from './routes/webhooks.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { ApiError, respondError } from './errors.js';
import { ConversationUnavailableError } from './conversation-client.js';
import { json, openApiDocument, openApiRouter } from './openapi.js';
import { loopbackHostOnly } from './middleware/loopback-host.js';
import { lockedPage, readPage } from './pages.js';
import { agentRoutes } from './routes/agents.js';
import { EMAIL_INBOUND_PATH, emailChannelRoutes } from './routes/channel-email.js';
import { contactRoutes } from './routes/contacts.js';
import { conversationRoutes } from './routes/conversations.js';
import { deploymentRoutes } from './routes/deployments.js';
import { customChannelRoutes } from './routes/channel-custom.js';
import { handoffRoutes } from './routes/handoff.js';
import { identityRoutes } from './routes/identity.js';
import { inboxRoutes } from './routes/inbox.js';
import { FILE_UPLOAD_PATH, fileRoutes } from './routes/files.js';
import { shortAnswerRoutes } from './routes/short-answers.js';
import { suggestionRoutes } from './routes/suggestions.js';
import { sourceRoutes } from './routes/sources.js';
import { MAX_SOURCE_BYTES } from './schemas.js';

const chatPage = readPage('chat.html');
const inboxPage = lockedPage('inbox.html');
const widgetScript = readPage('widget.js');

const chatPageRoute = createRoute({
  method: 'get', path: '/', operationId: 'getChatPage', tags: ['meta'], security: [],
  summary: 'The chat page, a host of the widget opened full size: talk to an agent in the browser (?agent=<agentId>&key=<widget key>[&conversation=<id>])',
  responses: { 200: { description: 'The page', content: { 'text/html': { schema: z.string() } } } },
});
const inboxPageRoute = createRoute({
  method: 'get', path: '/inbox', operationId: 'getInboxPage', tags: ['meta'], security: [],
  summary: "The team's inbox: the queue, a conversation with its transcript and insights, reply, assign, hand back, close (sign in with a user key, replying as that person, or an admin key, choosing who you are)",
  responses: { 200: { description: 'The page', content: { 'text/html': { schema: z.string() } } } },
});
const widgetScriptRoute = createRoute({
  method: 'get', path: '/widget.js', operationId: 'getWidgetScript', tags: ['meta'], security: [],
  summary: 'The live-chat widget for any site: <script src="https://<this host>/widget.js" data-agent="<agentId>" data-key="<widget key>" async></script>',
  responses: { 200: { description: 'The script (no key needed to fetch it)', content: { 'text/javascript': { schema: z.string() } } } },
});
/**
 * Any site may load the script (it holds nothing secret; the widget key in the page's tag is what is
 * checked, against the page's Origin). Cached briefly and revalidated by ETag, so a new version reaches
 * visitors within minutes.
 */
const WIDGET_SCRIPT_HEADERS = {
  'Content-Type': 'text/javascript; charset=utf-8',
  'Cache-Control': 'public, max-age=300, must-revalidate',
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
};
const healthRoute = createRoute({
  method: 'get', path: '/healthz', operationId: 'getHealth', tags: ['meta'], security: [], summary: 'Whether the API is up',
  responses: { 200: json(z.object({ ok: z.boolean() }), 'The API is up') },
});
const documentRoute = createRoute({
  method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', tags: ['meta'], security: [], summary: 'This document',
  responses: { 200: json(z.looseObject({ openapi: z.string() }), 'The OpenAPI 3.1 document') },
});

export interface AppOptions {
  log?: (line: Record<string, unknown>) => void;
  /** Answer only requests addressed to loopback names or these (DNS rebinding guard); absent: any Host. */
  hostCheck?: { allowedHosts: readonly string[] };
}

export function createApp(deps: ApiDeps, options: AppOptions = {}) {
  const log = options.log ?? ((line) => console.error(JSON.stringify(line)));
  const app = openApiRouter();

  app.use('*', requestId());
  // Browsers on a widget key's allowed origins may call the API; preflights carry no key, so the
  // origin is looked up among live widget keys. Whether the key may be used from there is checked again
  // on the request itself (authenticate), so CORS is never the only guard.
  app.use('/v1/*', cors({
    origin: async (origin) => (origin && (await originAllowed(deps.db, origin)) ? origin : null),
    allowHeaders: ['Authorization', 'Content-Type', CONVERSATION_TOKEN_HEADER, WORKSPACE_HEADER],
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    // The widget waits as long as a 429 or 503 says before it retries.
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  }));
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_SOURCE_BYTES + 64 * 1024,
    onError: () => {
      throw new ApiError('payload_too_large', `the body is larger than ${MAX_SOURCE_BYTES + 64 * 1024} bytes`);
    },
  });
  // File uploads and inbound email carry their own, larger caps (their routes).
  app.use('/v1/*', (c, next) => (FILE_UPLOAD_PATH.test(c.req.path) || EMAIL_INBOUND_PATH.test(c.req.path) ? next() : jsonBodyLimit(c, next)));
  if (options.hostCheck) app.use('*', loopbackHostOnly(options.hostCheck));
  app.use('/widget.js', etag());

  // authenticate (and workspace) → rate limit → agent scope → (each route's role); handlers never check access
  // by hand. Scope before role: another workspace's agent is a 404 for every key, never a revealing 403.
  // The one exemption: Meta's webhooks (WhatsApp, Messenger) carry no API key; their routes verify
  // X-Hub-Signature-256 against a deployment's app secret instead. Exactly these paths, nothing under them.
  const keyed = (mw: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> => (c, next) => (META_WEBHOOK_PATHS.includes(c.req.path) ? next() : mw(c, next));
  app.use('/v1/*', keyed(authenticate({ db: deps.db, rootKey: deps.access.rootKey })));
  app.use('/v1/*', keyed(rateLimit({
    db: deps.db, perKey: deps.access.rateLimitPerKey, perWidgetClient: deps.access.rateLimitPerWidgetClient, trustProxy: deps.access.trustProxy,
  })));
  app.use('/v1/agents/:agentId/*', agentScope(deps.db));
  const routes = app
    .openapi(chatPageRoute, (c) => c.html(chatPage))
    .openapi(inboxPageRoute, (c) => c.html(inboxPage.html, 200, inboxPage.headers))
    .openapi(widgetScriptRoute, (c) => c.body(widgetScript, 200, WIDGET_SCRIPT_HEADERS))
    .openapi(healthRoute, (c) => c.json({ ok: true }, 200))
    .openapi(documentRoute, (c) => c.json(document, 200))
    .route('/v1/me', meRoutes())
    .route('/v1/workspaces', workspaceRoutes(deps))
    .route('/v1/api-keys', apiKeyRoutes(deps))
    .route('/v1/audit-log', auditLogRoutes(deps))
    .route('/v1/trial', trialRoutes(deps))
    .route('/v1/billing', billingRoutes(deps))
    .route('/v1/usage', usageRoutes(deps))
    .route('/v1/events', eventRoutes(deps))
    .route('/v1/users', userRoutes(deps))
    .route('/v1/teams', teamRoutes(deps))
    .route('/v1/webhooks', webhookRoutes(deps))
    .route('/v1/identity', identityRoutes(deps))
    .route('/v1/contacts', contactRoutes(deps))
    .route('/v1/agents', agentRoutes(deps))
    .route('/v1/agents', sourceRoutes(deps))
    .route('/v1/agents', fileRoutes(deps))
    .route('/v1/agents', shortAnswerRoutes(deps))
    .route('/v1/agents', suggestionRoutes(deps))
    .route('/v1/agents', conversationRoutes(deps))
    .route('/v1/agents', handoffRoutes(deps))
    .route('/v1/agents', deploymentRoutes(deps))
    .route('/v1/agents', actionRoutes(deps))
    .route('/v1/channels/custom', customChannelRoutes(deps))
    .route('/v1/channels/email', emailChannelRoutes(deps))
    .route('/v1/channels/whatsapp', metaWebhookRoutes(deps, 'whatsapp'))
    .route('/v1/channels/messenger', metaWebhookRoutes(deps, 'messenger'))
    .route('/v1/conversations', inboxRoutes(deps));
  // Generated once, from every route above: a route that cannot be documented fails here, at start.
  const document = openApiDocument(app);

  app.notFound((c) => respondError(c, new ApiError('not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return respondError(c, err);
    // Any route that reaches a conversation may find Temporal or its workers not answering in time.
    if (err instanceof ConversationUnavailableError) {
      return respondError(c, new ApiError('unavailable', err.message, undefined, { 'Retry-After': String(err.retryAfterSeconds) }));
    }
    if (err instanceof HTTPException && err.status === 413) return respondError(c, new ApiError('payload_too_large', 'the body is too large'));
    log({ level: 'error', msg: 'unhandled error', requestId: c.get('requestId'), path: c.req.path, error: err.message });
    return respondError(c, new ApiError('internal', 'something went wrong on our side; the request id helps us find it'));
  });
  return routes;
}

/** The API's routes and their types, for `hc<AppType>()` (api/client.ts). */
export type AppType = ReturnType<typeof createApp>;
