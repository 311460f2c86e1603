/**
 * The command line talks to the product through its HTTP API, never its database: it works while
 * `npm start` holds the embedded PGlite open, against a remote server, and with exactly the checks an
 * API client gets. Calls go through the typed client (api/client.ts), so what is sent is checked against
 * the routes at compile time; answers are read through the API's own zod schemas.
 */
import type { ClientResponse } from 'hono/client';
import type { z } from 'zod';
import { ApiResponseError, createClient, type Client } from '../../api/client.js';

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
  /** The typed API client (customer-agent/client), sending the key. */
  readonly client: Client;
  /** Fails with a UsageError that says how to start the API when it does not answer. */
  reachable(): Promise<void>;
  /** The answer of a call made with `client`, read through `schema`; an error answer or none is an ApiFailure. */
  read<T extends z.ZodType>(call: Promise<ClientResponse<unknown>>, schema: T): Promise<z.infer<T>>;
}

export function apiClient(base: string, key?: string): ApiClient {
  const api = base.replace(/\/+$/, '');
  const client = createClient({ baseUrl: api, ...(key ? { apiKey: key } : {}) });
  return {
    base: api,
    client,
    async reachable() {
      try {
        await client.healthz.$get(undefined, { init: { signal: AbortSignal.timeout(10_000) } });
      } catch (err) {
        throw new UsageError(`cannot reach the API at ${api} (${(err as Error).message}); start it with npm start, or pass --api`, false);
      }
    },
    async read(call, schema) {
      let res: ClientResponse<unknown>;
      try {
        res = await call;
      } catch (err) {
        if (!(err instanceof ApiResponseError)) throw new ApiFailure(`the API did not answer (${(err as Error).message})`, 0);
        if (err.status === 401) {
          throw new ApiFailure(`${failureMessage(err)}; pass an admin key with --key or CUSTOMER_AGENT_API_KEY (npm start prints one)`, err.status);
        }
        throw new ApiFailure(failureMessage(err), err.status);
      }
      const body: unknown = await res.json().catch(() => undefined);
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new ApiFailure(`unexpected answer from the API at ${new URL(res.url).pathname}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, res.status);
      return parsed.data;
    },
  };
}

function failureMessage(err: ApiResponseError): string {
  return err.code ? `${err.message} (${err.status} ${err.code})` : err.message;
}
