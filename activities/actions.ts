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
import { abandonActionRun, actionRunByKey, finishActionRun, getAction, startActionRun } from '../db/actions.js';
import { getAgent } from '../db/agents.js';
import { recordMessage } from '../db/conversations.js';
import type { EventNotifier } from '../domain/events.js';
import { createEventEmitter } from './events.js';
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
  /** A person approved this run (an action that requiresApproval). */
  approved?: boolean;
}

const HEARTBEAT_MS = 1000;

/** One run per (conversation workflow, message, action): the key every attempt sends. */
export function actionRunKey(workflowId: string, messageId: string, actionId: string): string {
  return `${workflowId}:${messageId}:action:${actionId}`;
}

export interface ActionActivityDeps extends RunActionDeps {
  notifier?: EventNotifier;
}

export function createActionActivities(deps: ActionActivityDeps) {
  const events = createEventEmitter(deps);
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
          ...(input.approved ? { approved: true } : {}),
        });
      } catch (err) {
        // Worth another attempt (network, timeout, 408, 429, 5xx): Temporal retries with the same key.
        if (err instanceof RetryableActionError) throw ApplicationFailure.retryable(err.message, 'ActionUnavailable');
        throw err;
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * An action that needs a person's approval: the run is drafted (pending_approval, nothing called) and
     * the team is told (`action.approval_requested`). Idempotent on the run's key.
     */
    async draftConversationAction(input: ConversationActionInput & { expiresAt: string }): Promise<{ runId: string }> {
      const key = keyOf(input);
      const { run } = await startActionRun(deps.db, {
        idempotencyKey: key, agentId: input.agentId, actionId: input.actionId, conversationId: input.conversationId,
        messageId: input.messageId, inputs: input.inputs, status: 'pending_approval',
      });
      const agent = await getAgent(deps.db, input.agentId);
      const action = await getAction(deps.db, input.agentId, input.actionId);
      if (agent) {
        await events.emit({
          id: `${key}:approval_requested`, workspaceId: agent.workspaceId, type: 'action.approval_requested',
          data: {
            agentId: input.agentId, conversationId: input.conversationId, runId: run.id, actionId: input.actionId,
            action: action?.name ?? input.actionId, inputs: input.inputs, expiresAt: input.expiresAt,
          },
        });
      }
      return { runId: run.id };
    },

    /** A drafted run a person rejected, or whose approval time ran out: finished without a call. */
    async closeDraftedAction(input: Pick<ConversationActionInput, 'messageId' | 'actionId'> & { status: 'rejected' | 'expired'; by?: string }): Promise<void> {
      const run = await actionRunByKey(deps.db, keyOf(input));
      if (run) await finishActionRun(deps.db, run.id, { status: input.status, error: input.status === 'rejected' ? `rejected${input.by ? ` by ${input.by}` : ''}` : 'nobody approved it in time' });
    },

    /** What the agent says after the customer's message was answered (an approved action's result): kept as role agent. */
    async recordAgentNotice(input: { agentId: string; conversationId: string; messageId: string; text: string; language: string }): Promise<void> {
      await recordMessage(deps.db, { ...input, role: 'agent', kind: 'answer' });
    },

    /** The workflow gave up after the last retry: the run is recorded as failed (a finished run stays as it is). */
    async abandonConversationAction(input: Pick<ConversationActionInput, 'messageId' | 'actionId'> & { error: string }): Promise<void> {
      await abandonActionRun(deps.db, keyOf(input), input.error);
    },
  };
}

export type ActionActivities = ReturnType<typeof createActionActivities>;
