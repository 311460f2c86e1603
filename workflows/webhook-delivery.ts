/**
 * Delivers one event to one webhook, at least once: the POST is an activity retried with exponential
 * backoff until it succeeds or `retryForMs` (24 h) has passed. The receiver dedupes on the event id.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { NotifyActivities } from '../activities/notify.js';
import { DEFAULT_RETRY_INITIAL_MS, type DeliveryOutcome, type WebhookDeliveryInput } from './webhook-delivery.contract.js';
import { isObject, num, refuseIf, str, type Problems } from './shape-checks.js';

/** The input as its schema (webhook-delivery.schemas.ts) says, checked by hand: the bundle carries no zod. */
function checkInput(input: WebhookDeliveryInput): WebhookDeliveryInput {
  if (!isObject(input)) return refuseIf('input', ['not an object']) as never;
  const problems: Problems = [];
  str(problems, input, 'webhookId', { min: 1 });
  const event: unknown = input.event;
  if (!isObject(event)) problems.push('event: not an object');
  else {
    str(problems, event, 'id', { min: 1 });
    str(problems, event, 'type', { min: 1 });
    str(problems, event, 'createdAt', {});
    if (!isObject(event.data)) problems.push('event.data: not an object');
  }
  num(problems, input, 'retryForMs', { int: true, min: 1 });
  num(problems, input, 'retryInitialMs', { int: true, min: 1, required: false });
  refuseIf('input', problems);
  return input;
}

export async function webhookDelivery(rawInput: WebhookDeliveryInput): Promise<DeliveryOutcome> {
  const input = checkInput(rawInput);
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
