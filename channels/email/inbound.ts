/**
 * One inbound email, however it arrived (POST /v1/channels/email/inbound, or the SMTP listener): find the
 * deployment it was sent to, leave it unanswered when a machine or a list sent it, find its conversation
 * by thread, and hand what the customer wrote to that conversation's workflow (signal-with-start).
 *
 * Idempotent: a message already taken is not signalled again (its Message-ID is remembered once the
 * signal is sent), and one that races its own retry has the same conversation message id, which the
 * workflow takes once.
 */
import { deploymentByAccount, type Deployment } from '../../db/deployments.js';
import type { SecretBox } from '../../db/secret-box.js';
import type { Queryable } from '../../db/types.js';
import { isStorableText } from '../../domain/text.js';
import { Customer, MAX_MESSAGE_BYTES, type InboundMessage } from '../../workflows/conversation.schemas.js';
import { addressOf } from './address.js';
import { whyNotAnswered, type IgnoreReason } from './filter.js';
import { parseEmail } from './parse.js';
import { newText } from './quote.js';
import { EmailSettings } from './settings.js';
import { conversationMessageId, rememberMessage, threadOf } from './thread.js';

/** The largest email taken (attachments included): what common providers accept. */
export const MAX_EMAIL_BYTES = 25 * 1024 * 1024;

export interface EmailInboundDeps {
  db: Queryable;
  box: SecretBox;
  conversations: { deliver(target: { agentId: string; conversationId: string }, message: InboundMessage): Promise<void> };
}

/** Whose deployments a caller may deliver to (an API key); the SMTP listener delivers to any. */
export interface EmailCaller {
  workspaceId: string;
  agentIds: readonly string[] | null;
}

export type EmailReceipt =
  | { status: 'accepted'; agentId: string; conversationId: string; messageId: string }
  | { status: 'ignored'; reason: IgnoreReason | 'empty' };

/** None of the message's recipients is an email deployment the caller may reach. */
export class NoEmailDeploymentError extends Error {
  constructor(readonly addresses: readonly string[]) {
    super(addresses.length === 0
      ? 'the email names no recipient (To, Cc, Delivered-To, X-Original-To): nothing says which deployment it is for'
      : `no email deployment has the address ${addresses.join(', ')}: deploy an agent on email with one of them as its account`);
  }
}

/**
 * The live email deployment with this address that the caller may reach. An address holding a NUL or a
 * lone surrogate (an SMTP envelope's RCPT TO is not parsed from MIME) is no deployment's: none is looked up.
 */
export async function emailDeploymentFor(deps: Pick<EmailInboundDeps, 'db' | 'box'>, address: string, caller?: EmailCaller): Promise<Deployment | undefined> {
  if (!isStorableText(address)) return undefined;
  const d = await deploymentByAccount(deps.db, deps.box, 'email', address.toLowerCase());
  if (!d || (caller && (d.workspaceId !== caller.workspaceId || (caller.agentIds !== null && !caller.agentIds.includes(d.agentId))))) return undefined;
  return d;
}

/** Cut at a character boundary to at most `max` UTF-8 bytes. */
function clip(text: string, max: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= max) return text;
  return `${new TextDecoder().decode(bytes.slice(0, max - 4)).replace(/\uFFFD$/, '')}…`;
}

export async function receiveEmail(
  deps: EmailInboundDeps,
  raw: Buffer,
  options: { caller?: EmailCaller; /** The SMTP envelope's RCPT TO addresses: looked at first. */ recipients?: readonly string[] } = {},
): Promise<EmailReceipt> {
  const mail = await parseEmail(raw);
  const candidates = [...new Set([...(options.recipients ?? []), ...mail.deliveredTo, ...mail.to.map((m) => m.address), ...mail.cc.map((m) => m.address)]
    .map((a) => a.toLowerCase()))];
  let deployment: Deployment | undefined;
  for (const address of candidates) {
    deployment = await emailDeploymentFor(deps, address, options.caller);
    if (deployment) break;
  }
  if (!deployment?.account) throw new NoEmailDeploymentError(candidates);

  const settings = EmailSettings.parse(deployment.settings);
  // Mail from another of our support addresses is one agent answering another: a loop.
  const fromOurs = mail.from && (await deploymentByAccount(deps.db, deps.box, 'email', mail.from.address));
  const ours = [deployment.account, ...(fromOurs && fromOurs.account ? [fromOurs.account] : [])];
  const reason = whyNotAnswered(mail, { ourAddresses: ours, ignore: settings.ignore });
  if (reason || !mail.from) return { status: 'ignored', reason: reason ?? 'no_sender' };

  const text = clip(newText(mail.text) || mail.subject, MAX_MESSAGE_BYTES);
  if (!text.trim()) return { status: 'ignored', reason: 'empty' };

  const { agentId } = deployment;
  const thread = await threadOf(deps.db, deployment.id, mail);
  const messageId = conversationMessageId(mail.messageId);
  const accepted = { status: 'accepted', agentId, conversationId: thread.conversationId, messageId } as const;
  if (thread.seen) return accepted;

  const email = Customer.shape.email.safeParse(mail.from.address);
  const customer = { ...(email.success && email.data ? { email: email.data } : {}), ...(mail.from.name ? { name: mail.from.name.slice(0, 256) } : {}) };
  await deps.conversations.deliver({ agentId, conversationId: thread.conversationId }, {
    messageId,
    text,
    channel: 'email',
    ...(Object.keys(customer).length > 0 ? { customer } : {}),
    deploymentId: deployment.id,
    address: addressOf({ ...mail, from: mail.from }, ours),
  });
  await rememberMessage(deps.db, { deploymentId: deployment.id, agentId, conversationId: thread.conversationId, messageId: mail.messageId });
  return accepted;
}
