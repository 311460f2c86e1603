/**
 * The workspace trial from the API's side: opting in starts the durable workflow `trial:<workspaceId>`,
 * and the first deployment of an active agent signals it. The database row says where the trial stands
 * (the workflow writes it through its activities), so any API process can answer without asking Temporal.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { hasDeployedAgent } from '../db/agents.js';
import type { Db } from '../db/types.js';
import { getWorkspace, optInToTrial, setTrial } from '../db/workspaces.js';
import {
  WORKSPACE_TRIAL_WORKFLOW, deployedSignal, trialWorkflowId, type Deployment, type WorkspaceTrialInput,
} from '../workflows/workspace-trial.contract.js';
import type { workspaceTrial } from '../workflows/workspace-trial.js';
import type { TrialClient } from './deps.js';

export function createTrialClient(options: {
  client: Client;
  taskQueue: string;
  db: Db;
  /** From the settings at the time of opt-in; the workflow keeps them for its whole life. */
  durations: { durationMs: number; reminderBeforeMs: number };
}): TrialClient {
  const { client, taskQueue, db, durations } = options;
  return {
    async optIn(workspaceId) {
      // The row is the once-per-workspace guard: only the request that moves it from none to pending starts the workflow.
      if (!(await optInToTrial(db, workspaceId))) return false;
      const input: WorkspaceTrialInput = { workspaceId, ...durations };
      try {
        await client.workflow.start<typeof workspaceTrial>(WORKSPACE_TRIAL_WORKFLOW, {
          workflowId: trialWorkflowId(workspaceId), taskQueue, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        // Nothing started: undo the opt-in so the workspace can try again rather than wait on a trial that never runs.
        await setTrial(db, workspaceId, { status: 'none' });
        throw err;
      }
      return true;
    },
    async deployed(workspaceId, deployment: Deployment) {
      // Only a pending trial waits for a deployment; an active or ended one (or none) has nothing to hear.
      if ((await getWorkspace(db, workspaceId))?.trial.status !== 'pending') return;
      // The workflow's own rule, asked of the same rows: a paused agent's deployment, or an agent switched on
      // with none, starts nothing.
      if (!(await hasDeployedAgent(db, workspaceId))) return;
      try {
        await client.workflow.getHandle(trialWorkflowId(workspaceId)).signal(deployedSignal, deployment);
      } catch (err) {
        // The opt-in has not started it yet: its first step finds the deployed agent itself.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
  };
}
