/**
 * The one configuration path: every process (API, worker, dev launcher, bench) parses the environment
 * with this schema at start-up and fails fast with the variable at fault.
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('.data'),
  /** A PostgreSQL server with pgvector; absent means embedded PGlite under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** An existing Temporal cluster; absent means `npm start` runs a dev server. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('customer-agent'),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  TEMPORAL_CLI_VERSION: z.string().default('v1.5.1'),

  EMBEDDINGS_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  EMBEDDINGS_BASE_URL: z.string().url().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(4096).default(512),

  CHAT_PROVIDER: z.enum(['extractive', 'openai', 'anthropic']).default('extractive'),
  CHAT_BASE_URL: z.string().url().optional(),
  CHAT_API_KEY: z.string().optional(),
  CHAT_MODEL: z.string().optional(),

  /** Load the demo agent and knowledge base on start (dev launcher). */
  DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Chaos knob for crash tests: the turn activity waits this long before working. Never set in production. */
  FAULT_TURN_DELAY_MS: z.coerce.number().int().min(0).default(0),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration; fix these environment variables:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Config as safe to print: secrets replaced. */
export function redactConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of Object.keys(out)) if (/KEY|SECRET|TOKEN|PASSWORD/.test(key) && out[key]) out[key] = '[redacted]';
  if (config.DATABASE_URL) out.DATABASE_URL = config.DATABASE_URL.replace(/\/\/[^@/]*@/, '//[redacted]@');
  return out;
}
