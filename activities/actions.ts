/**
 * Runs an agent's action for a conversation: the workflow decided on it from the turn's intent. The
 * Idempotency-Key is derived from the workflow, the message and the action, so every retry (and a
 * worker killed mid-call) sends the same key, and a run that already finished is answered from the
 * database without calling again (actions/run.ts). An action that needs a verified customer is refused
 * here too, whatever the graph decided.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { RetryableActionError, runAction, type RunActionDeps } from '../actions/run.js';
import { abandonActionRun } from '../db/actions.js';
import type { ActionOutcome, InputValue } from '../domain/action.js';
import { isVerifiedFor } from '../domain/identity.js';
import type { Customer } from '../workflows/conversation.contract.js';

export interface ConversationActionInput {
  agentId: string;
  conversationId: string;
  messageId: string;
  actionId: string;
  inputs: Record<string, InputValue>;
  customer?: Customer;
}

const HEARTBEAT_MS = 1000;

/** One run per (conversation workflow, message, action): the key every attempt sends. */
export function actionRunKey(workflowId: string, messageId: string, actionId: string): string {
  return `${workflowId}:${messageId}:action:${actionId}`;
}

export function createActionActivities(deps: RunActionDeps) {
  const keyOf = (input: Pick<ConversationActionInput, 'messageId' | 'actionId'>) => {
    const workflowId = Context.current().info.workflowExecution?.workflowId;
    if (!workflowId) throw ApplicationFailure.nonRetryable('an action run belongs to a conversation workflow', 'ActionRefused');
    return actionRunKey(workflowId, input.messageId, input.actionId);
  };
  return {
    async runConversationAction(input: ConversationActionInput): Promise<ActionOutcome> {
      // Heartbeats let the server see a dead worker within the heartbeat timeout and retry on another one
      // (same key), instead of waiting out the whole call timeout.
      const beat = setInterval(() => Context.current().heartbeat(), HEARTBEAT_MS);
      try {
        return await runAction(deps, {
          agentId: input.agentId, actionId: input.actionId, conversationId: input.conversationId, messageId: input.messageId,
          inputs: input.inputs, idempotencyKey: keyOf(input), identityVerified: isVerifiedFor(input.customer),
        });
      } catch (err) {
        // Worth another attempt (network, timeout, 408, 429, 5xx): Temporal retries with the same key.
        if (err instanceof RetryableActionError) throw ApplicationFailure.retryable(err.message, 'ActionUnavailable');
        throw err;
      } finally {
        clearInterval(beat);
      }
    },

    /** The workflow gave up after the last retry: the run is recorded as failed (a finished run stays as it is). */
    async abandonConversationAction(input: Pick<ConversationActionInput, 'messageId' | 'actionId'> & { error: string }): Promise<void> {
      await abandonActionRun(deps.db, keyOf(input), input.error);
    },
  };
}

export type ActionActivities = ReturnType<typeof createActionActivities>;
