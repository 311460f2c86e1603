/**
 * The HTTP API: thin, built by a factory, one sub-app per resource. Handlers validate, call the system and
 * shape the answer; errors are mapped once, in onError.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { ApiDeps } from './deps.js';
import { ApiError, respondError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { loopbackHostOnly } from './middleware/loopback-host.js';
import { agentRoutes } from './routes/agents.js';
import { conversationRoutes } from './routes/conversations.js';
import { FILE_UPLOAD_PATH, fileRoutes } from './routes/files.js';
import { shortAnswerRoutes } from './routes/short-answers.js';
import { sourceRoutes } from './routes/sources.js';
import { MAX_SOURCE_BYTES } from './schemas.js';

const chatPage = readFileSync(new URL('./pages/chat.html', import.meta.url), 'utf8');

export interface AppOptions {
  log?: (line: Record<string, unknown>) => void;
  /** Answer only requests addressed to loopback names or these (DNS rebinding guard); absent: any Host. */
  hostCheck?: { allowedHosts: readonly string[] };
}

export function createApp(deps: ApiDeps, options: AppOptions = {}) {
  const log = options.log ?? ((line) => console.error(JSON.stringify(line)));
  const openapi = openApiDocument();
  const app = new Hono();

  app.use('*', requestId());
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_SOURCE_BYTES + 64 * 1024,
    onError: () => {
      throw new ApiError('payload_too_large', `the body is larger than ${MAX_SOURCE_BYTES + 64 * 1024} bytes`);
    },
  });
  // File uploads carry their own, larger cap (api/routes/files.ts).
  app.use('/v1/*', (c, next) => (FILE_UPLOAD_PATH.test(c.req.path) ? next() : jsonBodyLimit(c, next)));
  if (options.hostCheck) app.use('*', loopbackHostOnly(options.hostCheck));

  app.get('/', (c) => c.html(chatPage));
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/openapi.json', (c) => c.json(openapi));
  app.route('/v1/agents', agentRoutes(deps));
  app.route('/v1/agents', sourceRoutes(deps));
  app.route('/v1/agents', fileRoutes(deps));
  app.route('/v1/agents', shortAnswerRoutes(deps));
  app.route('/v1/agents', conversationRoutes(deps));

  app.notFound((c) => respondError(c, new ApiError('not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return respondError(c, err);
    if (err instanceof HTTPException && err.status === 413) return respondError(c, new ApiError('payload_too_large', 'the body is too large'));
    log({ level: 'error', msg: 'unhandled error', requestId: c.get('requestId'), path: c.req.path, error: err.message });
    return respondError(c, new ApiError('internal', 'something went wrong on our side; the request id helps us find it'));
  });
  return app;
}
