/**
 * The window arithmetic of working hours: whether an instant is within them, and when that next changes.
 * Pure functions of (hours, instant), so workflows use them with workflow time and tests with fixed clocks.
 * Local times are read in the hours' IANA time zone, so split shifts, DST changes and holidays follow the
 * calendar of the people who keep the hours.
 *
 * Kept apart from the zod schema (domain/hours.ts) because workflows call it: the workflow bundle must not
 * evaluate zod (each cached workflow re-evaluates every module it reaches, see workflows/README.md).
 */
import type { WorkingHours } from './hours.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

/** Minutes since midnight of an `HH:MM` time (24:00 is 1440). */
export const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a time zone. */
function localParts(at: number, timeZone: string) {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

/** Offset of the zone from UTC at an instant, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const l = localParts(at, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local wall time happens. A time skipped by a DST change (02:30 on a spring-forward night)
 * is the first instant after the gap; a repeated one (autumn) is its first occurrence.
 */
export function instantOf(d: LocalDate, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day) + minuteOfDay * 60_000;
  // At most one offset change within a day either side: the instant is wall minus one of these two.
  const early = offsetAt(wall - 12 * 3600_000, timeZone);
  const late = offsetAt(wall + 12 * 3600_000, timeZone);
  const exact = [wall - early, wall - late].filter((t) => t + offsetAt(t, timeZone) === wall).sort((a, b) => a - b);
  if (exact.length > 0) return exact[0]!;
  // Skipped by the change: find the change itself, between the two readings.
  let lo = Math.min(wall - early, wall - late);
  let hi = Math.max(wall - early, wall - late);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, timeZone) === early) lo = mid;
    else hi = mid;
  }
  return hi;
}

function addDays(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function dayOf(d: LocalDate): Day {
  return DAYS[(new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7]!;
}

function iso(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The shifts of one local day as [start, end) instants, merged where they touch, holidays empty. */
function shiftsOn(hours: WorkingHours, d: LocalDate): Array<[number, number]> {
  if (hours.holidays?.includes(iso(d))) return [];
  const shifts = [...(hours.weekly[dayOf(d)] ?? [])].map(([a, b]) => [minutes(a), minutes(b)] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of shifts) {
    const start = instantOf(d, a, hours.timeZone);
    const end = b === 24 * 60 ? instantOf(addDays(d, 1), 0, hours.timeZone) : instantOf(d, b, hours.timeZone);
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else if (end > start) out.push([start, end]);
  }
  return out;
}

/** Shifts around an instant: from the local day before to `days` days after, as sorted, merged intervals. */
function shiftsAround(hours: WorkingHours, at: number, days: number): Array<[number, number]> {
  const l = localParts(at, hours.timeZone);
  const today: LocalDate = { year: l.year, month: l.month, day: l.day };
  const all: Array<[number, number]> = [];
  for (let i = -1; i <= days; i++) all.push(...shiftsOn(hours, addDays(today, i)));
  all.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const s of all) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

function inShift(hours: WorkingHours, at: number): boolean {
  return shiftsAround(hours, at, 1).some(([a, b]) => a <= at && at < b);
}

/** Whether someone keeping these hours is available at `at`. */
export function isWithinHours(hours: WorkingHours, at: Date): boolean {
  if (hours.mode === 'all') return true;
  const open = inShift(hours, at.getTime());
  return hours.mode === 'within' ? open : !open;
}

/**
 * The next instant after `at` when availability changes (opens or closes), looking up to `horizonDays`
 * ahead; undefined when it never changes in that time (mode all, or no shifts at all).
 */
export function nextChange(hours: WorkingHours, at: Date, horizonDays = 400): Date | undefined {
  if (hours.mode === 'all') return undefined;
  const t = at.getTime();
  // Scan a week at a time, so a long run of holidays costs a few passes, not 400 days of formatting.
  for (let from = t; from - t < horizonDays * 86_400_000; from += 7 * 86_400_000) {
    const edges = shiftsAround(hours, from, 8).flat().filter((e) => e > t).sort((a, b) => a - b);
    if (edges.length > 0) return new Date(edges[0]!);
  }
  return undefined;
}

/** When a conversation waiting for these hours should wake: now if within them, else when they next begin. */
export function nextOpening(hours: WorkingHours, at: Date): Date | undefined {
  if (isWithinHours(hours, at)) return at;
  return nextChange(hours, at);
}
