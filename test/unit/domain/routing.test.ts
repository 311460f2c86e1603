import { describe, expect, it } from 'vitest';
import { pickAssignee, type Candidate } from '../../../domain/routing.js';
import { WorkingHours } from '../../../domain/hours.js';

const now = new Date('2026-12-07T10:00:00Z'); // Monday 11:00 in Copenhagen
const dayShift = WorkingHours.parse({ mode: 'within', timeZone: 'Europe/Copenhagen', weekly: { mon: [['09:00', '17:00']] } });
const nightShift = WorkingHours.parse({ mode: 'within', timeZone: 'Europe/Copenhagen', weekly: { mon: [['22:00', '24:00']] } });

describe('who gets a handed-off conversation', () => {
  it('the least busy person within their hours; someone outside them is skipped even when idle', () => {
    const people: Candidate[] = [
      { id: 'usr_night', workingHours: nightShift, open: 0 },
      { id: 'usr_busy', workingHours: dayShift, open: 3 },
      { id: 'usr_free', open: 1 },
    ];
    expect(pickAssignee(people, now)).toBe('usr_free');
  });

  it('among equally busy people, round robin: the one assigned longest ago, then one never assigned first', () => {
    const people: Candidate[] = [
      { id: 'usr_a', open: 1, lastAssignedAt: new Date('2026-12-07T09:59:00Z') },
      { id: 'usr_b', open: 1, lastAssignedAt: new Date('2026-12-07T09:00:00Z') },
    ];
    expect(pickAssignee(people, now)).toBe('usr_b');
    expect(pickAssignee([...people, { id: 'usr_new', open: 1 }], now)).toBe('usr_new');
  });

  it('nobody available leaves the conversation in the queue', () => {
    expect(pickAssignee([{ id: 'usr_night', workingHours: nightShift, open: 0 }], now)).toBeUndefined();
    expect(pickAssignee([], now)).toBeUndefined();
  });
});
