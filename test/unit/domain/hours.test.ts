import { describe, expect, it } from 'vitest';
import { WorkingHours, isWithinHours, nextChange, nextOpening, type WorkingHours as Hours } from '../../../domain/hours.js';

const at = (iso: string) => new Date(iso);
const office: Hours = WorkingHours.parse({
  mode: 'within',
  timeZone: 'Europe/Copenhagen',
  weekly: { mon: [['09:00', '12:00'], ['13:00', '17:00']], tue: [['09:00', '17:00']], fri: [['09:00', '15:00']] },
  holidays: ['2026-12-25'],
});

describe('working hours', () => {
  it('split shifts: open in the morning, closed over lunch, open in the afternoon (local time, winter UTC+1)', () => {
    // Monday 2026-12-07
    expect(isWithinHours(office, at('2026-12-07T08:30:00Z'))).toBe(true); // 09:30 local
    expect(isWithinHours(office, at('2026-12-07T11:30:00Z'))).toBe(false); // 12:30 local, lunch
    expect(isWithinHours(office, at('2026-12-07T12:00:00Z'))).toBe(true); // 13:00 local
    expect(isWithinHours(office, at('2026-12-07T16:00:00Z'))).toBe(false); // 17:00 local: closed at the end
    expect(nextChange(office, at('2026-12-07T11:30:00Z'))).toEqual(at('2026-12-07T12:00:00Z'));
  });

  it('a holiday is closed all day, and the next opening skips it and the weekend', () => {
    // Friday 2026-12-25 is a holiday; next open: Monday 2026-12-28 09:00 local.
    expect(isWithinHours(office, at('2026-12-25T10:00:00Z'))).toBe(false);
    expect(nextOpening(office, at('2026-12-24T20:00:00Z'))).toEqual(at('2026-12-28T08:00:00Z'));
  });

  it('follows the spring DST change: 09:00 local is 07:00 UTC after it and 08:00 UTC before', () => {
    // Copenhagen moves to UTC+2 on Sunday 2027-03-28.
    expect(nextOpening(office, at('2027-03-27T12:00:00Z'))).toEqual(at('2027-03-29T07:00:00Z'));
    expect(nextOpening(office, at('2027-03-20T12:00:00Z'))).toEqual(at('2027-03-22T08:00:00Z'));
  });

  it('a shift starting inside the skipped hour of a spring-forward night starts when the clocks jump', () => {
    const night: Hours = WorkingHours.parse({ mode: 'within', timeZone: 'Europe/Copenhagen', weekly: { sun: [['02:30', '05:00']] } });
    // 02:00 local (01:00 UTC) jumps to 03:00 local on 2027-03-28.
    expect(nextOpening(night, at('2027-03-27T12:00:00Z'))).toEqual(at('2027-03-28T01:00:00Z'));
    expect(isWithinHours(night, at('2027-03-28T02:30:00Z'))).toBe(true);
    expect(isWithinHours(night, at('2027-03-28T03:00:00Z'))).toBe(false);
  });

  it('the autumn DST change keeps a shift its local length, and a night shift split at midnight is one stretch', () => {
    const nights: Hours = WorkingHours.parse({ mode: 'within', timeZone: 'America/New_York', weekly: { sat: [['22:00', '24:00']], sun: [['00:00', '06:00']] } });
    // New York leaves DST on Sunday 2026-11-01 at 02:00 local: the night is 9 hours long, not 8.
    const open = nextOpening(nights, at('2026-10-31T12:00:00Z'))!;
    expect(open).toEqual(at('2026-11-01T02:00:00Z')); // Sat 22:00 EDT
    const close = nextChange(nights, open)!;
    expect(close).toEqual(at('2026-11-01T11:00:00Z')); // Sun 06:00 EST
    expect((close.getTime() - open.getTime()) / 3600_000).toBe(9);
  });

  it('outside mode is the reverse, a holiday included; all mode never changes', () => {
    const afterHours: Hours = { ...office, mode: 'outside' };
    expect(isWithinHours(afterHours, at('2026-12-07T11:30:00Z'))).toBe(true);
    expect(isWithinHours(afterHours, at('2026-12-07T08:30:00Z'))).toBe(false);
    expect(isWithinHours(afterHours, at('2026-12-25T10:00:00Z'))).toBe(true);
    const all = WorkingHours.parse({ mode: 'all' });
    expect(isWithinHours(all, at('2026-12-25T10:00:00Z'))).toBe(true);
    expect(nextChange(all, at('2026-12-25T10:00:00Z'))).toBeUndefined();
  });

  it('refuses hours that make no sense, naming the field', () => {
    const bad = (v: unknown) => WorkingHours.safeParse(v).error?.issues[0]?.path.join('.');
    expect(bad({ mode: 'within', timeZone: 'Mars/Olympus', weekly: {} })).toBe('timeZone');
    expect(bad({ mode: 'within', weekly: { mon: [['17:00', '09:00']] } })).toBe('weekly.mon.0');
    expect(bad({ mode: 'within', weekly: { mon: [['9:00', '17:00']] } })).toBe('weekly.mon.0.0');
    expect(bad({ mode: 'within', weekly: { monday: [['09:00', '17:00']] } })).toBe('weekly');
    expect(bad({ mode: 'within', weekly: {}, holidays: ['24-12-2026'] })).toBe('holidays.0');
  });
});
