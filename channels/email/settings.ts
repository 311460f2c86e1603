/** An email deployment: the support address is its account; replies go out over SMTP from it. */
import { z } from 'zod';
import type { SettingsSpec } from '../channel.js';

export const EmailSettings = z.object({
  /** Appended to every reply (plain text). */
  signature: z.string().max(2000).optional(),
  /** Reply to everyone in Cc too (off: only the sender). */
  replyAll: z.boolean().default(false),
  /** Senders never answered: addresses, or whole domains as `@example.com`. */
  ignore: z.array(z.string().trim().toLowerCase().regex(/^(@[^@\s]+|[^@\s]+@[^@\s]+)$/, 'an address or @domain')).max(500).default([]),
}).strict();
export type EmailSettings = z.infer<typeof EmailSettings>;

export const emailSettings: SettingsSpec = {
  schema: EmailSettings,
  secretKeys: [],
  account: { schema: z.email().max(320).transform((a) => a.toLowerCase()), description: 'the support address customers write to' },
};
