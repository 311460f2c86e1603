/**
 * The channels' wire names (stored in rows and Temporal search attributes), apart from the zod enum of
 * domain/channel.ts (which re-exports them) because workflows check and branch on them, and the workflow
 * bundle must not evaluate zod (workflows/README.md says why).
 */
export const CHANNELS = ['chat', 'test', 'email', 'whatsapp', 'messenger', 'voice', 'custom'] as const;

/** Channels whose HTTP call waits for the reply (update-with-start); the rest reply through an outbound activity. */
export const SYNC_CHANNELS = ['chat', 'test'] as const satisfies readonly (typeof CHANNELS)[number][];
