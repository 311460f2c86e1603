/**
 * Whether an agent answers at an instant on a deployment, from its hours. Kept apart from the zod schemas
 * of domain/deployment.ts (which re-exports it) because the conversation workflow calls it, and the
 * workflow bundle must not evaluate zod (workflows/README.md says why).
 */
import type { Availability } from './deployment.js';
import { isWithinHours, nextOpening } from './hours-window.js';

/** Whether the agent answers now; when not, the instant it next does (undefined: never within a year). */
export function answersAt(a: Pick<Availability, 'hours'>, at: Date): { now: true } | { now: false; opensAt?: Date } {
  if (isWithinHours(a.hours, at)) return { now: true };
  const opens = nextOpening(a.hours, at);
  return opens ? { now: false, opensAt: opens } : { now: false };
}
