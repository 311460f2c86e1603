/**
 * One call of an action, through the fetch guard (knowledge/fetch/request.ts): the URL is checked against
 * FETCH_ALLOW_HOSTS at every call (an address allowed at creation may not be now), redirects are never
 * followed (a 3xx is the answer), the call is bounded by the action's timeoutMs and its answer by
 * maxResponseBytes (past it, reading stops and the answer is `truncated`: kept as text, never parsed).
 *
 * Every request carries `Idempotency-Key`, the same on every retry of one run, so the business's API can
 * drop a repeat. Secret header values are sent and nowhere else: the request given back (for the run's
 * record and the test endpoint) shows them as '[secret]', and no error message holds one.
 */
import type { LookupAddress } from 'node:dns';
import type { ActionForRun, RecordedRequest } from '../db/actions.js';
import { FetchError, FetchRefusedError } from '../knowledge/fetch/fetch.js';
import type { FetchPolicy } from '../knowledge/fetch/policy.js';
import { createGuardedRequester } from '../knowledge/fetch/request.js';
import { fillBody, fillUrl, inputsAsJson, TemplateError, type TemplateValues } from './template.js';

export const ACTION_USER_AGENT = 'customer-agent-actions/0.1';
export const DEFAULT_ACTION_MAX_RESPONSE_BYTES = 64 * 1024;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** What a secret header's value is shown as. */
export const SECRET_SHOWN_AS = '[secret]';

export interface ActionCallerOptions {
  policy: FetchPolicy;
  userAgent?: string;
  /** Answer bytes read; then reading stops and the answer is `truncated`. */
  maxResponseBytes?: number;
  /** Resolver seam for tests; defaults to the system resolver. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface ActionCall {
  definition: Pick<ActionForRun, 'method' | 'url' | 'headers' | 'secretHeaders' | 'body' | 'timeoutMs'>;
  /** Checked values (actions/inputs.ts). */
  inputs: TemplateValues;
  idempotencyKey: string;
}

export interface ActionResponse {
  /** What was sent, secret values as '[secret]'. */
  request: RecordedRequest;
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the answer says it is JSON (and came whole), else its text. */
  body: unknown;
  truncated: boolean;
}

export type ActionCallFailure = 'refused' | 'timeout' | 'network' | 'input' | 'invalid';

/**
 * A call that got no answer. `retryable`: a network failure or a timeout, which a later attempt may get
 * past; not: the guard refused the address, a value cannot go in the URL, the request cannot be made.
 */
export class ActionCallError extends Error {
  override name = 'ActionCallError';
  constructor(
    readonly code: ActionCallFailure,
    message: string,
    readonly retryable: boolean,
    /** What was about to be sent, when it was built. */
    readonly request?: RecordedRequest,
    /** The input at fault (code 'input'). */
    readonly input?: string,
  ) {
    super(message);
  }
}

export type ActionCaller = (call: ActionCall) => Promise<ActionResponse>;

/** An answer a later attempt may change: 408, 429 and 5xx. Any other status is final. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function createActionCaller(options: ActionCallerOptions): ActionCaller {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_ACTION_MAX_RESPONSE_BYTES;
  const request = createGuardedRequester({
    policy: options.policy, userAgent: options.userAgent ?? ACTION_USER_AGENT, ...(options.resolve ? { resolve: options.resolve } : {}),
  });

  return async function callAction(call: ActionCall): Promise<ActionResponse> {
    const { send, shown } = buildRequest(call);
    let res;
    try {
      res = await request({ ...send, timeoutMs: call.definition.timeoutMs, maxResponseBytes });
    } catch (err) {
      if (err instanceof FetchRefusedError) throw new ActionCallError('refused', err.message, false, shown);
      if (err instanceof FetchError) throw new ActionCallError(err.code === 'timeout' ? 'timeout' : 'network', err.message, true, shown);
      // The HTTP client refused to make the request (e.g. a header value it cannot send): trying again cannot help.
      throw new ActionCallError('invalid', `the request could not be made: ${(err as Error).message}`, false, shown);
    }
    return { request: shown, status: res.status, headers: res.headers, body: parseBody(res.headers, res.body, res.truncated), truncated: res.truncated };
  };
}

/** The request to send and the same request as shown (secret values replaced); throws ActionCallError('input') for a value that cannot go in the URL. */
export function buildRequest(call: ActionCall): { send: { method: string; url: string; headers: Record<string, string>; body?: string }; shown: RecordedRequest } {
  const { definition: d, inputs, idempotencyKey } = call;
  let url: string;
  try {
    url = fillUrl(d.url, inputs);
  } catch (err) {
    if (err instanceof TemplateError) throw new ActionCallError('input', err.message, false, undefined, err.input);
    throw err;
  }
  const declaredType = Object.entries(d.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const filled = d.body !== undefined ? fillBody(d.body, inputs, declaredType)
    : d.method === 'POST' || d.method === 'PUT' || d.method === 'PATCH' ? inputsAsJson(inputs) : undefined;

  // By lower-case name, later wins: defaults, then the action's headers, its secret ones, and the key.
  const headers = new Map<string, { name: string; value: string; secret: boolean }>();
  const set = (name: string, value: string, secret = false) => headers.set(name.toLowerCase(), { name, value, secret });
  set('Accept', 'application/json, text/plain;q=0.9, */*;q=0.5');
  if (filled) set('Content-Type', filled.contentType);
  for (const [name, value] of Object.entries(d.headers)) set(name, value);
  for (const [name, value] of Object.entries(d.secretHeaders)) set(name, value, true);
  set(IDEMPOTENCY_HEADER, idempotencyKey);

  const send = {
    method: d.method, url, headers: Object.fromEntries([...headers.values()].map((h) => [h.name, h.value])),
    ...(filled ? { body: filled.body } : {}),
  };
  const shown: RecordedRequest = {
    method: d.method, url, headers: Object.fromEntries([...headers.values()].map((h) => [h.name, h.secret ? SECRET_SHOWN_AS : h.value])),
    ...(filled ? { body: filled.body } : {}),
  };
  return { send, shown };
}

function parseBody(headers: Record<string, string>, body: Buffer, truncated: boolean): unknown {
  const type = headers['content-type'] ?? '';
  const text = decode(body, type);
  if (truncated || !/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function decode(body: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
