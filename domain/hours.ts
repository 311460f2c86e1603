/**
 * Working hours (a deployment's, a person's): the schema they are stored and accepted in. Their window
 * arithmetic (within them now? when next?) is in domain/hours-window.ts, re-exported here.
 */
import { z } from 'zod';
import { DAYS, minutes } from './hours-window.js';

export { DAYS, type Day, instantOf, isWithinHours, nextChange, nextOpening } from './hours-window.js';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time such as 09:00 (24:00 ends at midnight)');

/** One stretch of a day, start before end; a night shift is two stretches: ["22:00","24:00"] and ["00:00","06:00"]. */
export const Shift = z.tuple([HHMM, HHMM]).refine(([a, b]) => minutes(a) < minutes(b), 'a shift ends after it starts (split a night shift at 24:00)');

export const TimeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Copenhagen');

export const WorkingHours = z.object({
  /** all: always; within: inside the weekly shifts; outside: outside them (an after-hours agent). */
  mode: z.enum(['all', 'within', 'outside']),
  timeZone: TimeZone.default('UTC'),
  weekly: z.partialRecord(z.enum(DAYS), z.array(Shift).max(12)).default({}),
  /** Whole local days without shifts (within: closed; outside: the agent is on all day). */
  holidays: z.array(z.iso.date()).max(400).optional(),
}).strict();
export type WorkingHours = z.infer<typeof WorkingHours>;

export const ALL_HOURS: WorkingHours = { mode: 'all', timeZone: 'UTC', weekly: {} };
