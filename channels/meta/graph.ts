/**
 * Sending through Meta's Graph API: `POST ${graphBaseUrl}/<account>/messages` with the deployment's access
 * token. Failures are sorted for the outbound activity: a refusal retrying cannot change (a 4xx: bad token,
 * unknown recipient, closed window) is a DeliveryRefused with Graph's own message; throttling, 5xx and
 * network errors are plain Errors, retried. Danger: the access token is a bearer credential; it goes in
 * the Authorization header only, never in a URL, a log line or an error message.
 */
import { z } from 'zod';
import { DeliveryRefused, type ChannelSender } from '../channel.js';
import { withSourceLines } from '../render.js';
import { MetaSettings } from './settings.js';
import { assertWindowOpen, CUSTOMER_SERVICE_WINDOW_MS } from './window.js';

/** Graph's error shape: `{error: {message, type, code, error_subcode, fbtrace_id, is_transient}}`. */
const GraphError = z.object({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    fbtrace_id: z.string().optional(),
    is_transient: z.boolean().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});

/** Graph codes for throttling (answered with HTTP 400 as often as 429): retried, not refused. */
const THROTTLED = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** Codes that mean the customer-service window is closed: the message is not sent, not failed. */
const WINDOW_CLOSED = new Set([131047]);
const WINDOW_CLOSED_SUBCODES = new Set([2018278]);

const TIMEOUT_MS = 20_000;

export interface GraphSend {
  graphBaseUrl: string;
  account: string;
  accessToken: string;
  body: unknown;
  fetch?: typeof fetch;
}

/** POSTs a message; resolves with Graph's JSON answer, or throws as described above. */
export async function postGraphMessage({ graphBaseUrl, account, accessToken, body, fetch: doFetch = fetch }: GraphSend): Promise<unknown> {
  const url = `${graphBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(account)}/messages`;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    // The cause names the host and the failure; the request (and its header) is not in it.
    throw new Error(`the Graph API could not be reached: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text();
  const json = parseJson(text);
  if (res.ok) return json;

  const parsed = GraphError.safeParse(json);
  const e = parsed.success ? parsed.data.error : undefined;
  const detail = e
    ? `${e.message ?? 'no message'}${e.error_data?.details ? ` (${e.error_data.details})` : ''} [code ${e.code ?? '?'}${e.error_subcode ? `/${e.error_subcode}` : ''}${e.fbtrace_id ? `, fbtrace_id ${e.fbtrace_id}` : ''}]`
    : `HTTP ${res.status}`;
  const retryable = res.status >= 500 || res.status === 429 || res.status === 408
    || e?.is_transient === true || (e?.code !== undefined && THROTTLED.has(e.code));
  if (retryable) throw new Error(`the Graph API answered ${res.status}: ${detail}`);
  if ((e?.code !== undefined && WINDOW_CLOSED.has(e.code)) || (e?.error_subcode !== undefined && WINDOW_CLOSED_SUBCODES.has(e.error_subcode))) {
    throw new DeliveryRefused(`the customer-service window is closed (Graph API): ${detail}`, 'not_sent');
  }
  throw new DeliveryRefused(`the Graph API refused the message: ${detail}`);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a message body into parts of at most `max` characters, cutting at a paragraph, a line, a sentence
 * or a word where one is in the second half of the part, and never inside a surrogate pair.
 */
export function splitMessage(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const floor = Math.floor(max / 2);
    const at = [/\n\s*\n(?=\S)/g, /\n(?=\S)/g, /[.!?…](?=\s)/g, /\s(?=\S)/g]
      .map((re) => lastMatchEnd(window, re, floor, max))
      .find((i) => i !== undefined);
    let cut = at ?? max;
    if (at === undefined && /[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut -= 1;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** The end of the last match of `re` in `s` ending after `floor` and at most at `max`. */
function lastMatchEnd(s: string, re: RegExp, floor: number, max: number): number | undefined {
  let best: number | undefined;
  for (const m of s.matchAll(re)) {
    const end = m.index + m[0].length;
    if (end > floor && end <= max) best = end;
  }
  return best;
}

/** What the WhatsApp and Messenger senders are built with. */
export interface MetaSenderDeps {
  graphBaseUrl: string;
  now?: () => number;
  fetch?: typeof fetch;
  /** The window (24 h, Meta's rule); shorter only in tests. */
  windowMs?: number;
}

/**
 * Sends the parts in order; the first part's id is the reply's. Graph takes no idempotency key, so a part
 * already sent must never be sent again: a failure after the first part is final (failed, naming how many
 * went out) instead of a retry that would repeat them.
 */
export async function sendParts(parts: string[], post: (body: string) => Promise<string | undefined>): Promise<{ externalId?: string }> {
  let first: string | undefined;
  for (const [i, part] of parts.entries()) {
    try {
      const id = await post(part);
      if (i === 0) first = id;
    } catch (err) {
      if (i === 0) throw err;
      const refused = new DeliveryRefused(`only ${i} of the reply's ${parts.length} parts were sent: ${(err as Error).message}`);
      refused.cause = err;
      throw refused;
    }
  }
  return first ? { externalId: first } : {};
}

/** What differs between WhatsApp and Messenger replies: the address, the size of a message, its body and its id. */
export interface MetaChannel<A extends { sentAt?: number | undefined }> {
  channelName: 'WhatsApp' | 'Messenger';
  address: z.ZodType<A>;
  /** Said when the conversation has no address on this channel. */
  noAddress: string;
  maxText: number;
  body(to: A, text: string): Record<string, unknown>;
  /** The channel's id for the message sent, from the Graph API's answer. */
  sentId(answer: unknown): string | undefined;
}

/**
 * A Meta channel's sender: within the 24-hour window, the text with its cited sources as plain lines,
 * split to the channel's size, each part posted to `<account>/messages` with the deployment's token.
 */
export function createMetaSender<A extends { sentAt?: number | undefined }>(
  channel: MetaChannel<A>, { graphBaseUrl, now = () => Date.now(), fetch, windowMs = CUSTOMER_SERVICE_WINDOW_MS }: MetaSenderDeps,
): ChannelSender {
  return {
    async send({ deployment, address, lastInboundAt, message }) {
      const settings = MetaSettings.parse(deployment.settings);
      const to = channel.address.safeParse(address);
      if (!to.success || !deployment.account) throw new DeliveryRefused(channel.noAddress);
      assertWindowOpen({ channelName: channel.channelName, lastCustomerMessageAt: to.data.sentAt ?? lastInboundAt, now: now(), windowMs });
      const parts = splitMessage(withSourceLines(message.text, message.sources), channel.maxText);
      return sendParts(parts, async (text) => channel.sentId(await postGraphMessage({
        graphBaseUrl, account: deployment.account!, accessToken: settings.accessToken, ...(fetch ? { fetch } : {}), body: channel.body(to.data, text),
      })));
    },
  };
}
