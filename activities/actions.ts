/**
 * Runs an agent's action for a conversation: the workflow decided on it from the turn's intent. The
 * Idempotency-Key is derived from the workflow, the message and the action, so every retry (and a
 * worker killed mid-call) sends the same key, and a run that already finished is answered from the
 * database without calling again (actions/run.ts). An action that needs a verified customer is refused
 * here too, whatever the graph decided.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { runAction, type RunActionDeps } from '../actions/run.js';
import type { ActionOutcome, InputValue } from '../domain/action.js';
import type { Customer } from '../workflows/conversation.contract.js';

export interface ConversationActionInput {
  agentId: string;
  conversationId: string;
  messageId: string;
  actionId: string;
  inputs: Record<string, InputValue>;
  customer?: Customer;
}

export function createActionActivities(deps: RunActionDeps) {
  return {
    async runConversationAction(input: ConversationActionInput): Promise<ActionOutcome> {
      const workflowId = Context.current().info.workflowExecution.workflowId;
      try {
        return await runAction(deps, {
          agentId: input.agentId, actionId: input.actionId, conversationId: input.conversationId, messageId: input.messageId,
          inputs: input.inputs, idempotencyKey: `${workflowId}:${input.messageId}:action:${input.actionId}`,
          verifiedCustomer: input.customer?.verified === true,
        });
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        // Retryable (network, timeout, 5xx): Temporal retries with the same key. The message, never a secret.
        throw ApplicationFailure.retryable((err as Error).message, 'ActionUnavailable');
      }
    },
  };
}

export type ActionActivities = ReturnType<typeof createActionActivities>;
