/**
 * Delivers one event to one webhook, at least once: the POST is an activity retried with exponential
 * backoff until it succeeds or `retryForMs` (24 h) has passed. The receiver dedupes on the event id.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { NotifyActivities } from '../activities/notify.js';
import { DEFAULT_RETRY_INITIAL_MS, WebhookDeliveryInput, type DeliveryOutcome } from './webhook-delivery.contract.js';

export async function webhookDelivery(rawInput: WebhookDeliveryInput): Promise<DeliveryOutcome> {
  const input = WebhookDeliveryInput.parse(rawInput);
  const { deliverWebhook } = proxyActivities<NotifyActivities>({
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: input.retryForMs,
    retry: { initialInterval: input.retryInitialMs ?? DEFAULT_RETRY_INITIAL_MS, backoffCoefficient: 2, maximumInterval: '1h', nonRetryableErrorTypes: ['WebhookGone'] },
  });
  try {
    await deliverWebhook({ ...input, workflowId: workflowInfo().workflowId });
    return { status: 'delivered' };
  } catch (err) {
    // Out of time (or the webhook was deleted): the attempts are on record; the workflow ends failed-but-handled.
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'WebhookGone') {
      return { status: 'skipped' };
    }
    if (err instanceof ActivityFailure) return { status: 'failed' };
    throw err;
  }
}
