/**
 * The zod schemas of the webhook delivery workflow's boundary. The workflow and its contract import their
 * types only: the workflow bundle must not evaluate zod (workflows/conversation-checks.ts has the
 * measurements); the workflow checks its input by hand.
 */
import { z } from 'zod';

/** The body every receiver gets: the event id is the receiver's dedupe key. */
export const WebhookEvent = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const WebhookDeliveryInput = z.object({
  webhookId: z.string().min(1),
  event: WebhookEvent,
  /** How long to keep retrying a failing receiver (24 h in production). */
  retryForMs: z.number().int().positive(),
  /** The first wait between attempts, doubling after each (2 s in production; tests shorten it). */
  retryInitialMs: z.number().int().positive().optional(),
});
export type WebhookDeliveryInput = z.infer<typeof WebhookDeliveryInput>;

/** failed: still refused when the retry time ran out, or the address guard refused the URL; skipped: the webhook was deleted first. Attempts are in webhook_deliveries. */
export const DeliveryOutcome = z.object({ status: z.enum(['delivered', 'failed', 'skipped']) });
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;
