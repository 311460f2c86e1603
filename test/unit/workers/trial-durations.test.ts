import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, trialDurations } from '../../../workers/config.js';

const DAY_MS = 24 * 3600 * 1000;

describe('trial durations', () => {
  it('are 28 days with the reminder 4 days before the end unless configured', () => {
    expect(trialDurations(loadConfig({}))).toEqual({ durationMs: 28 * DAY_MS, reminderBeforeMs: 4 * DAY_MS });
    expect(trialDurations(loadConfig({ TRIAL_DAYS: '14', TRIAL_REMINDER_DAYS_BEFORE: '2' }))).toEqual({ durationMs: 14 * DAY_MS, reminderBeforeMs: 2 * DAY_MS });
  });

  it('seconds overrides win over days, so a test runs a whole trial in moments', () => {
    expect(trialDurations(loadConfig({ TRIAL_DURATION_SECONDS: '6', TRIAL_REMINDER_SECONDS_BEFORE_END: '2' }))).toEqual({ durationMs: 6000, reminderBeforeMs: 2000 });
  });

  it('a reminder that would come before the trial starts is refused naming both settings', () => {
    expect(() => trialDurations(loadConfig({ TRIAL_DURATION_SECONDS: '6' }))).toThrow(ConfigError);
    expect(() => trialDurations(loadConfig({ TRIAL_DURATION_SECONDS: '6' })))
      .toThrow(/TRIAL_REMINDER_DAYS_BEFORE \(4\) must be shorter than the trial, TRIAL_DURATION_SECONDS \(6\)/);
    expect(() => trialDurations(loadConfig({ TRIAL_DAYS: '3', TRIAL_REMINDER_DAYS_BEFORE: '3' }))).toThrow(/TRIAL_REMINDER_DAYS_BEFORE \(3\) .* TRIAL_DAYS \(3\)/);
  });

  it('a negative or fractional setting is refused when the configuration is read', () => {
    expect(() => loadConfig({ TRIAL_DAYS: '0' })).toThrow(/TRIAL_DAYS/);
    expect(() => loadConfig({ TRIAL_DURATION_SECONDS: '1.5' })).toThrow(/TRIAL_DURATION_SECONDS/);
    expect(() => loadConfig({ TRIAL_REMINDER_SECONDS_BEFORE_END: '-1' })).toThrow(/TRIAL_REMINDER_SECONDS_BEFORE_END/);
  });
});
