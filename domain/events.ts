/**
 * Workspace events: what happened to a workspace that its people (or, later, a webhook or an email) should
 * hear about. The vocabulary is closed; an event's id is derived from what caused it (the trial workflow's
 * id and the event type), so recording it twice stores it once.
 */
import { z } from 'zod';

export const EVENT_TYPES = [
  'trial.started', 'trial.ending_soon', 'trial.ended',
  'conversation.handoff_requested', 'conversation.assigned', 'conversation.sla_breached', 'conversation.closed', 'message.created',
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
 * Where events leave the install (email once SMTP is configured, webhooks later). Called at least once per
 * event, again when an earlier attempt failed: implementations dedupe on `event.id`. No implementation
 * exists yet; until one does, the stored event and the audit log entry are the record.
 */
export interface EventNotifier {
  notify(event: WorkspaceEvent): Promise<void>;
}
