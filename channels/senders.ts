/** Every channel's sender, built once per worker from the settings: what outbound delivery hands replies to. */
import type { DeployableChannel } from '../domain/deployment.js';
import type { ChannelSender } from './channel.js';
import { createCustomSender, type Post } from './custom/send.js';
import { createEmailSender, type ThreadMemory } from './email/send.js';
import { createMessengerSender } from './messenger/send.js';
import { createWhatsAppSender } from './whatsapp/send.js';

export interface SenderDeps {
  /** A POST through the address guard (knowledge/fetch/post.ts): for URLs a customer gave (custom channels). */
  post: Post;
  /** SMTP_URL: where email replies go out. */
  smtpUrl?: string;
  /** Where email replies' Message-IDs are remembered, so answers to them thread (channel_threads). */
  emailThreads?: ThreadMemory;
  /** GRAPH_API_BASE_URL: WhatsApp and Messenger sends. */
  graphBaseUrl: string;
  now?: () => number;
}

export type Senders = Partial<Record<DeployableChannel, ChannelSender>>;

export function createSenders(deps: SenderDeps): Senders {
  const meta = { graphBaseUrl: deps.graphBaseUrl, ...(deps.now ? { now: deps.now } : {}) };
  return {
    custom: createCustomSender(deps),
    email: createEmailSender({ ...(deps.smtpUrl ? { smtpUrl: deps.smtpUrl } : {}), ...(deps.emailThreads ? { threads: deps.emailThreads } : {}) }),
    whatsapp: createWhatsAppSender(meta),
    messenger: createMessengerSender(meta),
  };
}
