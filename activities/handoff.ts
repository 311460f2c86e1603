/**
 * The human side of a conversation: routing a handoff to a person or a team queue, a person's replies,
 * the workflow's own notices, and the events the team's tools hear about. Each activity is idempotent on
 * its business key (conversation, message or event id), so retries never double a row or an event.
 */
import { ApplicationFailure } from '@temporalio/common';
import { getAgent } from '../db/agents.js';
import { recordMessage } from '../db/conversations.js';
import { recordEvent } from '../db/events.js';
import { setOwner } from '../db/inbox.js';
import { assignmentCandidates, getTeam, getUser, markAssigned, unknownTeams } from '../db/people.js';
import type { Queryable } from '../db/types.js';
import { subscribersOf } from '../db/webhooks.js';
import type { ConversationStatus } from '../domain/conversation.js';
import type { EventNotifier, EventType } from '../domain/events.js';
import type { AssignTo } from '../domain/handoff.js';
import { pickAssignee } from '../domain/routing.js';

interface Key {
  agentId: string;
  conversationId: string;
}

export interface Owned {
  status: ConversationStatus;
  assigneeId?: string;
  teamId?: string;
}

export interface HandoffDeps {
  db: Queryable;
  notifier?: EventNotifier;
  clock?: () => Date;
}

export function createHandoffActivities({ db, notifier, clock = () => new Date() }: HandoffDeps) {
  // An agent never moves to another workspace (nothing updates agents.workspace_id), so the answer is kept
  // for the process: one round trip less on every event and person's write.
  const workspaces = new Map<string, string>();
  async function workspaceOf(agentId: string): Promise<string> {
    const known = workspaces.get(agentId);
    if (known) return known;
    const agent = await getAgent(db, agentId);
    if (!agent) throw ApplicationFailure.nonRetryable(`agent ${agentId} does not exist`, 'AgentNotFound');
    workspaces.set(agentId, agent.workspaceId);
    return agent.workspaceId;
  }

  /** Records the event once (by id) and hands it to the notifier on every attempt; its deliveries dedupe. */
  async function emit(e: { id: string; agentId: string; type: EventType; data: Record<string, unknown> }): Promise<void> {
    const workspaceId = await workspaceOf(e.agentId);
    // Every message is an event only for workspaces that listen: the events table is no second transcript.
    if (e.type === 'message.created' && (await subscribersOf(db, workspaceId, e.type)).length === 0) return;
    const { event } = await recordEvent(db, { id: e.id, workspaceId, type: e.type, data: { agentId: e.agentId, ...e.data } });
    await notifier?.notify(event);
  }

  /** The settings' target without teams that no longer exist (a queue nobody can see is no queue). */
  async function liveTarget(workspaceId: string, target: AssignTo): Promise<AssignTo> {
    if (target.type !== 'teams') return target;
    const gone = new Set(await unknownTeams(db, workspaceId, target.ids));
    const ids = target.ids.filter((id) => !gone.has(id));
    return ids.length > 0 ? { type: 'teams', ids } : { type: 'unassigned' };
  }

  return {
    /**
     * Hands the conversation over as the agent's settings say: to the least busy available person of the
     * named users or teams (round robin), else to the first team's queue, else to the workspace queue.
     * Teams deleted since the settings were saved are skipped; with none left it is the workspace queue.
     */
    async routeHandoff(input: Key & { assignTo: AssignTo; reason: string; eventId: string; summary?: string }): Promise<Owned> {
      const workspaceId = await workspaceOf(input.agentId);
      const target = await liveTarget(workspaceId, input.assignTo);
      let owned: Owned = { status: 'handoff_requested', ...(target.type === 'teams' ? { teamId: target.ids[0]! } : {}) };
      if (target.type !== 'unassigned') {
        const candidates = await assignmentCandidates(db, workspaceId, target.type === 'users' ? { userIds: target.ids } : { teamIds: target.ids });
        const picked = pickAssignee(candidates, clock());
        if (picked) {
          const teamId = target.type === 'teams' ? candidates.find((c) => c.id === picked)?.teamIds.find((t) => target.ids.includes(t)) : undefined;
          owned = { status: 'assigned', assigneeId: picked, ...(teamId ? { teamId } : {}) };
          await markAssigned(db, picked);
        }
      }
      await setOwner(db, { ...input, status: owned.status, assigneeId: owned.assigneeId ?? null, teamId: owned.teamId ?? null });
      await emit({ id: `${input.eventId}:handoff_requested`, agentId: input.agentId, type: 'conversation.handoff_requested', data: { conversationId: input.conversationId, reason: input.reason, ...(input.summary ? { summary: input.summary } : {}), ...owned } });
      if (owned.assigneeId) {
        await emit({ id: `${input.eventId}:assigned`, agentId: input.agentId, type: 'conversation.assigned', data: { conversationId: input.conversationId, assigneeId: owned.assigneeId, ...(owned.teamId ? { teamId: owned.teamId } : {}) } });
      }
      return owned;
    },

    /** A person (or ops) gives the conversation to a user or a team queue; unknown ones are refused. */
    async assignConversation(input: Key & { userId?: string; teamId?: string; eventId: string }): Promise<Owned> {
      const workspaceId = await workspaceOf(input.agentId);
      let owned: Owned;
      if (input.userId) {
        const user = await getUser(db, workspaceId, input.userId);
        if (!user) throw ApplicationFailure.nonRetryable(`user ${input.userId} does not exist`, 'UserNotFound');
        owned = { status: 'assigned', assigneeId: user.id, ...(user.teamIds[0] ? { teamId: user.teamIds[0] } : {}) };
        await markAssigned(db, user.id);
      } else {
        if (!input.teamId || !(await getTeam(db, workspaceId, input.teamId))) {
          throw ApplicationFailure.nonRetryable(`team ${input.teamId ?? ''} does not exist`, 'TeamNotFound');
        }
        owned = { status: 'handoff_requested', teamId: input.teamId };
      }
      await setOwner(db, { ...input, status: owned.status, assigneeId: owned.assigneeId ?? null, teamId: owned.teamId ?? null });
      await emit({ id: `${input.eventId}:assigned`, agentId: input.agentId, type: 'conversation.assigned', data: { conversationId: input.conversationId, ...owned } });
      return owned;
    },

    /** Status and owner as the workflow has them (hand back, SLA re-queue, close). */
    async setOwner(input: Key & Owned & { event?: { id: string; type: EventType; data?: Record<string, unknown> } }): Promise<void> {
      await setOwner(db, { ...input, assigneeId: input.assigneeId ?? null, teamId: input.teamId ?? null });
      if (input.event) await emit({ id: input.event.id, agentId: input.agentId, type: input.event.type, data: { conversationId: input.conversationId, status: input.status, ...input.event.data } });
    },

    /** A person's reply, kept as role `human` with the user; the user must belong to the agent's workspace. */
    async recordHumanReply(input: Key & { messageId: string; userId: string; text: string }): Promise<{ userName: string }> {
      const user = await getUser(db, await workspaceOf(input.agentId), input.userId);
      if (!user) throw ApplicationFailure.nonRetryable(`user ${input.userId} does not exist`, 'UserNotFound');
      await recordMessage(db, { ...input, role: 'human' });
      await emit({ id: `${input.conversationId}:${input.messageId}:message`, agentId: input.agentId, type: 'message.created', data: { conversationId: input.conversationId, messageId: input.messageId, role: 'human', userId: user.id, text: input.text } });
      return { userName: user.name };
    },

    /** The workflow's own notice to the customer ("still waiting"), kept as role `system`. */
    async recordSystemMessage(input: Key & { messageId: string; text: string; language: string }): Promise<void> {
      await recordMessage(db, { ...input, role: 'system' });
    },

    /** message.created for a customer or agent message (webhooks of the workspace, when any listen). */
    async emitMessageEvent(input: Key & { messageId: string; role: 'customer' | 'agent'; text: string; assigneeId?: string }): Promise<void> {
      await emit({ id: `${input.conversationId}:${input.messageId}:${input.role}`, agentId: input.agentId, type: 'message.created', data: { conversationId: input.conversationId, messageId: input.messageId, role: input.role, text: input.text, ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}) } });
    },
  };
}

export type HandoffActivities = ReturnType<typeof createHandoffActivities>;
