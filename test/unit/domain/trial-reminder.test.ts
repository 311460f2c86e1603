import { describe, expect, it } from 'vitest';
import { trialReminderText, utcDateTime } from '../../../domain/trial-reminder.js';

describe('the trial reminder email', () => {
  it('says when the trial ends, in UTC, spelled out the same on every install', () => {
    expect(utcDateTime(new Date('2026-04-07T09:15:00.000Z'))).toBe('Tuesday 7 April 2026 at 09:15 UTC');
    expect(utcDateTime(new Date('2026-12-31T23:05:59.000Z'))).toBe('Thursday 31 December 2026 at 23:05 UTC');
  });

  it('names the workspace and the call that keeps its agents on', () => {
    const { subject, text } = trialReminderText({ workspaceName: 'Acme shop', endsAt: new Date('2026-04-07T09:15:00.000Z') });
    expect(subject).toBe('Your free trial ends on Tuesday 7 April 2026 at 09:15 UTC');
    expect(text).toContain('"Acme shop"');
    expect(text).toContain('2026-04-07T09:15:00.000Z');
    expect(text).toContain('PATCH /v1/billing {"creditsEnabled": true}');
    expect(text).toMatch(/switched off/);
  });
});
