import { describe, expect, it } from 'vitest';
import { IsoInstant } from '../../../api/billing-schemas.js';
import { currentMonth } from '../../../api/routes/usage.js';

describe('the usage range', () => {
  it('defaults to the current calendar month in UTC, across a year end', () => {
    expect(currentMonth(new Date('2026-12-31T23:59:59Z'))).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(currentMonth(new Date('2026-03-01T00:00:00Z'))).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
  });

  it('takes a date as midnight UTC and a date-time with its offset', () => {
    expect(IsoInstant.parse('2026-03-01')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(IsoInstant.parse('2026-03-01T09:30:00+02:00')).toEqual(new Date('2026-03-01T07:30:00Z'));
  });

  it('refuses what is not an ISO date or date-time with offset', () => {
    for (const bad of ['yesterday', '2026-02-30', '01/03/2026', '2026-03-01T09:30:00', '']) expect(IsoInstant.safeParse(bad).success, bad).toBe(false);
  });
});
