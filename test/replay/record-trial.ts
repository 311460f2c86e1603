/**
 * Records a workspace trial's history for the replay test: `npx tsx test/replay/record-trial.ts [name]`.
 * Pending, a deployment signal, the reminder, the end with an agent switched off. Run it only when the
 * trial workflow changed on purpose (version the change with patched() and keep the old histories).
 */
import { createTrialClient } from '../../api/trial-client.js';
import { createAgent } from '../../db/agents.js';
import { openDb } from '../../db/open.js';
import { createWorkspace } from '../../db/workspaces.js';
import { loadConfig } from '../../workers/config.js';
import { startDevServer } from '../../workers/dev-server.js';
import { startSystem } from '../../workers/system.js';
import { ensureTemporalCli } from '../../workers/temporal-cli.js';
import { trialWorkflowId } from '../../workflows/workspace-trial.contract.js';
import { saveHistory } from './save-history.js';

const config = loadConfig({ ...process.env, PORT: '0', DEMO: 'false', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'replay-recording' });
const dev = await startDevServer({ binary: await ensureTemporalCli({ version: config.TEMPORAL_CLI_VERSION }), headless: true });
const db = await openDb({ memory: true });
const system = await startSystem(config, { temporalAddress: dev.address, db, api: false });
try {
  const ws = await createWorkspace(db, { name: 'Replay trial' });
  const trial = createTrialClient({ client: system.client, taskQueue: config.TEMPORAL_TASK_QUEUE, db, durations: { durationMs: 4000, reminderBeforeMs: 2000 } });
  await trial.optIn(ws.id);
  await new Promise((r) => setTimeout(r, 1000));
  await createAgent(db, { name: 'Replay shop', workspaceId: ws.id });
  await trial.agentActivated(ws.id);
  const handle = system.client.workflow.getHandle(trialWorkflowId(ws.id));
  console.log('trial ended:', await handle.result());

  await saveHistory(handle, process.argv[2] ?? 'workspace-trial-pending-deployed-remind-end');
} finally {
  await system.stop();
  await db.close();
  await dev.stop();
}
