import { describe, expect, it } from 'vitest';
import { citedSources, withSourceLines, withoutMarkers } from '../../../channels/render.js';
import { createSecretBox } from '../../../db/secret-box.js';
import { answersAt } from '../../../domain/deployment.js';
import type { WorkingHours } from '../../../domain/hours.js';

const sources = [
  { id: 's1', title: 'Shipping times', url: 'https://shop.test/shipping', snippet: '' },
  { id: 's2', title: 'Returns', snippet: '' },
];

describe('replies rendered for a channel', () => {
  it('lists only the sources the text cites, by their numbers, after the text', () => {
    expect(citedSources('Standard takes 2 to 4 days [1].', sources).map((c) => c.n)).toEqual([1]);
    expect(withSourceLines('Standard takes 2 to 4 days [1]. Returns are free [2].', sources))
      .toBe('Standard takes 2 to 4 days [1]. Returns are free [2].\n\nSources:\n[1] Shipping times: https://shop.test/shipping\n[2] Returns');
    expect(withSourceLines('No citation here.', sources)).toBe('No citation here.');
    expect(withSourceLines('A marker past the list [7].', sources)).toBe('A marker past the list [7].');
    expect(withoutMarkers('Standard takes 2 to 4 days [1].')).toBe('Standard takes 2 to 4 days.');
  });
});

describe("a deployment's secrets at rest", () => {
  it('open with the key they were sealed with, and not with another or when altered', () => {
    const box = createSecretBox('a'.repeat(64));
    const sealed = box.seal({ accessToken: 'EAAG-secret' });
    expect(sealed).not.toContain('EAAG-secret');
    expect(box.seal({ accessToken: 'EAAG-secret' })).not.toBe(sealed);
    expect(box.open(sealed)).toEqual({ accessToken: 'EAAG-secret' });
    expect(() => createSecretBox('b'.repeat(64)).open(sealed)).toThrow(/SECRETS_KEY/);
    const parts = sealed.split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}AA`;
    expect(() => box.open(parts.join('.'))).toThrow(/does not open/);
  });
});

describe('when a deployment answers', () => {
  const office: WorkingHours = { mode: 'within', timeZone: 'Europe/Copenhagen', weekly: { mon: [['09:00', '17:00']] }, holidays: ['2026-12-07'] };
  it('answers within its hours, and otherwise says when they next start', () => {
    expect(answersAt({ hours: office }, new Date('2026-11-30T10:00:00Z'))).toEqual({ now: true });
    // Monday 7 December is a holiday: the next opening is a week later, 09:00 local (08:00 UTC in winter).
    expect(answersAt({ hours: office }, new Date('2026-12-07T10:00:00Z'))).toEqual({ now: false, opensAt: new Date('2026-12-14T08:00:00Z') });
    expect(answersAt({ hours: { mode: 'within', timeZone: 'UTC', weekly: {} } }, new Date())).toEqual({ now: false });
  });
});
