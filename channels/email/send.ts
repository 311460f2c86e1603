/**
 * Email replies over SMTP (nodemailer): from the deployed support address to the customer (and whoever
 * else they wrote to, with replyAll), threaded under the message answered (Re: subject, In-Reply-To,
 * References), plain text and HTML, the signature last.
 *
 * Invariant: one delivery has one Message-ID whatever the retries (derived from the delivery key), and it
 * is remembered for the conversation before the mail leaves, so the customer's answer to it threads
 * back even when their client sets only In-Reply-To.
 */
import { createTransport, type Mail } from 'nodemailer';
import { DeliveryRefused, type ChannelSender, type SendInput } from '../channel.js';
import { EmailAddress } from './address.js';
import { renderEmail } from './render.js';
import { EmailSettings } from './settings.js';
import { replyMessageId } from './thread.js';

/** Where the sender remembers its Message-IDs (channel_threads; the composition root wires the database). */
export interface ThreadMemory {
  remember(t: { deploymentId: string; agentId: string; conversationId: string; messageId: string }): Promise<void>;
}

export interface EmailSenderOptions {
  /** SMTP_URL: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465. */
  smtpUrl?: string;
  threads?: ThreadMemory;
}

/** `Re: <subject>` once: a subject that already answers (Re:, Aw:, Sv:, Antw:, …) keeps its prefix. */
export function replySubject(subject: string): string {
  const s = subject.trim();
  if (/^(re|aw|sv|vs|antw|ant|réf|ref|rif|res|r)\s*(\[\d+\])?\s*:/i.test(s)) return s;
  return `Re: ${s || 'your message'}`;
}

const bracketed = (id: string) => `<${id}>`;

/** The message nodemailer sends for one delivery; pure. */
export function composeReply(input: SendInput): { messageId: string; mail: Mail.Options } {
  const { deployment, message } = input;
  const account = deployment.account?.toLowerCase();
  if (!account) throw new DeliveryRefused('this email deployment has no account (the support address to send from)');
  const parsed = EmailAddress.safeParse(input.address ?? {});
  if (!parsed.success) {
    throw new DeliveryRefused('the conversation has no email thread to answer (no inbound email came through this deployment)', 'not_sent');
  }
  const address = parsed.data;
  const settings = EmailSettings.parse(deployment.settings);
  const ours = (a: string) => a.toLowerCase() === account;
  const recipient = address.replyTo ?? address.from;
  if (ours(recipient.address)) throw new DeliveryRefused(`the customer's address is the support address itself (${account})`, 'not_sent');
  const cc = settings.replyAll ? (address.cc ?? []).filter((m) => !ours(m.address) && m.address !== recipient.address) : [];
  const messageId = replyMessageId(input.deliveryKey, account);
  const { text, html } = renderEmail({ text: message.text, sources: message.sources, ...(settings.signature ? { signature: settings.signature } : {}) });
  const mailbox = (m: { address: string; name?: string }) => ({ name: m.name ?? '', address: m.address });
  return {
    messageId,
    mail: {
      from: message.author ? { name: message.author, address: account } : account,
      to: [mailbox(recipient)],
      ...(cc.length > 0 ? { cc: cc.map(mailbox) } : {}),
      subject: replySubject(address.subject),
      messageId: bracketed(messageId),
      inReplyTo: bracketed(address.messageId),
      references: [...address.references, address.messageId].map(bracketed),
      text,
      html,
      headers: {
        // RFC 3834: the agent's replies are automatic, so other responders (vacation notices, another
        // helpdesk) do not answer them; Outlook's own auto-replies are suppressed the same way.
        ...(message.role === 'human' ? {} : { 'Auto-Submitted': 'auto-replied' }),
        'X-Auto-Response-Suppress': 'All',
      },
    },
  };
}

/** The SMTP_URL transport every email the install sends goes through (replies, verification codes). */
function smtpTransport(smtpUrl: string) {
  return createTransport({
    url: smtpUrl,
    // Below the delivery activity's timeout, so a server that hangs is a failed attempt, not a stuck one.
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
    // The content is ours (strings), never a path or URL for nodemailer to read.
    disableFileAccess: true, disableUrlAccess: true,
  });
}

/**
 * A 5xx is the server refusing this message for good (an unknown recipient, a rejected sender): a
 * DeliveryRefused. A refused login is our configuration, retried so it shows while it is fixed.
 */
function refusalOf(err: unknown, what: string): DeliveryRefused | undefined {
  const e = err as { responseCode?: unknown; code?: unknown; message?: string };
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'EAUTH') {
    return new DeliveryRefused(`the mail server refused the ${what}: ${e.message ?? `SMTP ${e.responseCode}`}`);
  }
  return undefined;
}

export function createEmailSender({ smtpUrl, threads }: EmailSenderOptions): ChannelSender {
  const transport = smtpUrl ? smtpTransport(smtpUrl) : undefined;
  return {
    async send(input) {
      // A reply with nowhere to go is refused before a missing SMTP_URL is: retrying would not help it.
      const { messageId, mail } = composeReply(input);
      if (!transport) throw new Error('email replies need an SMTP server: set SMTP_URL (smtp://user:pass@host:587) on the worker and restart it');
      await threads?.remember({
        deploymentId: input.deployment.id, agentId: input.message.agentId, conversationId: input.message.conversationId, messageId,
      });
      try {
        await transport.sendMail(mail);
      } catch (err) {
        throw refusalOf(err, 'reply') ?? err;
      }
      return { externalId: messageId };
    },
  };
}

/** An email of the install's own (not a reply to a transcript entry): plain text (and HTML), from a support address. */
export interface PlainEmail {
  from: { address: string; name?: string };
  to: string;
  subject: string;
  text: string;
  /** The same content as HTML, when there is one; mail clients show it instead of the text. */
  html?: string;
  /** Bare ids (no angle brackets): the message's own, and the thread it belongs to. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}

/** Sends one PlainEmail; throws DeliveryRefused when the server refuses it for good, anything else is worth a retry. */
export type SendPlainEmail = (mail: PlainEmail) => Promise<void>;

/** A SendPlainEmail over SMTP_URL, the transport replies use; undefined without one. */
export function createPlainEmailSender({ smtpUrl }: { smtpUrl?: string }): SendPlainEmail | undefined {
  if (!smtpUrl) return undefined;
  const transport = smtpTransport(smtpUrl);
  return async (mail) => {
    try {
      await transport.sendMail({
        from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.messageId ? { messageId: bracketed(mail.messageId) } : {}),
        ...(mail.inReplyTo ? { inReplyTo: bracketed(mail.inReplyTo) } : {}),
        ...(mail.references?.length ? { references: mail.references.map(bracketed) } : {}),
        ...(mail.headers ? { headers: mail.headers } : {}),
      });
    } catch (err) {
      throw refusalOf(err, 'email') ?? err;
    }
  };
}
