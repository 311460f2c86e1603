/** Request and response schemas of the usage route (and, later, billing). */
import { z } from 'zod';

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
