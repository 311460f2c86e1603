/** Each deployable channel's settings: what the deployments API validates, encrypts and hides. */
import type { DeployableChannel } from '../domain/deployment.js';
import type { SettingsSpec } from './channel.js';
import { chatSettings } from './chat/settings.js';
import { customSettings } from './custom/settings.js';
import { emailSettings } from './email/settings.js';
import { messengerSettings, whatsappSettings } from './meta/settings.js';

export const CHANNEL_SETTINGS: Record<DeployableChannel, SettingsSpec> = {
  chat: chatSettings,
  email: emailSettings,
  whatsapp: whatsappSettings,
  messenger: messengerSettings,
  custom: customSettings,
};
