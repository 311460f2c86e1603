/**
 * The webhook delivery workflow's contract: one workflow per (webhook, event), `webhook:<webhookId>:<eventId>`,
 * so an event is handed to a webhook once however often it is emitted, and every attempt is visible in
 * the Temporal Web UI. Wire names live in history forever. The zod schemas of its types are in
 * webhook-delivery.schemas.ts: this module is in the workflow bundle, which must not evaluate zod.
 */
export type { DeliveryOutcome, WebhookDeliveryInput, WebhookEvent } from './webhook-delivery.schemas.js';

export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDelivery';

export const DEFAULT_RETRY_INITIAL_MS = 2_000;

export function webhookDeliveryId(webhookId: string, eventId: string): string {
  return `webhook:${webhookId}:${eventId}`;
}
