/**
 * The typed API client, `customer-agent/client`: for channel adapters, the CLI and scripts. It is Hono's
 * `hc` over the routes' own types (AppType), so paths, parameters, bodies and answers are checked at
 * compile time against the same zod schemas the API validates with. Every answer that is not a success
 * is thrown as an ApiResponseError carrying the API's `{status, code, message, field}`.
 *
 * Only types come from the server: at run time this module needs hono/client, the error vocabulary and
 * node:crypto (verifySignature, identityToken).
 */
import { hc, parseResponse } from 'hono/client';
import { ERROR_STATUS, type ErrorCode } from '../domain/errors.js';
import type { AppType } from './app.js';

export { parseResponse };
/** Checks `X-Signature` on what the install POSTs to you (webhooks, a custom channel's replies). */
export { verify as verifySignature } from '../activities/webhook-signature.js';
/** Host sites: the `customer.identityToken` that vouches for a customer's email (compute it on your server). */
export { identityToken } from './identity-token.js';
export type { ErrorCode };

/** The API answered with an error (4xx or 5xx): the `{error: {code, message, field?, requestId}}` it sent. */
export class ApiResponseError extends Error {
  override readonly name = 'ApiResponseError';

  constructor(
    readonly status: number,
    /** The code from the API's closed vocabulary; undefined when something else answered (a proxy's 502). */
    readonly code: ErrorCode | undefined,
    message: string,
    /** The request field the error is about, e.g. `text` or `customer.email`. */
    readonly field?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** Where the API is, e.g. `https://agent.example.com` (without `/v1`). */
  baseUrl: string;
  /** An API key (admin, channel or widget); sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Headers for every request, e.g. `x-workspace-id` for the root key. */
  headers?: Record<string, string>;
  /** A fetch of your own (tests pass the app's `request`). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response>;
}

export type Client = ReturnType<typeof hc<AppType>>;

/**
 * A client for the API at `baseUrl`. Path parameters are given as they are (the client encodes them);
 * read an answer with `parseResponse(call)`, which gives the success body's type.
 */
export function createClient(options: ClientOptions): Client {
  const send = options.fetch ?? fetch;
  const client = hc<AppType>(options.baseUrl, {
    headers: { ...options.headers, ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await send(input, init);
      if (!res.ok) throw await responseError(res);
      return res;
    },
  });
  return encodingPathParams(client);
}

async function responseError(res: Response): Promise<ApiResponseError> {
  const body: unknown = await res.json().catch(() => undefined);
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error.code === 'string' && error.code in ERROR_STATUS && typeof error.message === 'string') {
    return new ApiResponseError(res.status, error.code as ErrorCode, error.message,
      typeof error.field === 'string' ? error.field : undefined, typeof error.requestId === 'string' ? error.requestId : undefined);
  }
  return new ApiResponseError(res.status, undefined, `status ${res.status}`);
}

/**
 * hc puts path parameters into the URL as they are: an id with `/`, `?`, `#` or `%` would reach another
 * route or none. This wraps the client so every call's `param` values are percent-encoded first.
 */
function encodingPathParams<T>(target: T): T {
  return new Proxy(target as object, {
    get(t, key) {
      const value: unknown = Reflect.get(t, key);
      return typeof value === 'function' ? encodingPathParams(value) : value;
    },
    apply(t, thisArg, args: unknown[]) {
      const [first, ...rest] = args as [{ param?: Record<string, string> } | undefined, ...unknown[]];
      const param = first?.param;
      const encoded = param ? { ...first, param: Object.fromEntries(Object.entries(param).map(([k, v]) => [k, encodeURIComponent(v)])) } : first;
      return Reflect.apply(t as (...a: unknown[]) => unknown, thisArg, [encoded, ...rest]);
    },
  }) as T;
}
