/**
 * The conversation workflow's small pure pieces: what it publishes to the Temporal UI,
 * how it reads failures, and the insights of replies it makes without the turn.
 */
import { ActivityFailure, ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { SearchAttr, type ConversationStatus, type InboundMessage } from './conversation.contract.js';

export function publishStatus(status: ConversationStatus): void {
  upsertSearchAttributes([{ key: SearchAttr.status, value: status }]);
}

export function publishCustomer(customer: InboundMessage['customer']): void {
  const pairs = [];
  if (customer?.email) pairs.push({ key: SearchAttr.customerEmail, value: customer.email });
  if (customer?.id) pairs.push({ key: SearchAttr.customerId, value: customer.id });
  if (pairs.length > 0) upsertSearchAttributes(pairs);
}

/** The type of the application failure behind an activity failure, if there is one. */
export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined;
}

/** Why the agent did not answer from knowledge: the message came outside its deployment's hours. */
export function outsideHoursInsights(action: 'handoff' | 'message') {
  return {
    path: ['hours'], reason: `outside the deployment's hours: ${action === 'handoff' ? 'handed to the team' : 'the away text, and an answer when the hours start'}`,
    triggers: ['outside_hours'], scores: {}, candidates: [], responder: 'hours',
  };
}

export function messageIdConflict(messageId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`message id ${messageId} was already used for a different text`, 'MessageIdConflict');
}
