/** WhatsApp (Cloud API) and Messenger deployments: Meta app credentials, all secret. */
import { z } from 'zod';
import type { SettingsSpec } from '../channel.js';

export const MetaSettings = z.object({
  /** What Meta sends as hub.verify_token when the webhook is set up. */
  verifyToken: z.string().min(8).max(256),
  /** Signs every webhook delivery (X-Hub-Signature-256). */
  appSecret: z.string().min(8).max(256),
  /** Sends replies through the Graph API. */
  accessToken: z.string().min(8).max(2048),
}).strict();
export type MetaSettings = z.infer<typeof MetaSettings>;

const secretKeys = ['verifyToken', 'appSecret', 'accessToken'] as const;

export const whatsappSettings: SettingsSpec = {
  schema: MetaSettings, secretKeys: [...secretKeys],
  account: { schema: z.string().regex(/^\d{5,32}$/, 'the WhatsApp phone number id (digits)'), description: 'the WhatsApp Business phone number id' },
};
export const messengerSettings: SettingsSpec = {
  schema: MetaSettings, secretKeys: [...secretKeys],
  account: { schema: z.string().regex(/^\d{5,32}$/, 'the Facebook page id (digits)'), description: 'the Facebook page id' },
};
