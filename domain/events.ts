/**
 * Workspace events: what happened to a workspace that its people, its webhooks (or, later, an email) should
 * hear about. The vocabulary is closed; an event's id is derived from what caused it (the trial workflow's
 * id and the event type, a conversation's workflow id and message id), so recording it twice stores it once.
 */
import { z } from 'zod';

export const EVENT_TYPES = [
  'conversation.handoff_requested',
  'conversation.assigned',
  'conversation.sla_breached',
  'conversation.closed',
  'message.created',
  'action.approval_requested',
  'contact.updated',
  'lead.qualified',
  'trial.started',
  'trial.ending_soon',
  'trial.ended',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export interface WorkspaceEvent {
  id: string;
  workspaceId: string;
  type: EventType;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Where events leave the install: webhooks (activities/event-notifier.ts), email once SMTP is configured.
 * Called at least once per event, again when an earlier attempt failed: implementations dedupe on
 * `event.id`. The stored event stays the record either way.
 */
export interface EventNotifier {
  notify(event: WorkspaceEvent): Promise<void>;
}
