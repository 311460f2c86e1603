/**
 * A custom channel's replies: POSTed as JSON to the deployment's `url` through the address guard, signed
 * like the webhooks (`X-Signature: t=…,v1=…`), with the delivery key as `Idempotency-Key` so the adapter
 * can drop a repeat. A 4xx other than 408/429 is the adapter refusing the message: not retried.
 */
import { SIGNATURE_HEADER, sign } from '../../activities/webhook-signature.js';
import { DeliveryRefused, type ChannelSender } from '../channel.js';
import { CustomSettings } from './settings.js';

export type Post = (req: { url: string; headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

export function createCustomSender({ post, now = () => Date.now() }: { post: Post; now?: () => number }): ChannelSender {
  return {
    async send({ deployment, message, deliveryKey }) {
      const settings = CustomSettings.parse(deployment.settings);
      const body = JSON.stringify({
        type: 'message.reply',
        deploymentId: deployment.id,
        conversationId: message.conversationId,
        messageId: message.messageId,
        role: message.role,
        text: message.text,
        sources: message.sources.map((s, i) => ({ n: i + 1, title: s.title, ...(s.url ? { url: s.url } : {}) })),
        ...(message.language ? { language: message.language } : {}),
        ...(message.author ? { author: message.author } : {}),
      });
      const { status } = await post({
        url: settings.url,
        body,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': deliveryKey,
          ...(settings.secret ? { [SIGNATURE_HEADER]: sign(settings.secret, body, Math.floor(now() / 1000)) } : {}),
        },
      });
      if (status >= 200 && status < 300) return {};
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new DeliveryRefused(`the channel's adapter refused the reply: HTTP ${status}`);
      throw new Error(`the channel's adapter answered HTTP ${status}`);
    },
  };
}
