/**
 * Who takes a handed-off conversation: round robin over the people who are within their working hours,
 * fewest open conversations first, then the one assigned longest ago. Nobody available → the queue.
 */
import { isWithinHours, type WorkingHours } from './hours.js';

export interface Candidate {
  id: string;
  workingHours?: WorkingHours;
  /** Conversations this person owns now. */
  open: number;
  lastAssignedAt?: Date;
}

export function pickAssignee(candidates: readonly Candidate[], now: Date): string | undefined {
  const available = candidates.filter((c) => !c.workingHours || isWithinHours(c.workingHours, now));
  available.sort((a, b) => a.open - b.open
    || (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0)
    || a.id.localeCompare(b.id));
  return available[0]?.id;
}
