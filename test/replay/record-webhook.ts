/**
 * Records a webhook delivery's history for the replay test: `npx tsx test/replay/record-webhook.ts [name]`.
 * A receiver that refuses twice and then accepts: three attempts of one activity, then delivered. Run it
 * only when the delivery workflow changed on purpose (version the change with patched(), keep old histories).
 */
import { createWebhookNotifier, workflowDeliveryStarter } from '../../activities/event-notifier.js';
import { createEventEmitter } from '../../activities/events.js';
import { openDb } from '../../db/open.js';
import { createWebhook } from '../../db/webhooks.js';
import { createWorkspace } from '../../db/workspaces.js';
import { loadConfig, webhookSettings } from '../../workers/config.js';
import { startDevServer } from '../../workers/dev-server.js';
import { startSystem } from '../../workers/system.js';
import { ensureTemporalCli } from '../../workers/temporal-cli.js';
import { webhookDeliveryId } from '../../workflows/webhook-delivery.contract.js';
import { LOOPBACK_RECEIVERS, startReceiver } from '../int/webhooks/receiver.js';
import { saveHistory } from './save-history.js';

const receiver = await startReceiver();
receiver.answer('/hook', (n) => (n <= 2 ? 503 : 200));
const config = loadConfig({
  ...process.env, PORT: '0', DEMO: 'false', LOG_LEVEL: 'error', TEMPORAL_TASK_QUEUE: 'replay-recording',
  FETCH_ALLOW_HOSTS: LOOPBACK_RECEIVERS, WEBHOOK_RETRY_INITIAL_SECONDS: '0.2', WEBHOOK_RETRY_HOURS: '0.01',
});
const dev = await startDevServer({ binary: await ensureTemporalCli({ version: config.TEMPORAL_CLI_VERSION }), headless: true });
const db = await openDb({ memory: true });
const system = await startSystem(config, { temporalAddress: dev.address, db, api: false });
try {
  const ws = await createWorkspace(db, { name: 'Replay webhooks' });
  const { webhook } = await createWebhook(db, ws.id, { url: `${receiver.origin}/hook`, events: ['message.created'] });
  const settings = webhookSettings(config);
  const events = createEventEmitter({
    db,
    notifier: createWebhookNotifier({
      db, startDelivery: workflowDeliveryStarter({ client: system.client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
      retryForMs: settings.retryForMs, retryInitialMs: settings.retryInitialMs,
    }),
  });
  const event = await events.emit({ id: 'conv:replay:chat:c1:m1:message.created', workspaceId: ws.id, type: 'message.created', data: { messageId: 'm1' } });
  const handle = system.client.workflow.getHandle(webhookDeliveryId(webhook.id, event.id));
  console.log('delivery:', await handle.result());

  await saveHistory(handle, process.argv[2] ?? 'webhook-delivery-refused-twice-delivered');
} finally {
  await system.stop();
  await db.close();
  await dev.stop();
  await receiver.close();
}
