/** The channels an agent can be reached on. Wire values: stored in rows and Temporal search attributes. */
import { z } from 'zod';

export const CHANNELS = ['chat', 'test', 'email', 'whatsapp', 'messenger', 'voice', 'custom'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** Channels whose HTTP call waits for the reply (update-with-start); the rest reply through an outbound activity. */
export const SYNC_CHANNELS = ['chat', 'test'] as const satisfies readonly Channel[];

/** `test` conversations are the operators' own: never billed, always answered. */
export function isBillable(channel: Channel): boolean {
  return channel !== 'test';
}
