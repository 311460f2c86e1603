/**
 * Sends one message on its conversation's channel, at least once and in practice once: the send is an
 * activity retried with exponential backoff until it succeeds, the channel refuses it, or `retryForMs`
 * (24 h) has passed; then the transcript entry says `failed` with the last error.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { OutboundActivities } from '../activities/outbound.js';
import { OUTBOUND_ROLES, type DeliveryState, type OutboundDeliveryInput } from './outbound-delivery.contract.js';
import { isObject, num, refuseIf, str, type Problems } from './shape-checks.js';

/** The input as its schema (outbound-delivery.schemas.ts) says, checked by hand: the bundle carries no zod. */
function checkInput(input: OutboundDeliveryInput): OutboundDeliveryInput {
  if (!isObject(input)) return refuseIf('input', ['not an object']) as never;
  const problems: Problems = [];
  for (const key of ['agentId', 'conversationId', 'messageId']) str(problems, input, key, { min: 1 });
  if (!OUTBOUND_ROLES.includes(input.role)) problems.push(`role: one of ${OUTBOUND_ROLES.join(', ')}`);
  num(problems, input, 'retryForMs', { int: true, min: 1 });
  num(problems, input, 'retryInitialMs', { int: true, min: 1 });
  refuseIf('input', problems);
  return input;
}

export async function outboundDelivery(rawInput: OutboundDeliveryInput): Promise<{ status: DeliveryState; reason?: string }> {
  const input = checkInput(rawInput);
  const key = { agentId: input.agentId, conversationId: input.conversationId, messageId: input.messageId, role: input.role };
  const { sendOutbound } = proxyActivities<OutboundActivities>({
    startToCloseTimeout: '1m',
    scheduleToCloseTimeout: input.retryForMs,
    retry: { initialInterval: input.retryInitialMs, backoffCoefficient: 2, maximumInterval: '1h', nonRetryableErrorTypes: ['MessageGone'] },
  });
  const { recordDeliveryFailure } = proxyActivities<OutboundActivities>({ startToCloseTimeout: '30s', retry: { maximumInterval: '1m' } });
  try {
    return await sendOutbound(key);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    if (err.cause instanceof ApplicationFailure && err.cause.type === 'MessageGone') return { status: 'failed', reason: err.cause.message };
    const reason = `gave up after ${Math.round(input.retryForMs / 1000)} s of retries`;
    await recordDeliveryFailure({ ...key, reason });
    return { status: 'failed', reason };
  }
}
