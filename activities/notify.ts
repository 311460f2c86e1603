/**
 * Notifications leaving the install: webhook deliveries. One attempt per activity run, each recorded with
 * its outcome; a failed attempt throws so Temporal retries it with backoff. The request is signed, carries
 * the event id for the receiver's dedupe, and goes through the same SSRF guard as URL sync.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { deliveryTarget, recordDeliveryAttempt } from '../db/webhooks.js';
import type { Queryable } from '../db/types.js';
import { FetchRefusedError } from '../knowledge/fetch/policy.js';
import type { WebhookEvent } from '../workflows/webhook-delivery.contract.js';
import { SIGNATURE_HEADER, sign } from './webhook-signature.js';

/** A POST through the fetch guard (knowledge/fetch/post.ts); resolves with the status, rejects when refused or unreachable. */
export type Poster = (req: { url: string; headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

export interface NotifyDeps {
  db: Queryable;
  post: Poster;
  /** Clock for the signature's timestamp (tests pin it). */
  now?: () => number;
}

export function createNotifyActivities({ db, post, now = () => Date.now() }: NotifyDeps) {
  return {
    async deliverWebhook(input: { webhookId: string; event: WebhookEvent; workflowId: string }): Promise<{ delivered: boolean; attempt: number }> {
      const attempt = attemptNumber();
      const target = await deliveryTarget(db, input.webhookId);
      if (!target) throw ApplicationFailure.nonRetryable(`webhook ${input.webhookId} was deleted`, 'WebhookGone');
      const body = JSON.stringify(input.event);
      const started = now();
      const record = (status: 'delivered' | 'failed', extra: { httpStatus?: number; error?: string }) => recordDeliveryAttempt(db, input.webhookId, {
        eventId: input.event.id, eventType: input.event.type, attempt, status, durationMs: now() - started, ...extra,
      });
      let status: number;
      try {
        ({ status } = await post({
          url: target.url,
          body,
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: sign(target.secret, body, Math.floor(started / 1000)),
            'x-event-id': input.event.id,
            'x-event-type': input.event.type,
            'x-delivery-attempt': String(attempt),
          },
        }));
      } catch (err) {
        await record('failed', { error: (err as Error).message.slice(0, 500) });
        // The guard refuses the address (now private, or the allowlist changed): retrying cannot help.
        if (err instanceof FetchRefusedError) throw ApplicationFailure.nonRetryable(err.message, 'WebhookTargetRefused');
        throw err;
      }
      if (status < 200 || status >= 300) {
        await record('failed', { httpStatus: status, error: `the receiver answered ${status}` });
        throw ApplicationFailure.retryable(`the receiver answered ${status}`, 'WebhookRefused');
      }
      await record('delivered', { httpStatus: status });
      return { delivered: true, attempt };
    },
  };
}

function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;
