/**
 * Records conversation histories for the replay test: `npx tsx test/replay/record.ts`. Run it only when
 * the workflow changed on purpose in a way old histories cannot replay (then version the change with
 * patched() instead, and keep the old histories): committed histories are how a deploy is proven safe
 * for conversations already running.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConversationClient } from '../../api/conversation-client.js';
import { createDeployment } from '../../db/deployments.js';
import { createAgent, updateAgent } from '../../db/agents.js';
import { openDb } from '../../db/open.js';
import { ingestSource } from '../../knowledge/ingest.js';
import { loadConfig } from '../../workers/config.js';
import { startDevServer } from '../../workers/dev-server.js';
import { startSystem } from '../../workers/system.js';
import { ensureTemporalCli } from '../../workers/temporal-cli.js';
import {
  assignUpdate, closeUpdate, conversationWorkflowId, handBackUpdate, humanReplyUpdate, suggestUpdate,
} from '../../workflows/conversation.contract.js';
import { createUser } from '../../db/people.js';
import { ALL_ARTICLES } from '../fixtures/shop-articles.js';
import { saveHistory } from './save-history.js';

const config = loadConfig({ ...process.env, PORT: '0', DEMO: 'false', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'replay-recording' });
const dev = await startDevServer({ binary: await ensureTemporalCli({ version: config.TEMPORAL_CLI_VERSION }), headless: true });
const db = await openDb({ memory: true });
const system = await startSystem(config, { temporalAddress: dev.address, db, api: false });
try {
  const agent = await createAgent(db, { name: 'Replay shop', settings: { idleTimeoutSeconds: { chat: 2 } } });
  for (const a of ALL_ARTICLES) await ingestSource(db, system.runtime.embedder, { agentId: agent.id, ...a });
  const conversations = createConversationClient({ client: system.client, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const target = { agentId: agent.id, conversationId: 'replay-1' };
  const send = (messageId: string, text: string) => conversations.send(target, { messageId, text, channel: 'chat' });

  // An answer, a retry of it, a conflicting reuse, a clarification, a miss, a signal, a message the
  // database refuses (past the API, which would refuse it: the fallback reply), a handoff; then idle close.
  await send('m1', 'How much is express shipping?');
  await send('m1', 'How much is express shipping?');
  await send('m1', 'Something else entirely').catch(() => undefined);
  await send('m2', 'How does the card work?');
  await send('m3', 'Do you sell harpsichords?');
  await conversations.deliver(target, { messageId: 'm4', text: 'How do refunds work?', channel: 'chat', customer: { email: 'kim@example.test' } });
  await send('m4b', 'Where is my parcel?\u0000');
  await send('m5', 'I want to talk to a person');
  const handle = system.client.workflow.getHandle(conversationWorkflowId(agent.id, 'replay-1'));
  if (process.argv[2]?.includes('human')) {
    // The human side: silent while owned, a person assigns, replies and hands back; the agent answers; a person closes.
    const ann = await createUser(db, agent.workspaceId, { name: 'Ann', email: 'ann@replay.test' });
    await send('m6', 'Hello? Anyone there?');
    await handle.executeUpdate(assignUpdate, { args: [{ userId: ann.id }] });
    await handle.executeUpdate(humanReplyUpdate, { args: [{ userId: ann.id, text: 'Ann here, how can I help?', replyId: 'r1' }] });
    await handle.executeUpdate(suggestUpdate, { args: [{}] });
    await handle.executeUpdate(handBackUpdate, { args: [{}] });
    await send('m7', 'How long does standard delivery take?');
    await handle.executeUpdate(closeUpdate, { args: [{}] });
  }
  if (process.argv[2]?.includes('paused')) {
    // A paused agent: handed back by a person, the agent is paused, the customer's next message goes to the
    // team's queue with the notice that a person will answer; the next one waits for them; a person closes.
    await handle.executeUpdate(handBackUpdate, { args: [{}] });
    await updateAgent(db, agent.workspaceId, agent.id, { status: 'paused' });
    await send('m6', 'Wie lange dauert der Standardversand?');
    await send('m7', 'Hallo?');
    await handle.executeUpdate(closeUpdate, { args: [{}] });
  }
  if (process.argv[2]?.includes('channels')) {
    // Channels: a custom channel outside its hours (the away text, the message waits), the hours start (the
    // agent answers it, delivered), a person's reply delivered, a person closes.
    const receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('ok')));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const end = new Date(now.getTime() + 60_000);
    const day = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[now.getUTCDay()]!;
    const deployment = await createDeployment(db, system.runtime.secrets!, agent.workspaceId, agent.id, {
      channel: 'custom', settings: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/replies` }, secrets: { secret: 'whsec_replay_recording_only' },
      hours: { mode: 'outside', timeZone: 'UTC', weekly: { [day]: [[hhmm(now), end.getUTCDate() !== now.getUTCDate() ? '24:00' : hhmm(end)]] } },
      whenUnavailable: { action: 'message' },
    });
    const custom = { agentId: agent.id, conversationId: 'replay-custom' };
    await conversations.deliver(custom, { messageId: 'c1', text: 'How long does standard delivery take?', channel: 'custom', deploymentId: deployment.id, address: { thread: 't-1' } });
    const customHandle = system.client.workflow.getHandle(conversationWorkflowId(agent.id, 'replay-custom'));
    for (let i = 0; i < 180; i++) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = 'replay-custom' AND role = 'agent' AND delivery_status = 'sent'`);
      if ((rows[0]?.n ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const ann = await createUser(db, agent.workspaceId, { name: 'Ann', email: 'ann@replay.test' });
    await customHandle.executeUpdate(humanReplyUpdate, { args: [{ userId: ann.id, text: 'Ann here: it ships today.', replyId: 'r1' }] });
    await customHandle.executeUpdate(closeUpdate, { args: [{}] });
    await customHandle.result();
    receiver.close();
    await saveHistory(customHandle, process.argv[2]);
    await handle.terminate('recorded the channels history only').catch(() => undefined);
  } else {
    await handle.result();
    await saveHistory(handle, process.argv[2] ?? 'conversation-answer-clarify-miss-handoff-close');
  }
} finally {
  await system.stop();
  await db.close();
  await dev.stop();
}
