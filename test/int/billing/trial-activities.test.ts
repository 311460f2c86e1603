import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrialActivities } from '../../../activities/trial.js';
import { createPlainEmailSender, type SendPlainEmail } from '../../../channels/email/send.js';
import { createAgent, getAgent } from '../../../db/agents.js';
import { listAudit } from '../../../db/audit.js';
import { createDeployment, deleteDeployment, listDeployments } from '../../../db/deployments.js';
import { listEvents } from '../../../db/events.js';
import { createUser } from '../../../db/people.js';
import { createSecretBox } from '../../../db/secret-box.js';
import type { Db } from '../../../db/types.js';
import { createWorkspace, getWorkspace, setCreditsEnabled } from '../../../db/workspaces.js';
import { DEFAULT_WHEN_UNAVAILABLE } from '../../../domain/deployment.js';
import type { WorkspaceEvent } from '../../../domain/events.js';
import { ALL_HOURS } from '../../../domain/hours.js';
import { trialWorkflowId, type TrialReminderEmailResult } from '../../../workflows/workspace-trial.contract.js';
import { openTestDb } from '../../support/db.js';
import { startMailbox, type Mailbox } from '../../support/mailbox.js';
import { uniqueId } from '../../support/temporal.js';

let db: Db;
let mailbox: Mailbox;
let sendEmail: SendPlainEmail;
const box = createSecretBox(randomBytes(32).toString('hex'));
beforeAll(async () => {
  db = await openTestDb();
  mailbox = await startMailbox();
  sendEmail = createPlainEmailSender({ smtpUrl: mailbox.url })!;
});
afterAll(async () => {
  await db?.close();
  await mailbox?.close();
});

async function workspaceWithAgent(name: string) {
  const ws = await createWorkspace(db, { name });
  const agent = await createAgent(db, { name: `${name} agent`, workspaceId: ws.id });
  return { key: { workspaceId: ws.id, trialId: trialWorkflowId(ws.id) }, agentId: agent.id };
}

describe('what starts the trial', () => {
  it('an active agent counts as deployed only while it has a live deployment, and a paused one not at all', async () => {
    const { key, agentId } = await workspaceWithAgent('deployed');
    const trial = createTrialActivities({ db });
    expect(await trial.hasDeployedAgent(key)).toBe(true); // every new agent is deployed on chat
    for (const d of await listDeployments(db, box, agentId)) await deleteDeployment(db, agentId, d.id);
    expect(await trial.hasDeployedAgent(key)).toBe(false);
    // Trials that asked the question under its old name get today's answer.
    expect(await trial.hasActiveAgent(key)).toBe(false);
    const paused = await createAgent(db, { name: 'paused', workspaceId: key.workspaceId, offReason: 'trial_ended' });
    expect(await getAgent(db, paused.id)).toMatchObject({ status: 'paused' });
    expect(await trial.hasDeployedAgent(key)).toBe(false);
    await createDeployment(db, box, key.workspaceId, agentId, { channel: 'custom', settings: { url: 'https://shop.test/replies' }, secrets: {}, hours: ALL_HOURS, whenUnavailable: DEFAULT_WHEN_UNAVAILABLE });
    expect(await trial.hasDeployedAgent(key)).toBe(true);
  });
});

describe('the trial\'s activities, retried as Temporal retries them', () => {
  it('a reminder retried after it was stored is one event and one audit entry', async () => {
    const { key } = await workspaceWithAgent('remind-twice');
    const trial = createTrialActivities({ db });
    await trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' });
    await trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' });
    expect(await listEvents(db, key.workspaceId, { limit: 10 })).toMatchObject([{ type: 'trial.ending_soon', data: { endsAt: '2026-04-07T09:15:00.000Z' } }]);
    const audit = await listAudit(db, key.workspaceId, { limit: 10 });
    expect(audit.filter((e) => e.action === 'trial.ending_soon')).toHaveLength(1);
    expect((await getWorkspace(db, key.workspaceId))?.trial.remindedAt).toBeInstanceOf(Date);
  });

  it('a notifier that fails once gets the same event again on the retry, which stores nothing new', async () => {
    const { key } = await workspaceWithAgent('notify-fails');
    const seen: WorkspaceEvent[] = [];
    let failures = 1;
    const trial = createTrialActivities({
      db,
      notifier: {
        async notify(event) {
          seen.push(event);
          if (failures-- > 0) throw new Error('SMTP server unavailable');
        },
      },
    });
    await expect(trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' })).rejects.toThrow(/SMTP/);
    await trial.remindTrialEnding({ ...key, endsAt: '2026-04-07T09:15:00.000Z' });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[0]!.id).toBe(`${key.trialId}:trial.ending_soon`);
    expect(await listEvents(db, key.workspaceId, { limit: 10 })).toHaveLength(1);
  });

  it('the end switches the workspace\'s active agents off, and only that workspace\'s', async () => {
    const { key, agentId } = await workspaceWithAgent('end-off');
    const bystander = await workspaceWithAgent('bystander');
    const trial = createTrialActivities({ db });
    expect(await trial.endTrial(key)).toEqual({ creditsEnabled: false, switchedOff: [agentId] });
    expect(await getAgent(db, agentId)).toMatchObject({ status: 'paused', offReason: 'trial_ended' });
    expect(await getAgent(db, bystander.agentId)).toMatchObject({ status: 'active' });
    expect((await getWorkspace(db, key.workspaceId))?.trial.status).toBe('ended');
    // A retry after the commit: nothing left to switch off, the event stays the first attempt's.
    expect(await trial.endTrial(key)).toEqual({ creditsEnabled: false, switchedOff: [] });
    expect(await listEvents(db, key.workspaceId, { type: 'trial.ended', limit: 10 })).toMatchObject([{ data: { switchedOff: [agentId] } }]);
  });

  it('with credits enabled the end switches nothing off', async () => {
    const { key, agentId } = await workspaceWithAgent('end-credits');
    await setCreditsEnabled(db, key.workspaceId, true);
    expect(await createTrialActivities({ db }).endTrial(key)).toEqual({ creditsEnabled: true, switchedOff: [] });
    expect(await getAgent(db, agentId)).toMatchObject({ status: 'active' });
  });

  it('a workspace that does not exist is a refusal the workflow does not retry', async () => {
    await expect(createTrialActivities({ db }).endTrial({ workspaceId: 'ws_gone', trialId: 'trial:ws_gone' }))
      .rejects.toMatchObject({ type: 'WorkspaceNotFound', nonRetryable: true });
  });
});

describe('the trial\'s reminder email, retried as Temporal retries it', () => {
  const ENDS_AT = '2026-04-07T09:15:00.000Z';

  const sorted = (r: TrialReminderEmailResult) => ('sent' in r ? { sent: [...r.sent].sort(), refused: [...r.refused].sort() } : r);

  /** A workspace with an agent deployed on email (the support address mail is sent from) and these people. */
  async function emailWorkspace(name: string, people: string[]) {
    const { key, agentId } = await workspaceWithAgent(name);
    const support = `support-${uniqueId(name).toLowerCase()}@shop.test`;
    await createDeployment(db, box, key.workspaceId, agentId, {
      channel: 'email', account: support, settings: {}, secrets: {}, hours: ALL_HOURS, whenUnavailable: DEFAULT_WHEN_UNAVAILABLE,
    });
    const addresses = people.map((p) => `${p}-${uniqueId('p').toLowerCase()}@shop.test`);
    for (const [i, email] of addresses.entries()) await createUser(db, key.workspaceId, { name: people[i]!, email });
    return { key, support, addresses };
  }

  it('every person of the workspace gets one reminder from the support address, saying when and how to keep the agents on', async () => {
    const { key, support, addresses: [ann, bob] } = await emailWorkspace('remind-mail', ['ann', 'bob']);
    const trial = createTrialActivities({ db, sendEmail });
    expect(sorted(await trial.emailTrialReminder({ ...key, endsAt: ENDS_AT }))).toEqual({ sent: [ann, bob].sort(), refused: [] });
    // The activity again, as after a lost completion: nobody gets a second one.
    expect(sorted(await trial.emailTrialReminder({ ...key, endsAt: ENDS_AT }))).toEqual({ sent: [ann, bob].sort(), refused: [] });
    for (const to of [ann!, bob!]) {
      const got = mailbox.to(to);
      expect(got).toHaveLength(1);
      const { mail, envelope } = got[0]!;
      expect(envelope.from).toBe(support);
      expect(mail.subject).toBe('Your free trial ends on Tuesday 7 April 2026 at 09:15 UTC');
      expect(mail.text).toContain(ENDS_AT);
      expect(mail.text).toContain('PATCH /v1/billing {"creditsEnabled": true}');
      expect(mail.html).toContain('PATCH /v1/billing {&quot;creditsEnabled&quot;: true}');
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    }
    expect(mailbox.to(ann!)[0]!.mail.messageId).not.toBe(mailbox.to(bob!)[0]!.mail.messageId);
  });

  it('a mail server that is down for one person fails the attempt; the retry sends only that person\'s', async () => {
    const { key, addresses: [ann, flaky, gone] } = await emailWorkspace('remind-flaky', ['ann', 'flaky', 'gone']);
    const trial = createTrialActivities({ db, sendEmail });
    await expect(trial.emailTrialReminder({ ...key, endsAt: ENDS_AT })).rejects.toMatchObject({ type: 'TrialReminderMailUnavailable', nonRetryable: false });
    expect(sorted(await trial.emailTrialReminder({ ...key, endsAt: ENDS_AT }))).toEqual({ sent: [ann, flaky].sort(), refused: [gone] });
    expect(mailbox.to(ann!)).toHaveLength(1);
    expect(mailbox.to(flaky!)).toHaveLength(1);
    expect(mailbox.to(gone!)).toHaveLength(0);
  });

  it('without an SMTP server, an email deployment or anyone to tell, nothing is sent and nothing fails', async () => {
    const set = await emailWorkspace('remind-no-smtp', ['ann']);
    expect(await createTrialActivities({ db }).emailTrialReminder({ ...set.key, endsAt: ENDS_AT })).toEqual({ skipped: 'no_smtp' });
    expect(mailbox.to(set.addresses[0]!)).toHaveLength(0);
    const { key } = await workspaceWithAgent('remind-chat-only');
    await createUser(db, key.workspaceId, { name: 'Cy', email: `cy-${uniqueId('p').toLowerCase()}@shop.test` });
    expect(await createTrialActivities({ db, sendEmail }).emailTrialReminder({ ...key, endsAt: ENDS_AT })).toEqual({ skipped: 'no_sender' });
    const nobody = await emailWorkspace('remind-nobody', []);
    expect(await createTrialActivities({ db, sendEmail }).emailTrialReminder({ ...nobody.key, endsAt: ENDS_AT })).toEqual({ skipped: 'no_people' });
  });
});
