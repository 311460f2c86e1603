/**
 * One durable trial per workspace (`trial:<workspaceId>`), started when the workspace opts in. Reads as a
 * lifecycle: wait for the first deployment of an agent, start the clock, record `trial.ending_soon` at the
 * reminder (and email the workspace's people where email is set up), and at the end switch the
 * workspace's agents off unless credits are enabled. History stays a few dozen events (deployment signals
 * arrive only while the trial is pending), so no continue-as-new.
 */
import { condition, log, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { TrialActivities } from '../activities/trial.js';
import { CHANNELS } from '../domain/channel-names.js';
import { deployedSignal, trialStateQuery, type Deployment, type TrialEnd, type WorkspaceTrialInput } from './workspace-trial.contract.js';
import { isObject, num, refuseIf, str, type Problems } from './shape-checks.js';
import { TrialState, iso, msUntil } from './workspace-trial-state.js';

// Bookkeeping writes: short, idempotent, and they must happen eventually (an end that never runs would keep
// agents on for free), so they retry without limit; a missing workspace is a refusal, not an outage.
const trial = proxyActivities<TrialActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: ['WorkspaceNotFound'] },
});

// The reminder email: a mail server may be down for a while, so retried with backoff, but not forever (a
// reminder after the end is worthless), and it runs beside the wait for the end, which it never delays.
const mail = proxyActivities<TrialActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10, nonRetryableErrorTypes: ['WorkspaceNotFound', 'InvalidInput'] },
});

// Trials from before the reminder email replay without it.
const REMINDER_EMAIL = 'trial-reminder-email';

// The first look asks hasDeployedAgent (an active agent with a live deployment); trials from before
// deployments counted asked hasActiveAgent, and replay so.
const DEPLOYMENTS_COUNT = 'trial-deployments-count';

/** Workflow time: in a workflow, `new Date()` is the current task's time, the same on every replay. */
function now(): number {
  return new Date().getTime();
}

/** A durable timer that says in the Web UI what it waits for; none when the moment has passed. */
async function sleepUntil(atMs: number, summary: string): Promise<void> {
  const ms = msUntil(atMs, now());
  if (ms > 0) await sleep(ms, { summary });
}

export async function workspaceTrial(rawInput: WorkspaceTrialInput): Promise<TrialEnd> {
  const input = checkInput(rawInput);
  const key = { workspaceId: input.workspaceId, trialId: workflowInfo().workflowId };
  const state = new TrialState();

  setHandler(deployedSignal, (deployment) => {
    if (deploymentProblems(deployment).length > 0) {
      log.warn('dropped an invalid deployed signal');
      return;
    }
    state.markDeployed();
  });
  setHandler(trialStateQuery, () => state.view());

  // An agent may have been deployed before the opt-in (or between it and this run's start): that counts.
  const deployedAlready = patched(DEPLOYMENTS_COUNT) ? trial.hasDeployedAgent : trial.hasActiveAgent;
  if (await deployedAlready({ workspaceId: input.workspaceId })) state.markDeployed();
  await condition(() => state.deployed);

  const times = state.activate(now(), input);
  await trial.activateTrial({ ...key, startedAt: iso(times.startedAtMs), endsAt: iso(times.endsAtMs), reminderAt: iso(times.reminderAtMs) });

  await sleepUntil(times.reminderAtMs, `trial.ending_soon at ${iso(times.reminderAtMs)}`);
  await trial.remindTrialEnding({ ...key, endsAt: iso(times.endsAtMs) });
  state.markReminded();
  const emailed = patched(REMINDER_EMAIL)
    ? mail.emailTrialReminder({ ...key, endsAt: iso(times.endsAtMs) }).then(
      (result) => log.info('trial reminder email', { workspaceId: input.workspaceId, ...result }),
      (err: unknown) => log.warn('the trial reminder email did not go out', { workspaceId: input.workspaceId, error: String(err) }),
    )
    : undefined;

  await sleepUntil(times.endsAtMs, `trial ends at ${iso(times.endsAtMs)}: agents off unless credits are enabled`);
  const ended = await trial.endTrial(key);
  state.end();
  await emailed;
  log.info('trial ended', { workspaceId: input.workspaceId, creditsEnabled: ended.creditsEnabled, switchedOff: ended.switchedOff.length });
  return ended;
}

/** The input as its schema (workspace-trial.schemas.ts) says, checked by hand: the bundle carries no zod. */
function checkInput(input: WorkspaceTrialInput): WorkspaceTrialInput {
  if (!isObject(input)) return refuseIf('input', ['not an object']) as never;
  const problems: Problems = [];
  str(problems, input, 'workspaceId', { min: 1 });
  num(problems, input, 'durationMs', { int: true, min: 1 });
  num(problems, input, 'reminderBeforeMs', { int: true, min: 0 });
  if (problems.length === 0 && input.reminderBeforeMs >= input.durationMs) problems.push('reminderBeforeMs: the reminder must come after the trial starts');
  refuseIf('input', problems);
  return input;
}

function deploymentProblems(deployment: Deployment): Problems {
  if (!isObject(deployment)) return ['not an object'];
  const problems: Problems = [];
  str(problems, deployment, 'agentId', { min: 1, required: false });
  if (deployment.channel !== undefined && !CHANNELS.includes(deployment.channel)) problems.push('channel: not a channel');
  return problems;
}
