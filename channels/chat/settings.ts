/** Live chat (the widget and the chat page): replies go back in the HTTP answer and the transcript the widget polls. */
import { z } from 'zod';
import type { SettingsSpec } from '../channel.js';

export const ChatSettings = z.object({}).strict();
export const chatSettings: SettingsSpec = { schema: ChatSettings, secretKeys: [] };
