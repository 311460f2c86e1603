import { describe, expect, it } from 'vitest';
import { WorkspaceTrialInput } from '../../../workflows/workspace-trial.schemas.js';
import { TrialState, msUntil, trialTimes } from '../../../workflows/workspace-trial-state.js';

const DAY = 24 * 3600 * 1000;
const PRODUCT = { durationMs: 28 * DAY, reminderBeforeMs: 4 * DAY };
const START = Date.parse('2026-03-10T09:15:00Z');

describe('trial times', () => {
  it('a trial started on 10 March ends 28 days later and is reminded of 4 days before the end', () => {
    const t = trialTimes(START, PRODUCT);
    expect(new Date(t.startedAtMs).toISOString()).toBe('2026-03-10T09:15:00.000Z');
    expect(new Date(t.endsAtMs).toISOString()).toBe('2026-04-07T09:15:00.000Z');
    expect(new Date(t.reminderAtMs).toISOString()).toBe('2026-04-03T09:15:00.000Z');
  });

  it('a reminder longer than the trial comes at its start, never before', () => {
    expect(trialTimes(START, { durationMs: 1000, reminderBeforeMs: 5000 }).reminderAtMs).toBe(START);
  });

  it('waits only for what is still ahead', () => {
    expect(msUntil(START + 1500, START)).toBe(1500);
    expect(msUntil(START - 1, START)).toBe(0);
  });

  it('a workflow input whose reminder does not fall inside the trial is refused', () => {
    expect(WorkspaceTrialInput.safeParse({ workspaceId: 'ws_1', durationMs: 1000, reminderBeforeMs: 1000 }).success).toBe(false);
    expect(WorkspaceTrialInput.safeParse({ workspaceId: 'ws_1', durationMs: 1000, reminderBeforeMs: 999 }).success).toBe(true);
  });
});

describe('trial state', () => {
  it('stays pending until an agent is deployed', () => {
    const s = new TrialState();
    expect(s.view()).toEqual({ phase: 'pending', deployed: false, reminded: false });
    expect(() => s.activate(START, PRODUCT)).toThrow(/deployed/);
    s.markDeployed();
    s.activate(START, PRODUCT);
    expect(s.view()).toMatchObject({ phase: 'active', startedAt: '2026-03-10T09:15:00.000Z', endsAt: '2026-04-07T09:15:00.000Z' });
  });

  it('a later deployment does not move the start', () => {
    const s = new TrialState();
    s.markDeployed();
    const first = s.activate(START, PRODUCT);
    s.markDeployed();
    expect(s.activate(START + DAY, PRODUCT)).toEqual(first);
  });

  it('runs pending → active → reminded → ended, and no step out of order', () => {
    const s = new TrialState();
    expect(() => s.markReminded()).toThrow(/pending/);
    expect(() => s.end()).toThrow(/pending/);
    s.markDeployed();
    s.activate(START, PRODUCT);
    s.markReminded();
    s.end();
    expect(s.view()).toMatchObject({ phase: 'ended', reminded: true });
    expect(() => s.end()).toThrow(/ended/);
  });
});
