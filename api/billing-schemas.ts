/** Request and response schemas of the trial, billing, usage and events routes. */
import { z } from 'zod';
import { EventType } from '../domain/events.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day (midnight UTC) or a moment with its offset; anything else is refused naming the parameter. */
export const IsoInstant = z.string()
  .refine((v) => z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success,
    'an ISO date (2026-03-01, midnight UTC) or date-time with offset (2026-03-01T09:30:00Z)')
  .transform((v) => new Date(ISO_DAY.test(v) ? `${v}T00:00:00Z` : v));

/** [from, to): `to` is exclusive. Default: the current calendar month in UTC. */
export const UsageQuery = z.object({ from: IsoInstant.optional(), to: IsoInstant.optional() }).strict();

const Counts = { credits: z.number().int(), conversations: z.number().int() };
export const UsageReport = z.object({
  from: z.string(),
  to: z.string(),
  ...Counts,
  byAgent: z.array(z.object({ agentId: z.string(), ...Counts })),
  /** UTC days that had usage, oldest first. */
  byDay: z.array(z.object({ day: z.string(), ...Counts })),
});

export const TrialStatus = z.enum(['none', 'pending', 'active', 'ended']);
export const TrialView = z.object({
  /** none: not opted in; pending: waiting for the first agent to go live; active; ended. */
  status: TrialStatus,
  startedAt: z.string().optional(),
  endsAt: z.string().optional(),
  /** When `trial.ending_soon` is recorded. */
  reminderAt: z.string().optional(),
  creditsEnabled: z.boolean(),
});

export const Billing = z.object({ creditsEnabled: z.boolean() });
export const UpdateBilling = z.object({ creditsEnabled: z.boolean() }).strict();

export const EventsQuery = z.object({
  type: EventType.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
}).strict();
export const EventList = z.object({
  events: z.array(z.object({ id: z.string(), type: EventType, data: z.record(z.string(), z.unknown()), createdAt: z.string() })),
});
