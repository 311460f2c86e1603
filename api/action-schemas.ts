/** Request and response schemas of the actions routes; the definition itself is domain/action.ts. */
import { z } from '@hono/zod-openapi';
import { ActionDefinition, ActionInput, ActionMethod } from '../domain/action.js';

export const ActionParams = z.object({ agentId: z.string().min(1).max(128), actionId: z.string().min(1).max(128) });

/**
 * `url` is http(s) with `{input}` placeholders in its path and query; every placeholder of `url` and
 * `body` names a declared input. `secretHeaders` are stored encrypted and never returned.
 */
export const CreateAction = ActionDefinition;

const field = ActionDefinition.shape;
/**
 * Partial update. `headers` and `secretHeaders` are merged into the stored ones by name (any case), a
 * value of '' removing that header; `inputs` and `triggerPhrases` replace the stored ones; `body` or
 * `responseTemplate` null removes it.
 */
export const UpdateAction = z.object({
  name: field.name.optional(),
  description: field.description.optional(),
  triggerPhrases: field.triggerPhrases.unwrap().optional(),
  method: field.method.optional(),
  url: field.url.optional(),
  inputs: field.inputs.unwrap().optional(),
  headers: field.headers.unwrap().optional(),
  secretHeaders: field.secretHeaders.unwrap().optional(),
  body: field.body.unwrap().nullable().optional(),
  responseTemplate: field.responseTemplate.unwrap().nullable().optional(),
  requiresVerifiedIdentity: field.requiresVerifiedIdentity.unwrap().optional(),
  requiresApproval: field.requiresApproval.unwrap().optional(),
  approvalTimeoutSeconds: field.approvalTimeoutSeconds.unwrap().optional(),
  timeoutMs: field.timeoutMs.unwrap().optional(),
}).strict().refine((u) => Object.keys(u).length > 0, { message: 'give at least one field to change' });
export type UpdateAction = z.infer<typeof UpdateAction>;

export const Action = z.object({
  id: z.string(),
  agentId: z.string(),
  name: z.string(),
  description: z.string(),
  triggerPhrases: z.array(z.string()),
  method: ActionMethod,
  url: z.string(),
  inputs: z.record(z.string(), ActionInput),
  headers: z.record(z.string(), z.string()),
  /** The NAMES of the secret headers stored (encrypted); their values are never returned. */
  secretHeaders: z.array(z.string()).describe('The names of the secret headers stored (encrypted); their values are never returned'),
  body: z.string().optional(),
  responseTemplate: z.string().optional(),
  requiresVerifiedIdentity: z.boolean(),
  requiresApproval: z.boolean(),
  approvalTimeoutSeconds: z.number().int(),
  timeoutMs: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Action');
export const ActionList = z.object({ actions: z.array(Action) });

/** The values to run the action with, by input name (checked as a customer's would be). */
export const TestAction = z.object({
  inputs: z.record(z.string(), z.union([z.string().max(1000), z.number()])).default({}),
}).strict();

export const ActionTestResult = z.object({
  /** The service answered 2xx. */
  ok: z.boolean(),
  /** The run, on record with the conversation-less runs of the action. */
  runId: z.string(),
  /** What was sent: secret header values shown as '[secret]'. */
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string().optional() }).optional(),
  /** What came back (absent when nothing did: a timeout, an unreachable host). `body` is parsed JSON or text, at most 64 KB. */
  response: z.object({ status: z.number().int(), body: z.unknown(), truncated: z.boolean() }).optional(),
  /** The reply a customer would get (the filled response template, or the default sentence). */
  text: z.string().optional(),
  /** Placeholders of the response template that found no value in the inputs or the answer (they render as nothing). */
  missing: z.array(z.string()).optional(),
  /** Why it failed, when it did. */
  error: z.string().optional(),
}).openapi('ActionTestResult');
