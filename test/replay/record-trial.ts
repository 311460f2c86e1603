/**
 * Records a workspace trial's history for the replay test: `npx tsx test/replay/record-trial.ts [name]`.
 * Pending, a deployment of the agent (a signal), the reminder with its email to the workspace's person, the end with an
 * agent switched off. Run it only when the trial workflow changed on purpose (version the change with
 * patched() and keep the old histories).
 */
import { randomBytes } from 'node:crypto';
import { createTrialClient } from '../../api/trial-client.js';
import { createAgent } from '../../db/agents.js';
import { createDeployment } from '../../db/deployments.js';
import { openDb } from '../../db/open.js';
import { createUser } from '../../db/people.js';
import { createSecretBox } from '../../db/secret-box.js';
import { createWorkspace } from '../../db/workspaces.js';
import { DEFAULT_WHEN_UNAVAILABLE } from '../../domain/deployment.js';
import { ALL_HOURS } from '../../domain/hours.js';
import { loadConfig } from '../../workers/config.js';
import { startDevServer } from '../../workers/dev-server.js';
import { startSystem } from '../../workers/system.js';
import { ensureTemporalCli } from '../../workers/temporal-cli.js';
import { trialWorkflowId } from '../../workflows/workspace-trial.contract.js';
import { startMailbox } from '../support/mailbox.js';
import { saveHistory } from './save-history.js';

const mailbox = await startMailbox();
const config = loadConfig({ ...process.env, PORT: '0', DEMO: 'false', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'replay-recording', SMTP_URL: mailbox.url });
const dev = await startDevServer({ binary: await ensureTemporalCli({ version: config.TEMPORAL_CLI_VERSION }), headless: true });
const db = await openDb({ memory: true });
const system = await startSystem(config, { temporalAddress: dev.address, db, api: false });
try {
  const ws = await createWorkspace(db, { name: 'Replay trial' });
  await createUser(db, ws.id, { name: 'Ann', email: 'ann@replay.test' });
  const trial = createTrialClient({ client: system.client, taskQueue: config.TEMPORAL_TASK_QUEUE, db, durations: { durationMs: 4000, reminderBeforeMs: 2000 } });
  await trial.optIn(ws.id);
  await new Promise((r) => setTimeout(r, 1000));
  const agent = await createAgent(db, { name: 'Replay shop', workspaceId: ws.id });
  await createDeployment(db, createSecretBox(randomBytes(32).toString('hex')), ws.id, agent.id, {
    channel: 'email', account: 'support@replay.test', settings: {}, secrets: {}, hours: ALL_HOURS, whenUnavailable: DEFAULT_WHEN_UNAVAILABLE,
  });
  await trial.deployed(ws.id, { agentId: agent.id, channel: 'email' });
  const handle = system.client.workflow.getHandle(trialWorkflowId(ws.id));
  console.log('trial ended:', await handle.result());
  console.log('reminder emails:', mailbox.received.map((r) => r.envelope.to.join(', ')));

  await saveHistory(handle, process.argv[2] ?? 'workspace-trial-pending-deployment-remind-email-end');
} finally {
  await system.stop();
  await db.close();
  await dev.stop();
  await mailbox.close();
}
