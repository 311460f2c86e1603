/**
 * The command line talks to the product through its HTTP API, never its database: it works while
 * `npm start` holds the embedded PGlite open, against a remote server, and with exactly the checks an
 * API client gets. Answers are read through the API's own zod schemas.
 */
import type { z } from 'zod';

/** A mistake in how the command was called (shown with the usage), or an API it cannot reach: exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly showUsage = true) {
    super(message);
  }
}

/** The API answered with an error: its message and code, as the API put them. */
export class ApiFailure extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  out: Output;
  err: Output;
}

export const DEFAULT_API = 'http://127.0.0.1:3000';

export interface ApiClient {
  readonly base: string;
  /** Fails with a UsageError that says how to start the API when it does not answer. */
  reachable(): Promise<void>;
  get<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>>;
  post<T extends z.ZodType>(path: string, body: unknown, schema: T): Promise<z.infer<T>>;
  upload<T extends z.ZodType>(path: string, form: FormData, schema: T): Promise<z.infer<T>>;
}

export function apiClient(base: string, key?: string): ApiClient {
  const api = base.replace(/\/+$/, '');
  const call = async <T extends z.ZodType>(path: string, init: RequestInit, schema: T): Promise<z.infer<T>> => {
    let res: Response;
    try {
      res = await fetch(`${api}${path}`, key ? { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${key}` } } : init);
    } catch (err) {
      throw new ApiFailure(`the API did not answer (${(err as Error).message})`, 0);
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status === 401) {
      throw new ApiFailure(`${failureMessage(res.status, body)}; pass an admin key with --key or CUSTOMER_AGENT_API_KEY (npm start prints one)`, res.status);
    }
    if (!res.ok) throw new ApiFailure(failureMessage(res.status, body), res.status);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiFailure(`unexpected answer from the API at ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, res.status);
    return parsed.data;
  };
  return {
    base: api,
    async reachable() {
      try {
        const res = await fetch(`${api}/healthz`, { signal: AbortSignal.timeout(10_000) });
        if (!res.ok) throw new Error(`status ${res.status}`);
      } catch (err) {
        throw new UsageError(`cannot reach the API at ${api} (${(err as Error).message}); start it with npm start, or pass --api`, false);
      }
    },
    get: (path, schema) => call(path, {}, schema),
    post: (path, body, schema) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, schema),
    upload: (path, form, schema) => call(path, { method: 'POST', body: form }, schema),
  };
}

function failureMessage(status: number, body: unknown): string {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error.message === 'string') return `${error.message} (${status} ${String(error.code ?? '')})`.replace(/ \)$/, ')');
  return `status ${status}`;
}
