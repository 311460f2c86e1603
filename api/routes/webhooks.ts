import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, type Webhook as StoredWebhook } from '../../db/webhooks.js';
import { createTargetCheck, FetchError } from '../../knowledge/fetch/fetch.js';
import { FetchRefusedError, STRICT_POLICY } from '../../knowledge/fetch/policy.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { CreateWebhook, CreatedWebhook, DeliveriesQuery, DeliveryList, Webhook, WebhookIdParam, WebhookList } from '../webhook-schemas.js';
import { jsonBody, params, query } from '../validate.js';

export function presentWebhook(w: StoredWebhook) {
  return Webhook.parse({ id: w.id, url: w.url, events: w.events, createdAt: w.createdAt.toISOString() });
}

const create = v1Route({
  method: 'post', path: '/', operationId: 'createWebhook', tags: ['webhooks'],
  summary: 'Subscribe a URL to workspace events: each is POSTed as JSON, signed with the secret that is in this answer only',
  middleware: [allow('admin')],
  request: { body: jsonRequest(CreateWebhook) },
  responses: { 201: json(CreatedWebhook, 'The webhook, with its signing secret (shown once)'), ...errors(400, 413, 415, 422) },
});
const list = v1Route({
  method: 'get', path: '/', operationId: 'listWebhooks', tags: ['webhooks'], summary: "List the workspace's webhooks (never their secrets)",
  middleware: [allow('admin')],
  responses: { 200: json(WebhookList, 'The webhooks') },
});
const read = v1Route({
  method: 'get', path: '/{webhookId}', operationId: 'getWebhook', tags: ['webhooks'], summary: 'Read a webhook (never its secret)',
  middleware: [allow('admin')],
  request: { params: WebhookIdParam },
  responses: { 200: json(Webhook, 'The webhook'), ...errors(422) },
});
const remove = v1Route({
  method: 'delete', path: '/{webhookId}', operationId: 'deleteWebhook', tags: ['webhooks'],
  summary: 'Delete a webhook: nothing more is sent to it, retries in progress included',
  middleware: [allow('admin')],
  request: { params: WebhookIdParam },
  responses: { 204: { description: 'Deleted' }, ...errors(422) },
});
const deliveries = v1Route({
  method: 'get', path: '/{webhookId}/deliveries', operationId: 'listWebhookDeliveries', tags: ['webhooks'],
  summary: "A webhook's delivery attempts, newest first: each POST with its outcome, the receiver's status, the error and how long it took",
  middleware: [allow('admin')],
  request: { params: WebhookIdParam, query: DeliveriesQuery },
  responses: { 200: json(DeliveryList, 'The attempts'), ...errors(422) },
});

const notFound = (webhookId: string) => new ApiError('webhook_not_found', `webhook ${webhookId} does not exist`, 'webhookId');

/** Webhooks of the workspace: where its events are POSTed, signed, with every attempt on record. */
export function webhookRoutes({ db, fetchPolicy }: ApiDeps) {
  // The guard deliveries pass (knowledge/fetch/post.ts), run once more at creation so a refused URL is a 422 now, not failed deliveries later.
  const checkTarget = createTargetCheck(fetchPolicy ?? STRICT_POLICY);

  return openApiRouter()
    .openapi(create, async (c) => {
      const body = await jsonBody(c, CreateWebhook);
      try {
        await checkTarget(new URL(body.url));
      } catch (err) {
        if (err instanceof FetchRefusedError || err instanceof FetchError) throw new ApiError('invalid_request', `url: ${err.message}`, 'url');
        throw err;
      }
      const { webhook, secret } = await createWebhook(db, c.get('principal').workspaceId, { url: body.url, events: [...new Set(body.events)] });
      await audit(c, db, 'webhook.created', { type: 'webhook', id: webhook.id }, { url: webhook.url, events: webhook.events });
      return c.json(CreatedWebhook.parse({ ...presentWebhook(webhook), secret }), 201);
    })
    .openapi(list, async (c) => c.json({ webhooks: (await listWebhooks(db, c.get('principal').workspaceId)).map(presentWebhook) }, 200))
    .openapi(read, async (c) => {
      const { webhookId } = params(c, WebhookIdParam);
      const webhook = await getWebhook(db, c.get('principal').workspaceId, webhookId);
      if (!webhook) throw notFound(webhookId);
      return c.json(presentWebhook(webhook), 200);
    })
    .openapi(remove, async (c) => {
      const { webhookId } = params(c, WebhookIdParam);
      if (!(await deleteWebhook(db, c.get('principal').workspaceId, webhookId))) throw notFound(webhookId);
      await audit(c, db, 'webhook.deleted', { type: 'webhook', id: webhookId });
      return c.body(null, 204);
    })
    .openapi(deliveries, async (c) => {
      const { webhookId } = params(c, WebhookIdParam);
      const q = query(c, DeliveriesQuery);
      if (!(await getWebhook(db, c.get('principal').workspaceId, webhookId))) throw notFound(webhookId);
      const attempts = await listDeliveries(db, webhookId, q.limit ?? 50);
      return c.json(DeliveryList.parse({ deliveries: attempts.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) }), 200);
    });
}
