/** Request and response schemas of the webhooks routes. */
import { z } from '@hono/zod-openapi';
import { EventType } from '../domain/events.js';

export const WebhookIdParam = z.object({ webhookId: z.string().min(1).max(128) });

export const CreateWebhook = z.object({
  /** An http(s) URL the server may reach: public, or allowed by FETCH_ALLOW_HOSTS. */
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2048),
  /** The event types to receive (duplicates are ignored). */
  events: z.array(EventType).min(1),
}).strict();

export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(EventType),
  createdAt: z.string(),
}).openapi('Webhook');
export const WebhookList = z.object({ webhooks: z.array(Webhook) });
/**
 * The signing secret is in this answer only: every delivery carries `X-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
export const CreatedWebhook = Webhook.extend({ secret: z.string() });

export const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }).strict();
export const WebhookDelivery = z.object({
  eventId: z.string(),
  eventType: z.string(),
  /** 1 for the first POST of this event to this webhook, then one more per retry. */
  attempt: z.number().int(),
  status: z.enum(['delivered', 'failed']),
  /** The receiver's answer, when it answered. */
  httpStatus: z.number().int().optional(),
  error: z.string().optional(),
  durationMs: z.number().int().optional(),
  createdAt: z.string(),
}).openapi('WebhookDelivery');
export const DeliveryList = z.object({ deliveries: z.array(WebhookDelivery) });
