/** A custom channel: the business's own adapter sends messages in and receives replies at `url`, signed. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SettingsSpec } from '../channel.js';

export const CustomSettings = z.object({
  /** Where replies are POSTed (through the same address guard as webhooks). */
  url: z.url({ protocol: /^https?$/ }).max(2048),
  /** Signs every reply like the webhooks (X-Signature); made by the install, shown once. */
  secret: z.string().min(16).max(256).optional(),
}).strict();
export type CustomSettings = z.infer<typeof CustomSettings>;

export const customSettings: SettingsSpec = {
  schema: CustomSettings,
  secretKeys: ['secret'],
  generate: () => ({ secret: `whsec_${randomBytes(24).toString('hex')}` }),
};
