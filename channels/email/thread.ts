/**
 * Email threads to conversations. A message belongs to the conversation of any message it answers
 * (In-Reply-To, then References newest first) that the deployment has seen: the customer's earlier
 * messages and our replies are remembered in channel_threads. A thread never seen starts a conversation
 * whose id is derived from the thread's root message, so every message of that thread (and every retry)
 * lands in the same one even before anything was remembered.
 */
import { createHash } from 'node:crypto';
import { findThread, rememberThread } from '../../db/deployments.js';
import type { Queryable } from '../../db/types.js';
import { ExternalId } from '../../workflows/conversation.schemas.js';
import type { ParsedEmail } from './parse.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** `email-` and 24 hex characters of sha256(deployment id, root message id). */
export function newConversationId(deploymentId: string, rootMessageId: string): string {
  return `email-${sha256(`${deploymentId}\n${rootMessageId}`).slice(0, 24)}`;
}

/** The thread's first message as this one knows it. */
export function rootMessageId(mail: Pick<ParsedEmail, 'messageId' | 'inReplyTo' | 'references'>): string {
  return mail.references[0] ?? mail.inReplyTo ?? mail.messageId;
}

/** The ids to look up, most specific first: the message itself (a retry), what it answers, then its references newest first. */
export function threadKeys(mail: Pick<ParsedEmail, 'messageId' | 'inReplyTo' | 'references'>): string[] {
  return [...new Set([mail.messageId, ...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()])];
}

/** The message id a conversation uses for an email: the Message-ID itself when it is a valid ExternalId, else a hash of it. */
export function conversationMessageId(messageId: string): string {
  return ExternalId.safeParse(messageId).success ? messageId : `email-${sha256(messageId).slice(0, 32)}`;
}

/**
 * Our reply's Message-ID (bare): the same for every retry of one delivery, so a receiving client that
 * gets it twice shows it once, and at the support address's domain, as mail clients expect.
 */
export function replyMessageId(deliveryKey: string, account: string): string {
  return `${sha256(deliveryKey).slice(0, 32)}@${account.slice(account.lastIndexOf('@') + 1)}`;
}

export interface Thread {
  conversationId: string;
  /** This very message was already taken (a retried POST, a second delivery by the mail server). */
  seen: boolean;
}

export async function threadOf(db: Queryable, deploymentId: string, mail: Pick<ParsedEmail, 'messageId' | 'inReplyTo' | 'references'>): Promise<Thread> {
  const again = await findThread(db, deploymentId, [mail.messageId]);
  if (again) return { conversationId: again, seen: true };
  const known = await findThread(db, deploymentId, threadKeys(mail).slice(1));
  return { conversationId: known ?? newConversationId(deploymentId, rootMessageId(mail)), seen: false };
}

/** Remembers a message id (the customer's, or our reply's) as part of a conversation; the first mapping stays. */
export async function rememberMessage(db: Queryable, t: { deploymentId: string; agentId: string; conversationId: string; messageId: string }): Promise<void> {
  await rememberThread(db, { deploymentId: t.deploymentId, agentId: t.agentId, conversationId: t.conversationId, externalId: t.messageId });
}
