/**
 * The agent's turn: runs the LangGraph turn graph (retrieve → answer-or-clarify → action → handoff)
 * inside an activity, because LangGraph cannot run in the workflow sandbox. State in, state out: the
 * graph has no checkpointer; Temporal history is the checkpoint. No side effects happen here.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { getAgent } from '../db/agents.js';
import { listActions } from '../db/actions.js';
import type { Db } from '../db/types.js';
import type { PendingAction } from '../domain/action.js';
import { crmAccess } from '../domain/agent.js';
import type { Channel } from '../domain/channel.js';
import { contactForAgent } from './contacts.js';
import { runTurn, type TurnGraph } from '../graphs/turn/graph.js';
import { resolveReplyLanguage } from '../knowledge/language.js';
import type { TurnInput, TurnResult } from '../graphs/turn/state.js';
import type { z } from 'zod';
import type { Customer, Turn } from '../workflows/conversation.contract.js';

/**
 * The agent does not answer: it is paused or archived. The workflow records the message; a paused agent's
 * conversation goes to people (the customer told in `language`, the reply language the turn would have
 * used), an archived agent stays silent.
 */
export interface SilentTurn {
  silent: { reason: 'agent_paused' | 'agent_archived'; offReason?: string; language?: string };
}

export type AgentTurnResult = TurnResult | SilentTurn;

export function isSilent(r: AgentTurnResult): r is SilentTurn {
  return 'silent' in r;
}

export interface AgentTurnInput {
  agentId: string;
  conversationId: string;
  message: { id: string; text: string };
  customer?: Customer;
  history: Turn[];
  missStreak: number;
  /** Clarifying questions asked in a row before this turn (absent in histories from before it was kept). */
  clarifyStreak?: number;
  /** A draft for a person (suggestion): answer even when the agent itself is switched off. */
  ignoreStatus?: boolean;
  /** An action whose inputs the agent is gathering (absent before actions). */
  pendingAction?: PendingAction;
  /** The conversation's channel and address: which contact the customer is (absent before contacts). */
  channel?: Channel;
  address?: Record<string, unknown>;
  /** A contact property change the agent asked the customer to confirm. */
  pendingCrm?: { property: string; value: string };
  /** Lead qualification under way: the criterion asked last and the answers so far. */
  leadProgress?: { asking: string; answers: Record<string, string> };
}

const HEARTBEAT_MS = 1000;

export function createTurnActivities({ db, graph, faultDelayMs = 0 }: { db: Db; graph: TurnGraph; faultDelayMs?: number }) {
  return {
    async agentTurn(input: AgentTurnInput): Promise<AgentTurnResult> {
      // Heartbeats let the server notice a dead worker within the heartbeat timeout and retry elsewhere.
      const beat = setInterval(() => heartbeatIfInActivity(), HEARTBEAT_MS);
      try {
        if (faultDelayMs > 0) await new Promise((r) => setTimeout(r, faultDelayMs));
        const agent = await getAgent(db, input.agentId);
        if (!agent) throw ApplicationFailure.nonRetryable(`agent ${input.agentId} does not exist`, 'AgentNotFound');
        if (agent.status !== 'active' && !input.ignoreStatus) {
          const language = resolveReplyLanguage({
            text: input.message.text, history: input.history.filter((t) => t.role === 'customer').map((t) => t.text),
            ...(input.customer?.locale ? { locale: input.customer.locale } : {}), agentDefault: agent.defaultLanguage,
          });
          return { silent: { reason: agent.status === 'archived' ? 'agent_archived' : 'agent_paused', ...(agent.offReason ? { offReason: agent.offReason } : {}), language } };
        }
        const handoff = agent.settings.handoff;
        // A draft for a person never runs an action: it only words an answer.
        const actions = input.ignoreStatus ? [] : await listActions(db, agent.id);
        // The customer's contact (found or made, and linked), read before the graph thinks: what it may
        // show and change. Idempotent, so a retried turn finds the same one. The agent read above serves it.
        const crm = crmAccess(agent.settings);
        const lead = agent.settings.leadQualification?.enabled ? agent.settings.leadQualification : undefined;
        const contact = input.channel && !input.ignoreStatus
          ? await contactForAgent(db, agent, {
            agentId: agent.id, conversationId: input.conversationId, channel: input.channel,
            ...(input.customer ? { customer: { ...(input.customer.id ? { id: input.customer.id } : {}), ...(input.customer.email ? { email: input.customer.email } : {}), ...(input.customer.name ? { name: input.customer.name } : {}), ...(input.customer.verified !== undefined ? { verified: input.customer.verified } : {}) } } : {}),
            ...(input.address ? { address: input.address } : {}),
          })
            // Data the contact store refuses for good (never a passing failure: those retry the turn) must
            // not cost the customer their answer: the turn goes on without the contact.
            .catch((err: unknown) => { if (err instanceof ApplicationFailure && err.nonRetryable) return undefined; throw err; })
          : undefined;
        const turnInput: z.input<typeof TurnInput> = {
          agent: {
            id: agent.id,
            name: agent.name,
            defaultLanguage: agent.defaultLanguage,
            ...(agent.personality ? { personality: agent.personality } : {}),
          },
          message: input.message,
          ...(input.customer ? { customer: input.customer } : {}),
          history: input.history,
          missStreak: input.missStreak,
          clarifyStreak: input.clarifyStreak ?? 0,
          ...(handoff ? { handoff: { triggers: handoff.triggers, ...(handoff.afterClarifications ? { afterClarifications: handoff.afterClarifications } : {}) } } : {}),
          actions,
          ...(input.pendingAction ? { pendingAction: input.pendingAction } : {}),
          ...(contact ? { contact } : {}),
          crm,
          ...(lead ? { lead: { criteria: lead.criteria, assignTo: lead.assignTo } } : {}),
          ...(input.pendingCrm ? { pendingCrm: input.pendingCrm } : {}),
          ...(input.leadProgress ? { leadProgress: input.leadProgress } : {}),
        };
        return await runTurn(graph, turnInput);
      } finally {
        clearInterval(beat);
      }
    },
  };
}

function heartbeatIfInActivity(): void {
  try {
    const context = Context.current();
    // A local activity has no heartbeat of its own (the SDK keeps its workflow task alive): the server
    // answers UnknownActivity, a warning per beat that flooded the log under load.
    if (!context.info.isLocal) context.heartbeat();
  } catch {
    // Called outside an activity context (direct calls in benchmarks): nothing to heartbeat.
  }
}

export type TurnActivities = ReturnType<typeof createTurnActivities>;
