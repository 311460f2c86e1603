/** The channels an agent can be reached on. Wire values: stored in rows and Temporal search attributes. */
import { z } from 'zod';
import { CHANNELS } from './channel-names.js';

export { CHANNELS, SYNC_CHANNELS } from './channel-names.js';

export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** `test` conversations are the operators' own: never billed, always answered. */
export function isBillable(channel: Channel): boolean {
  return channel !== 'test';
}
