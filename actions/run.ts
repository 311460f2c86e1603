/**
 * One run of an action, idempotent on its key: the run row is made (or found) first; a run that already
 * finished answers with its stored outcome and is never called again; otherwise the action is loaded
 * with its secrets, its protection checked (verified identity, approval), its inputs checked, the call
 * made with the run's key as Idempotency-Key, the reply filled, and the row finished.
 *
 * Failures split in two. Another attempt may get past a timeout, a network failure, a 408, 429 or 5xx:
 * runAction records the attempt, leaves the run going and throws RetryableActionError (a plain Error, so
 * a Temporal activity retries it; the retry sends the same key). Everything else is final: the run is
 * finished as failed and the outcome says why, `ok: false`.
 */
import {
  actionForRun, finishActionRun, FINISHED_RUN_STATUSES, outcomeOf, recordActionAttempt, SecretsUnavailableError, startActionRun,
  type ActionRun, type RecordedRequest,
} from '../db/actions.js';
import type { SecretBox } from '../db/secret-box.js';
import type { Queryable } from '../db/types.js';
import type { ActionOutcome, InputValue } from '../domain/action.js';
import { ActionCallError, isRetryableStatus, type ActionCaller, type ActionCallFailure, type ActionResponse } from './http.js';
import { checkInputs } from './inputs.js';
import { defaultResponseText, fillResponse } from './template.js';

export interface RunActionDeps {
  db: Queryable;
  /** Opens secret headers (SECRETS_KEY); absent: an action with secret headers fails, naming the setting. */
  box?: SecretBox;
  /** actions/http.ts createActionCaller. */
  call: ActionCaller;
}

export interface RunActionInput {
  agentId: string;
  actionId: string;
  /** Absent for a run from the API's test endpoint. */
  conversationId?: string;
  messageId?: string;
  /** As gathered; checked again here against the action's inputs. */
  inputs: Record<string, InputValue>;
  /** `<workflowId>:<messageId>:<step>`: the same for every attempt of one run, sent as Idempotency-Key. */
  idempotencyKey: string;
  /** The customer's identity is verified: needed by an action that requiresVerifiedIdentity. */
  identityVerified?: boolean;
  /** A person approved this run: needed by an action that requiresApproval. */
  approved?: boolean;
}

/** A failure another attempt may get past; the run is still going and the retry sends the same key. */
export class RetryableActionError extends Error {
  override name = 'RetryableActionError';
}

/** Runs the action once (or answers from the finished run); throws RetryableActionError for a failure worth retrying. */
export async function runAction(deps: RunActionDeps, input: RunActionInput): Promise<ActionOutcome> {
  const done = await performAction(deps, input, { retries: true });
  if (done.retry) throw new RetryableActionError(done.retry);
  return done.outcome;
}

export type RunFailure =
  | { kind: 'gone' | 'identity' | 'approval' | 'secrets' }
  | { kind: 'inputs'; problems: Record<string, string> }
  | { kind: ActionCallFailure; input?: string }
  | { kind: 'status'; status: number };

export interface PerformedAction {
  outcome: ActionOutcome;
  /** The run as it stands now. */
  run: ActionRun;
  /** With retries on: why this attempt failed in a way a later one may not; the run is still going. */
  retry?: string;
  /** Why the run failed, when it failed in this call (absent when answered from a finished run). */
  failure?: RunFailure;
  /** The call's answer, when one came. */
  response?: ActionResponse;
  /** What was sent (secrets shown as '[secret]'), when the request was built. */
  request?: RecordedRequest;
  /** Placeholders of the response template that found no value. */
  missing?: string[];
}

/**
 * runAction's work, with what the API's test endpoint shows besides the outcome. `retries: false` makes
 * every failure final (a test run is one attempt).
 */
export async function performAction(deps: RunActionDeps, input: RunActionInput, opts: { retries: boolean }): Promise<PerformedAction> {
  const { db } = deps;
  const { run: started } = await startActionRun(db, {
    idempotencyKey: input.idempotencyKey, agentId: input.agentId, actionId: input.actionId, inputs: input.inputs,
    ...(input.conversationId ? { conversationId: input.conversationId } : {}), ...(input.messageId ? { messageId: input.messageId } : {}),
  });
  if (FINISHED_RUN_STATUSES.includes(started.status)) return { outcome: outcomeOf(started), run: started };
  // Still waiting for a person: nothing is called and the run keeps waiting.
  if (started.status === 'pending_approval' && !input.approved) {
    return { outcome: { runId: started.id, ok: false, error: 'this run waits for a person\'s approval' }, run: started, failure: { kind: 'approval' } };
  }

  const fail = async (failure: RunFailure, error: string, extra: { request?: RecordedRequest; response?: ActionResponse } = {}): Promise<PerformedAction> => {
    const run = await finishActionRun(db, started.id, {
      status: 'failed', error, called: extra.response !== undefined || failure.kind === 'timeout' || failure.kind === 'network',
      ...(extra.request ? { request: extra.request } : {}), ...answered(extra.response),
    });
    return { outcome: outcomeOf(run), run, failure, ...extra };
  };

  let definition;
  try {
    definition = await actionForRun(db, deps.box, input.agentId, input.actionId);
  } catch (err) {
    if (err instanceof SecretsUnavailableError) return fail({ kind: 'secrets' }, err.message);
    throw err;
  }
  if (!definition) return fail({ kind: 'gone' }, 'this action no longer exists');
  if (definition.requiresVerifiedIdentity && !input.identityVerified) return fail({ kind: 'identity' }, 'this action needs the customer\'s identity verified first');
  if (definition.requiresApproval && !input.approved) return fail({ kind: 'approval' }, 'this action needs a person\'s approval first');
  const checked = checkInputs(definition.inputs, input.inputs);
  if (!checked.ok) {
    const [name, problem] = Object.entries(checked.problems)[0]!;
    return fail({ kind: 'inputs', problems: checked.problems }, `input ${name}: ${problem}`);
  }

  let response: ActionResponse;
  try {
    response = await deps.call({ definition, inputs: checked.values, idempotencyKey: input.idempotencyKey });
  } catch (err) {
    if (!(err instanceof ActionCallError)) throw err;
    const request = err.request;
    if (err.retryable && opts.retries) {
      await recordActionAttempt(db, started.id, { ...(request ? { request } : {}), error: err.message });
      return { outcome: { runId: started.id, ok: false, error: err.message }, run: started, retry: err.message, ...(request ? { request } : {}) };
    }
    return fail({ kind: err.code, ...(err.input ? { input: err.input } : {}) }, err.message, request ? { request } : {});
  }

  const { request, status } = response;
  if (status < 200 || status >= 300) {
    const error = status >= 300 && status < 400 ? `the service answered ${status} (a redirect, which is not followed)` : `the service answered ${status}`;
    if (isRetryableStatus(status) && opts.retries) {
      await recordActionAttempt(db, started.id, { request, ...answered(response), error });
      return { outcome: { runId: started.id, ok: false, status, error }, run: started, retry: error, request, response };
    }
    return fail({ kind: 'status', status }, error, { request, response });
  }

  // A cut-off answer is not quoted from: the default sentence says it was done.
  const filled = definition.responseTemplate !== undefined && !response.truncated
    ? fillResponse(definition.responseTemplate, { inputs: checked.values, response: response.body })
    : { text: defaultResponseText(definition.name, status), missing: [] };
  const run = await finishActionRun(db, started.id, { status: 'succeeded', called: true, request, ...answered(response), text: filled.text });
  return { outcome: outcomeOf(run), run, request, response, ...(filled.missing.length > 0 ? { missing: filled.missing } : {}) };
}

function answered(response: ActionResponse | undefined) {
  return response ? { responseStatus: response.status, responseBody: response.body, responseTruncated: response.truncated } : {};
}
