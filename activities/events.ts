/**
 * Emitting a workspace event from an activity: store it in the events table, then hand it to the notifier
 * (webhooks). Call it from the activity that caused the event, with an id derived from the cause, e.g.
 * `${workflowId}:${messageId}:message.created` or `${workflowId}:handoff:${n}`: a retried activity then
 * stores nothing new and starts no second delivery (delivery workflow ids are `webhook:<id>:<eventId>`).
 *
 *   const events = createEventEmitter(deps);   // deps.notifier is the worker's, from createActivities
 *   await events.emit({ id, workspaceId, type: 'conversation.assigned', data: { conversationId, assigneeId } });
 *
 * Emit after the activity's own writes have committed: an event is a promise that they happened.
 */
import { recordEvent } from '../db/events.js';
import type { Queryable } from '../db/types.js';
import type { EventNotifier, EventType, WorkspaceEvent } from '../domain/events.js';

export interface EmitInput {
  /** Derived from the cause, never random: the same cause gives the same id. */
  id: string;
  workspaceId: string;
  type: EventType;
  data?: Record<string, unknown>;
}

export interface EventEmitter {
  /** Stores the event (once per id) and notifies; resolves with the stored event. Throws when notifying fails: retry it. */
  emit(input: EmitInput): Promise<WorkspaceEvent>;
}

export function createEventEmitter({ db, notifier }: { db: Queryable; notifier?: EventNotifier }): EventEmitter {
  return {
    async emit(input) {
      // A retry finds the stored event and notifies again with it: the notifier dedupes on its id.
      const { event } = await recordEvent(db, input);
      await notifier?.notify(event);
      return event;
    },
  };
}
