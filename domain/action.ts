/**
 * Actions: calls to the business's own APIs (order status, password reset, bookings) that an agent runs
 * for a customer. Declared per agent; the turn graph picks one from the customer's own message and asks
 * for its inputs, the workflow runs it as an idempotent activity. Secret headers are stored encrypted and
 * never returned (db/actions.ts); they never reach the transcript, insights, logs or Temporal history.
 */
import { z } from 'zod';

export const ACTION_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const ActionMethod = z.enum(ACTION_METHODS);
export type ActionMethod = z.infer<typeof ActionMethod>;

/** An input name: usable as a `{placeholder}` in the URL, body and response template. */
export const InputName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'letters, digits and _, starting with a letter (at most 64)');

export const ActionInput = z.object({
  /** What to ask the customer for, in plain words ("your order number"). */
  description: z.string().trim().min(1).max(500),
  type: z.enum(['string', 'number', 'email', 'date']).default('string'),
  /** A regular expression the value must match in full (checked after trimming). */
  pattern: z.string().min(1).max(500).refine((p) => {
    try { new RegExp(p, 'u'); return true; } catch { return false; }
  }, 'not a valid regular expression').optional(),
  required: z.boolean().default(true),
}).strict();
export type ActionInput = z.infer<typeof ActionInput>;

const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'a header name');
// A line break in a value would end the header early (the HTTP client refuses one at call time): refused here, at creation.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HeaderValue = z.string().max(4000).regex(/^[^\r\n\u0000]*$/, 'no line breaks or NUL characters');
const Headers = z.record(HeaderName, HeaderValue);

export const ActionDefinition = z.object({
  name: z.string().trim().min(1).max(100),
  /** What the action does; offline it is matched against the customer's message, a model reads it as the tool's description. */
  description: z.string().trim().min(1).max(1000),
  /** Phrases that pick this action when the customer's message contains them (any language). */
  triggerPhrases: z.array(z.string().trim().min(2).max(200)).max(50).default([]),
  method: ActionMethod,
  /** http(s) URL with `{input}` placeholders (URL-encoded when filled). */
  url: z.string().trim().min(1).max(2000),
  inputs: z.record(InputName, ActionInput).default({}),
  headers: Headers.default({}),
  /** Header values stored encrypted, sent with every call, never returned nor logged. */
  secretHeaders: Headers.default({}),
  /** A request body template over the inputs; without one, POST/PUT/PATCH send the inputs as a JSON object. */
  body: z.string().max(20_000).optional(),
  /** The reply: `Order {orderNumber} is {status}` over the inputs and the JSON response (dotted paths). */
  responseTemplate: z.string().max(4000).optional(),
  requiresVerifiedIdentity: z.boolean().default(false),
  requiresApproval: z.boolean().default(false),
  /** How long a drafted run waits for a person's approval before it expires and the customer is told. */
  approvalTimeoutSeconds: z.number().int().min(1).max(30 * 24 * 3600).default(24 * 3600),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
}).strict();
export type ActionDefinition = z.infer<typeof ActionDefinition>;

/** What the graph and the workflow know of an action: never its secret headers. */
export const ActionSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  triggerPhrases: z.array(z.string()),
  inputs: z.record(z.string(), ActionInput),
  requiresVerifiedIdentity: z.boolean(),
  requiresApproval: z.boolean(),
  approvalTimeoutSeconds: z.number().int().default(24 * 3600),
});
export type ActionSummary = z.infer<typeof ActionSummary>;

export type InputValue = string | number;

/** An action the customer asked for whose inputs are still being gathered, carried between turns. */
export const PendingAction = z.object({
  actionId: z.string(),
  inputs: z.record(z.string(), z.union([z.string(), z.number()])),
  /** The input the last reply asked for. */
  asking: z.string().optional(),
  /** How many times the agent asked for inputs; it gives up after a few. */
  asked: z.number().int().min(0).default(0),
});
export type PendingAction = z.infer<typeof PendingAction>;

/** The outcome of one run, as the workflow and the transcript see it: no secrets, a bounded response. */
export const ActionOutcome = z.object({
  runId: z.string(),
  ok: z.boolean(),
  /** The filled response template (or a default sentence); absent when the call failed. */
  text: z.string().optional(),
  status: z.number().int().optional(),
  /** Why it failed, in one sentence (never a secret). */
  error: z.string().optional(),
});
export type ActionOutcome = z.infer<typeof ActionOutcome>;
