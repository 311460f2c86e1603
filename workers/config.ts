/**
 * The one configuration path: every process (API, worker, dev launcher, bench) parses the environment
 * with this schema at start-up and fails fast with the variable at fault.
 */
import { z } from 'zod';
import { ConfigError } from '../domain/config-error.js';
import { parseAllowList } from '../knowledge/fetch/policy.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Host names the API answers besides loopback ones (comma-separated), e.g. a reverse proxy's public
   * name. The Host check is on when HOST is a loopback address or this is set (DNS rebinding guard).
   */
  ALLOWED_HOSTS: z.string().default('').transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  DATA_DIR: z.string().default('.data'),
  /** A PostgreSQL server with pgvector; absent means embedded PGlite under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** An existing Temporal cluster; absent means `npm start` runs a dev server. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('customer-agent'),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  /** The dev server's gRPC port (npm start); a free one is taken when this one is busy. */
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_CLI_VERSION: z.string().default('v1.5.1'),
  /**
   * TLS to TEMPORAL_ADDRESS (workers/temporal-connection.ts): PEM files of a client certificate and its key
   * for mTLS (both or neither), the server's CA when the OS does not trust it, and the name its certificate
   * carries when the address does not. TEMPORAL_API_KEY (Temporal Cloud) turns TLS on and sends the key.
   */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),

  EMBEDDINGS_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  EMBEDDINGS_BASE_URL: z.string().url().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(4096).default(512),

  CHAT_PROVIDER: z.enum(['extractive', 'openai', 'anthropic']).default('extractive'),
  CHAT_BASE_URL: z.string().url().optional(),
  CHAT_API_KEY: z.string().optional(),
  CHAT_MODEL: z.string().optional(),

  /**
   * The install's root key: admin of the default workspace, and the only key that makes workspaces.
   * Required by `npm run api`; `npm start` generates one into DATA_DIR when it is not set.
   */
  ADMIN_API_KEY: z.string().min(24, 'at least 24 characters; generate one with: openssl rand -hex 24').regex(/^\S+$/, 'no spaces').optional(),
  /** Requests per minute per API key (0: unlimited), and per widget key and client address. */
  /**
   * Seals deployments' secrets at rest (AES-256-GCM): 64 hex characters (openssl rand -hex 32). The API
   * and the workers need the same one. `npm start` generates one into DATA_DIR when it is not set.
   */
  SECRETS_KEY: z.string().min(32, 'at least 32 characters; generate one with: openssl rand -hex 32').optional(),
  /** The API's public base URL (https://support.example.com): the webhook URLs deployments show. */
  PUBLIC_URL: z.url().optional(),
  /** Replies on email go out through this SMTP server (smtp://user:pass@host:587 or smtps://…). */
  SMTP_URL: z.string().optional(),
  /** Also receive email on this port (an SMTP listener); absent: inbound email comes by HTTP only. */
  SMTP_LISTEN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** WhatsApp and Messenger replies go to `${GRAPH_API_BASE_URL}/<account>/messages`. */
  GRAPH_API_BASE_URL: z.url().default('https://graph.facebook.com/v21.0'),
  /** How long a reply on an asynchronous channel is retried before it shows as failed, and the first wait. */
  OUTBOUND_RETRY_HOURS: z.coerce.number().positive().max(24 * 7).default(24),
  OUTBOUND_RETRY_INITIAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(2),
  /** How long a one-time code emailed to verify a customer's address works (the email says it in minutes). */
  VERIFICATION_CODE_TTL_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(600),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  WIDGET_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Behind a reverse proxy: take the client address (widget rate limits) from X-Forwarded-For. */
  TRUST_PROXY: bool.default(false),
  /**
   * How long POST …/messages waits for the reply before answering 503 with Retry-After (no worker
   * polling, Temporal down, a slow model); the conversation keeps going, and a retry with the same
   * messageId gets the reply.
   */
  REPLY_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** How often a worker closes in the database the conversations terminated from the Temporal UI or CLI. */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0.5).default(60),
  /**
   * Conversations a worker keeps in memory between messages (the SDK's sticky cache). An evicted one is
   * rebuilt from its history when its next message comes (a replay: milliseconds). The SDK's own default
   * grows with the heap limit (about 2,300 on a 4 GB heap), so 1,000 idle conversations stayed resident.
   * 0 turns the cache off (every workflow task replays).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(250),

  /** Load the demo agent and knowledge base on start (dev launcher). */
  DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Chaos knob for crash tests: the turn activity waits this long before working. Never set in production. */
  FAULT_TURN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** Chaos knob for crash tests: a recorded reply waits this long before it is handed to its delivery. Never set in production. */
  FAULT_DELIVERY_DELAY_MS: z.coerce.number().int().min(0).default(0),

  /**
   * Hosts, addresses and CIDRs that URL sync may fetch although they are private, loopback or link-local
   * (comma-separated, e.g. `intranet.example.com,10.0.0.0/8:8080,[::1]:3000`), each on the port or range
   * it names, or on 80 and 443 only when it names none. Empty: only public addresses.
   */
  FETCH_ALLOW_HOSTS: z.string().default('').superRefine((v, ctx) => {
    try {
      parseAllowList(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^FETCH_ALLOW_HOSTS: /, '') });
    }
  }),
  /** Per response: the whole request, redirects included, and the body after decompression. */
  FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  FETCH_MAX_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** Crawl politeness per site: requests in flight, and the least time between two request starts. */
  CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  CRAWL_DELAY_MS: z.coerce.number().int().min(0).default(250),
  /** Sent with every fetch; its first word is the robots.txt user-agent token. */
  CRAWL_USER_AGENT: z.string().min(1).default('customer-agent/0.1 (+self-hosted support agent)'),
  /** Scheduled re-sync of URL and site sources that do not set syncIntervalHours; 0 = on demand only. */
  SOURCE_SYNC_INTERVAL_HOURS: z.coerce.number().min(0).default(24),
  SOURCE_SYNC_MIN_INTERVAL_HOURS: z.coerce.number().min(0).default(0.25),

  /** The trial (product defaults): 28 days from the first deployment, `trial.ending_soon` 4 days before the end. */
  TRIAL_DAYS: z.coerce.number().int().min(1).default(28),
  TRIAL_REMINDER_DAYS_BEFORE: z.coerce.number().int().min(0).default(4),
  /** Overrides of the two above in seconds, so tests and demos run a whole trial in moments. */
  TRIAL_DURATION_SECONDS: z.coerce.number().int().min(1).optional(),
  TRIAL_REMINDER_SECONDS_BEFORE_END: z.coerce.number().int().min(0).optional(),

  /**
   * Webhook deliveries: how long a failing receiver is retried (hours, a fraction for tests: 0.01 is 36 s),
   * the first wait between attempts (doubling up to an hour), and how long one POST may take.
   */
  WEBHOOK_RETRY_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  WEBHOOK_RETRY_INITIAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(2),
  /** Below the delivery activity's 30 s start-to-close timeout, so a slow receiver is a recorded failure. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(25_000).default(10_000),

  /** File uploads: the largest file, the largest request (all its files), files per request. */
  FILE_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  FILE_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024),
  FILE_MAX_COUNT: z.coerce.number().int().min(1).max(1000).default(20),
  /** Files are read in worker threads: how many at once (default: half the cores), how long and how much memory one may take. */
  FILE_EXTRACT_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  FILE_EXTRACT_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  FILE_EXTRACT_MAX_MEMORY_MB: z.coerce.number().int().min(64).default(1536),
  /** Videos are read through their caption tracks with ffmpeg/ffprobe from PATH unless these name them. */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  /** An OpenAI-compatible API base (…/v1) whose /audio/transcriptions transcribes videos without captions. */
  TRANSCRIPTION_BASE_URL: z.string().url().optional(),
  TRANSCRIPTION_API_KEY: z.string().optional(),
  TRANSCRIPTION_MODEL: z.string().min(1).default('whisper-1'),
});
export type Config = z.infer<typeof ConfigSchema>;

export { ConfigError };

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

/**
 * The trial's durations, fixed into a workspace's trial workflow when it opts in. The seconds overrides win
 * over the days; a reminder that would come before the trial starts is a configuration error.
 */
export function trialDurations(config: Pick<Config,
  'TRIAL_DAYS' | 'TRIAL_REMINDER_DAYS_BEFORE' | 'TRIAL_DURATION_SECONDS' | 'TRIAL_REMINDER_SECONDS_BEFORE_END'>): { durationMs: number; reminderBeforeMs: number } {
  const day = 24 * 3600;
  const duration = config.TRIAL_DURATION_SECONDS !== undefined
    ? { seconds: config.TRIAL_DURATION_SECONDS, name: `TRIAL_DURATION_SECONDS (${config.TRIAL_DURATION_SECONDS})` }
    : { seconds: config.TRIAL_DAYS * day, name: `TRIAL_DAYS (${config.TRIAL_DAYS})` };
  const reminder = config.TRIAL_REMINDER_SECONDS_BEFORE_END !== undefined
    ? { seconds: config.TRIAL_REMINDER_SECONDS_BEFORE_END, name: `TRIAL_REMINDER_SECONDS_BEFORE_END (${config.TRIAL_REMINDER_SECONDS_BEFORE_END})` }
    : { seconds: config.TRIAL_REMINDER_DAYS_BEFORE * day, name: `TRIAL_REMINDER_DAYS_BEFORE (${config.TRIAL_REMINDER_DAYS_BEFORE})` };
  if (reminder.seconds >= duration.seconds) {
    throw new ConfigError(`Invalid configuration: ${reminder.name} must be shorter than the trial, ${duration.name}`);
  }
  return { durationMs: duration.seconds * 1000, reminderBeforeMs: reminder.seconds * 1000 };
}

/** Webhook deliveries from the configuration (the defaults of each variable where it is not set). */
/** Outbound channels: retry time and first backoff of replies, and where each channel sends. */
export function channelSettings(config: Partial<Pick<Config,
  'OUTBOUND_RETRY_HOURS' | 'OUTBOUND_RETRY_INITIAL_SECONDS' | 'SMTP_URL' | 'GRAPH_API_BASE_URL' | 'FAULT_DELIVERY_DELAY_MS'>>): ChannelSettings {
  return {
    ...(config.FAULT_DELIVERY_DELAY_MS ? { faultDelayMs: config.FAULT_DELIVERY_DELAY_MS } : {}),
    retryForMs: Math.round((config.OUTBOUND_RETRY_HOURS ?? 24) * 3600_000),
    retryInitialMs: Math.round((config.OUTBOUND_RETRY_INITIAL_SECONDS ?? 2) * 1000),
    ...(config.SMTP_URL ? { smtpUrl: config.SMTP_URL } : {}),
    graphBaseUrl: config.GRAPH_API_BASE_URL ?? 'https://graph.facebook.com/v21.0',
  };
}

export interface ChannelSettings {
  /** FAULT_DELIVERY_DELAY_MS (crash tests only). */
  faultDelayMs?: number;
  retryForMs: number;
  retryInitialMs: number;
  smtpUrl?: string;
  graphBaseUrl: string;
}

/** One-time email codes: how long one works. */
export function verificationSettings(config: Partial<Pick<Config, 'VERIFICATION_CODE_TTL_SECONDS'>>): { codeTtlMs: number } {
  return { codeTtlMs: (config.VERIFICATION_CODE_TTL_SECONDS ?? 600) * 1000 };
}

export function webhookSettings(config: Partial<Pick<Config,
  'WEBHOOK_RETRY_HOURS' | 'WEBHOOK_RETRY_INITIAL_SECONDS' | 'WEBHOOK_TIMEOUT_MS'>>): { retryForMs: number; retryInitialMs: number; timeoutMs: number } {
  return {
    retryForMs: Math.round((config.WEBHOOK_RETRY_HOURS ?? 24) * 3600_000),
    retryInitialMs: Math.round((config.WEBHOOK_RETRY_INITIAL_SECONDS ?? 2) * 1000),
    timeoutMs: config.WEBHOOK_TIMEOUT_MS ?? 10_000,
  };
}
