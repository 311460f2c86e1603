/**
 * The trial's state transitions and time arithmetic, kept out of the workflow body so they read (and test)
 * as plain code: pending → (deployed) → active → reminded → ended. Times are epoch milliseconds of workflow
 * time; nothing here reads a clock.
 */
import type { TrialPhase, TrialStateView } from './workspace-trial.contract.js';

export interface TrialTimes {
  startedAtMs: number;
  endsAtMs: number;
  reminderAtMs: number;
}

/** The trial runs `durationMs` from its start; the reminder comes `reminderBeforeMs` before the end, never before the start. */
export function trialTimes(startedAtMs: number, d: { durationMs: number; reminderBeforeMs: number }): TrialTimes {
  const endsAtMs = startedAtMs + d.durationMs;
  return { startedAtMs, endsAtMs, reminderAtMs: Math.max(startedAtMs, endsAtMs - d.reminderBeforeMs) };
}

/** How long to wait from `nowMs` until `atMs`; 0 when it has passed (a timer is then not needed). */
export function msUntil(atMs: number, nowMs: number): number {
  return Math.max(0, atMs - nowMs);
}

export class TrialState {
  phase: TrialPhase = 'pending';
  deployed = false;
  reminded = false;
  times: TrialTimes | undefined;

  /** An agent went live. Only a pending trial cares; later deployments change nothing. */
  markDeployed(): void {
    this.deployed = true;
  }

  /** Starts the trial at `nowMs` (workflow time); a second call keeps the first start. */
  activate(nowMs: number, d: { durationMs: number; reminderBeforeMs: number }): TrialTimes {
    if (!this.deployed) throw new Error('a trial starts only once an agent is deployed');
    if (!this.times) {
      this.times = trialTimes(nowMs, d);
      this.phase = 'active';
    }
    return this.times;
  }

  markReminded(): void {
    if (this.phase !== 'active') throw new Error(`a ${this.phase} trial sends no reminder`);
    this.reminded = true;
  }

  end(): void {
    if (this.phase !== 'active') throw new Error(`a ${this.phase} trial cannot end`);
    this.phase = 'ended';
  }

  view(): TrialStateView {
    const t = this.times;
    return {
      phase: this.phase,
      deployed: this.deployed,
      reminded: this.reminded,
      ...(t ? { startedAt: iso(t.startedAtMs), endsAt: iso(t.endsAtMs), reminderAt: iso(t.reminderAtMs) } : {}),
    };
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
