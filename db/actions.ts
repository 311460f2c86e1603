/**
 * Actions of an agent and their runs. Secret header values are sealed by a SecretBox and opened only by
 * actionForRun, for the call itself: every other read gives their names alone. Deleting an action is
 * soft (its runs keep pointing at it; its name is free again). A run is keyed by its idempotency key: a
 * retried activity finds the run it started, and a finished run is never overwritten.
 */
import type { ActionDefinition, ActionInput, ActionMethod, ActionOutcome, ActionSummary, InputValue } from '../domain/action.js';
import { stripUnsafeText } from '../domain/text.js';
import { newId } from './ids.js';
import type { SecretBox } from './secret-box.js';
import type { Queryable } from './types.js';
import { preparedStatement } from './prepared.js';

/** An action as the API shows it: everything but the secret header values. */
export interface StoredAction {
  id: string;
  workspaceId: string;
  agentId: string;
  name: string;
  description: string;
  triggerPhrases: string[];
  method: ActionMethod;
  url: string;
  inputs: Record<string, ActionInput>;
  headers: Record<string, string>;
  /** The names of the secret headers; their values are never given back. */
  secretHeaders: string[];
  body?: string;
  responseTemplate?: string;
  requiresVerifiedIdentity: boolean;
  requiresApproval: boolean;
  approvalTimeoutSeconds: number;
  timeoutMs: number;
  createdAt: string;
  updatedAt: string;
}

/** An action about to be called: with its secret header values. Never returned, logged or put in history. */
export type ActionForRun = Omit<StoredAction, 'secretHeaders'> & { secretHeaders: Record<string, string> };

type Row = {
  id: string; workspace_id: string; agent_id: string; name: string; description: string; trigger_phrases: string[];
  method: ActionMethod; url: string; inputs: Record<string, ActionInput>; headers: Record<string, string>;
  secret_header_names: string[]; secret_headers: string | null; body: string | null; response_template: string | null;
  requires_verified_identity: boolean; requires_approval: boolean; approval_timeout_seconds: number; timeout_ms: number; created_at: Date; updated_at: Date;
};

const COLUMNS = `id, workspace_id, agent_id, name, description, trigger_phrases, method, url, inputs, headers, secret_header_names,
  secret_headers, body, response_template, requires_verified_identity, requires_approval, approval_timeout_seconds, timeout_ms, created_at, updated_at`;

function toAction(r: Row): StoredAction {
  return {
    id: r.id, workspaceId: r.workspace_id, agentId: r.agent_id, name: r.name, description: r.description,
    triggerPhrases: r.trigger_phrases, method: r.method, url: r.url, inputs: r.inputs, headers: r.headers,
    secretHeaders: r.secret_header_names,
    ...(r.body !== null ? { body: r.body } : {}), ...(r.response_template !== null ? { responseTemplate: r.response_template } : {}),
    requiresVerifiedIdentity: r.requires_verified_identity, requiresApproval: r.requires_approval,
    approvalTimeoutSeconds: r.approval_timeout_seconds, timeoutMs: r.timeout_ms,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Thrown when another live action of the agent has this name (in any case). */
export class ActionNameTakenError extends Error {}

function nameTaken(err: unknown, name: string): ActionNameTakenError | undefined {
  if ((err as { code?: string }).code !== '23505') return undefined;
  return new ActionNameTakenError(`the agent already has an action named "${name}": choose another name, or change that one`);
}

function seal(box: SecretBox | undefined, secrets: Record<string, string>): string | null {
  if (Object.keys(secrets).length === 0) return null;
  if (!box) throw new Error('an action with secret headers needs SECRETS_KEY to be stored');
  return box.seal(secrets);
}

/** `box` may be absent when the action has no secret headers. */
export async function createAction(db: Queryable, box: SecretBox | undefined, workspaceId: string, agentId: string, a: ActionDefinition): Promise<StoredAction> {
  try {
    const { rows } = await db.query<Row>(
      `INSERT INTO actions (id, workspace_id, agent_id, name, description, trigger_phrases, method, url, inputs, headers,
         secret_header_names, secret_headers, body, response_template, requires_verified_identity, requires_approval, timeout_ms,
         approval_timeout_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING ${COLUMNS}`,
      [newId('act'), workspaceId, agentId, a.name, a.description, JSON.stringify(a.triggerPhrases), a.method, a.url,
        JSON.stringify(a.inputs), JSON.stringify(a.headers), JSON.stringify(Object.keys(a.secretHeaders).sort()), seal(box, a.secretHeaders),
        a.body ?? null, a.responseTemplate ?? null, a.requiresVerifiedIdentity, a.requiresApproval, a.timeoutMs, a.approvalTimeoutSeconds],
    );
    return toAction(rows[0]!);
  } catch (err) {
    throw nameTaken(err, a.name) ?? err;
  }
}

/** Read on every message (db/prepared.ts says why prepared). */
const LIVE_ACTIONS = preparedStatement('live_actions', `SELECT ${COLUMNS} FROM actions WHERE agent_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`);

/** The agent's live actions as the API shows them (secret header names only), oldest first. */
export async function listActionDetails(db: Queryable, agentId: string): Promise<StoredAction[]> {
  const { rows } = await db.query<Row>(LIVE_ACTIONS, [agentId]);
  return rows.map(toAction);
}

/** What the turn sees of the agent's live actions: no URL, headers or secrets. */
export async function listActions(db: Queryable, agentId: string): Promise<ActionSummary[]> {
  return (await listActionDetails(db, agentId)).map((a) => ({
    id: a.id, name: a.name, description: a.description, triggerPhrases: a.triggerPhrases, inputs: a.inputs,
    requiresVerifiedIdentity: a.requiresVerifiedIdentity, requiresApproval: a.requiresApproval, approvalTimeoutSeconds: a.approvalTimeoutSeconds,
  }));
}

export async function getAction(db: Queryable, agentId: string, id: string): Promise<StoredAction | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM actions WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL`, [agentId, id]);
  return rows[0] && toAction(rows[0]);
}

/** A PATCH: fields given replace the stored ones; `secretHeaders` are merged (a value of '' removes that header). */
export type ActionChanges = Partial<Omit<ActionDefinition, 'secretHeaders' | 'body' | 'responseTemplate'>> & {
  secretHeaders?: Record<string, string>;
  /** null removes the template. */
  body?: string | null;
  responseTemplate?: string | null;
};

export async function updateAction(db: Queryable, box: SecretBox | undefined, agentId: string, id: string, c: ActionChanges): Promise<StoredAction | undefined> {
  const { rows: current } = await db.query<Row>(`SELECT ${COLUMNS} FROM actions WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL`, [agentId, id]);
  const row = current[0];
  if (!row) return undefined;
  let sealed = row.secret_headers;
  let names = row.secret_header_names;
  if (c.secretHeaders && Object.keys(c.secretHeaders).length > 0) {
    if (row.secret_headers && !box) throw new Error('this action has secret headers, and this process runs without SECRETS_KEY');
    const merged = mergeHeaders(row.secret_headers && box ? box.open(row.secret_headers) : {}, c.secretHeaders);
    sealed = seal(box, merged);
    names = Object.keys(merged).sort();
  }
  const next = <K extends keyof ActionChanges, T>(key: K, stored: T): T => (c[key] === undefined ? stored : (c[key] as T));
  try {
    const { rows } = await db.query<Row>(
      `UPDATE actions SET name = $3, description = $4, trigger_phrases = $5, method = $6, url = $7, inputs = $8, headers = $9,
         secret_header_names = $10, secret_headers = $11, body = $12, response_template = $13, requires_verified_identity = $14,
         requires_approval = $15, timeout_ms = $16, approval_timeout_seconds = $17, updated_at = now()
        WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
      [agentId, id, next('name', row.name), next('description', row.description), JSON.stringify(next('triggerPhrases', row.trigger_phrases)),
        next('method', row.method), next('url', row.url), JSON.stringify(next('inputs', row.inputs)), JSON.stringify(next('headers', row.headers)),
        JSON.stringify(names), sealed, next('body', row.body), next('responseTemplate', row.response_template),
        next('requiresVerifiedIdentity', row.requires_verified_identity), next('requiresApproval', row.requires_approval), next('timeoutMs', row.timeout_ms),
        next('approvalTimeoutSeconds', row.approval_timeout_seconds)],
    );
    return rows[0] && toAction(rows[0]);
  } catch (err) {
    throw nameTaken(err, c.name ?? row.name) ?? err;
  }
}

/**
 * Header maps merged by name in any case (`X-Api-Key` replaces `x-api-key`), a value of '' removing the
 * header; the name as last written is kept.
 */
export function mergeHeaders(stored: Record<string, string>, changes: Record<string, string>): Record<string, string> {
  const merged = { ...stored };
  for (const [name, value] of Object.entries(changes)) {
    for (const k of Object.keys(merged)) if (k.toLowerCase() === name.toLowerCase()) delete merged[k];
    if (value !== '') merged[name] = value;
  }
  return merged;
}

/** The action stops being offered and run; its runs stay on record. */
export async function deleteAction(db: Queryable, agentId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE actions SET deleted_at = now() WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL', [agentId, id]);
  return (rowCount ?? 0) > 0;
}

/** A live action with its secret headers opened: only for the call about to be made. */
export async function actionForRun(db: Queryable, box: SecretBox | undefined, agentId: string, actionId: string): Promise<ActionForRun | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM actions WHERE agent_id = $1 AND id = $2 AND deleted_at IS NULL`, [agentId, actionId]);
  const row = rows[0];
  if (!row) return undefined;
  if (row.secret_headers && !box) throw new SecretsUnavailableError('this action has secret headers, and this process runs without SECRETS_KEY: set the same SECRETS_KEY as the API');
  return { ...toAction(row), secretHeaders: row.secret_headers && box ? box.open(row.secret_headers) : {} };
}

/** An action's secrets cannot be opened here (no SECRETS_KEY). */
export class SecretsUnavailableError extends Error {}

// ---- runs ----

export type ActionRunStatus = 'running' | 'succeeded' | 'failed' | 'pending_approval' | 'rejected' | 'expired';
/** A run in one of these is over: its outcome is final and it is never called again. */
export const FINISHED_RUN_STATUSES: readonly ActionRunStatus[] = ['succeeded', 'failed', 'rejected', 'expired'];

/** What was sent, secrets shown as '[secret]'. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ActionRun {
  id: string;
  workspaceId: string;
  agentId: string;
  actionId: string;
  conversationId?: string;
  messageId?: string;
  idempotencyKey: string;
  status: ActionRunStatus;
  inputs: Record<string, InputValue>;
  request?: RecordedRequest;
  responseStatus?: number;
  /** The parsed JSON answer, or its text; at most MAX_STORED_RESPONSE_BYTES of it. */
  responseBody?: unknown;
  responseTruncated: boolean;
  text?: string;
  error?: string;
  attempts: number;
  createdAt: string;
  finishedAt?: string;
}

/** What a run row keeps of the answer. */
export const MAX_STORED_RESPONSE_BYTES = 16 * 1024;

type RunRow = {
  id: string; workspace_id: string; agent_id: string; action_id: string; conversation_id: string | null; message_id: string | null;
  idempotency_key: string; status: ActionRunStatus; inputs: Record<string, InputValue>; request: RecordedRequest | null;
  response_status: number | null; response_body: unknown; response_truncated: boolean; text: string | null; error: string | null;
  attempts: number; created_at: Date; finished_at: Date | null;
};

const RUN_COLUMNS = `id, workspace_id, agent_id, action_id, conversation_id, message_id, idempotency_key, status, inputs, request,
  response_status, response_body, response_truncated, text, error, attempts, created_at, finished_at`;

function toRun(r: RunRow): ActionRun {
  return {
    id: r.id, workspaceId: r.workspace_id, agentId: r.agent_id, actionId: r.action_id,
    ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}), ...(r.message_id !== null ? { messageId: r.message_id } : {}),
    idempotencyKey: r.idempotency_key, status: r.status, inputs: r.inputs,
    ...(r.request !== null ? { request: r.request } : {}), ...(r.response_status !== null ? { responseStatus: r.response_status } : {}),
    ...(r.response_body !== null ? { responseBody: r.response_body } : {}), responseTruncated: r.response_truncated,
    ...(r.text !== null ? { text: r.text } : {}), ...(r.error !== null ? { error: r.error } : {}),
    attempts: r.attempts, createdAt: new Date(r.created_at).toISOString(),
    ...(r.finished_at !== null ? { finishedAt: new Date(r.finished_at).toISOString() } : {}),
  };
}

/** The outcome of a finished run, as the workflow sees it. */
export function outcomeOf(run: ActionRun): ActionOutcome {
  return {
    runId: run.id, ok: run.status === 'succeeded',
    ...(run.status === 'succeeded' && run.text !== undefined ? { text: run.text } : {}),
    ...(run.responseStatus !== undefined ? { status: run.responseStatus } : {}),
    ...(run.status !== 'succeeded' ? { error: run.error ?? `the action was ${run.status.replace('_', ' ')}` } : {}),
  };
}

export interface StartRun {
  idempotencyKey: string;
  agentId: string;
  actionId: string;
  conversationId?: string;
  messageId?: string;
  inputs: Record<string, InputValue>;
  /** 'pending_approval' records a run that waits for a person's approval before it is called. Default 'running'. */
  status?: 'running' | 'pending_approval';
}

/**
 * The run under this idempotency key: made now (`created`), or the one an earlier attempt made, as it
 * stands. Throws when the key is another agent's or another action's (a caller's mistake, never retried).
 */
export async function startActionRun(db: Queryable, s: StartRun): Promise<{ run: ActionRun; created: boolean }> {
  const { rows } = await db.query<RunRow>(
    `INSERT INTO action_runs (id, workspace_id, agent_id, action_id, conversation_id, message_id, idempotency_key, status, inputs)
     SELECT $1, a.workspace_id, a.id, $3, $4, $5, $6, $7, $8 FROM agents a WHERE a.id = $2
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${RUN_COLUMNS}`,
    [newId('run'), s.agentId, s.actionId, s.conversationId ?? null, s.messageId ?? null, s.idempotencyKey, s.status ?? 'running', JSON.stringify(s.inputs)],
  );
  if (rows[0]) return { run: toRun(rows[0]), created: true };
  const existing = await actionRunByKey(db, s.idempotencyKey);
  if (!existing) throw new Error(`agent ${s.agentId} does not exist`);
  if (existing.agentId !== s.agentId || existing.actionId !== s.actionId) {
    throw new Error(`idempotency key ${s.idempotencyKey} already belongs to a run of another action`);
  }
  return { run: existing, created: false };
}

export interface RunAttempt {
  request?: RecordedRequest;
  responseStatus?: number;
  responseBody?: unknown;
  responseTruncated?: boolean;
  error?: string;
}

/** One call made by a run that goes on (it will be retried): what was sent and what came back. An approved run is running from here on. */
export async function recordActionAttempt(db: Queryable, runId: string, a: RunAttempt): Promise<void> {
  await db.query(
    `UPDATE action_runs SET status = 'running', attempts = attempts + 1, request = COALESCE($2, request), response_status = $3, response_body = $4,
       response_truncated = $5, error = $6 WHERE id = $1 AND status IN ('running', 'pending_approval')`,
    [runId, a.request ? JSON.stringify(a.request) : null, a.responseStatus ?? null, storedBody(a.responseBody), a.responseTruncated ?? false, storableText(a.error)],
  );
}

export interface RunEnd extends RunAttempt {
  status: 'succeeded' | 'failed' | 'rejected' | 'expired';
  text?: string;
  /** A call was made in this step (false: refused before calling, rejected, expired). */
  called?: boolean;
}

/** Ends a run that is still going (running or pending approval); a finished run stays as it was. Returns the run as it stands. */
export async function finishActionRun(db: Queryable, runId: string, end: RunEnd): Promise<ActionRun> {
  const { rows } = await db.query<RunRow>(
    `UPDATE action_runs SET status = $2, attempts = attempts + $3, request = COALESCE($4, request), response_status = $5,
       response_body = $6, response_truncated = $7, text = $8, error = $9, finished_at = now()
      WHERE id = $1 AND status IN ('running', 'pending_approval') RETURNING ${RUN_COLUMNS}`,
    [runId, end.status, end.called ? 1 : 0, end.request ? JSON.stringify(end.request) : null, end.responseStatus ?? null,
      storedBody(end.responseBody), end.responseTruncated ?? false, storableText(end.text), storableText(end.error)],
  );
  if (rows[0]) return toRun(rows[0]);
  const { rows: stored } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM action_runs WHERE id = $1`, [runId]);
  if (!stored[0]) throw new Error(`action run ${runId} does not exist`);
  return toRun(stored[0]);
}

/**
 * Ends the run under this key as failed when it is still going: the workflow's last word when it gives
 * up retrying (the run's own attempts left it running). Undefined when no run has the key.
 */
export async function abandonActionRun(db: Queryable, idempotencyKey: string, error: string): Promise<ActionRun | undefined> {
  const run = await actionRunByKey(db, idempotencyKey);
  return run && finishActionRun(db, run.id, { status: 'failed', error });
}

export async function actionRunByKey(db: Queryable, idempotencyKey: string): Promise<ActionRun | undefined> {
  const { rows } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM action_runs WHERE idempotency_key = $1`, [idempotencyKey]);
  return rows[0] && toRun(rows[0]);
}

/**
 * A conversation's action runs, oldest first, each with its action's name: a deleted action keeps its
 * name here; a run of an action that never existed (no foreign key) has none.
 */
export async function listActionRuns(db: Queryable, c: { agentId: string; conversationId: string }): Promise<(ActionRun & { actionName?: string })[]> {
  const { rows } = await db.query<RunRow & { action_name: string | null }>(
    `SELECT ${RUN_COLUMNS}, (SELECT a.name FROM actions a WHERE a.id = action_runs.action_id AND a.agent_id = action_runs.agent_id) AS action_name
       FROM action_runs WHERE agent_id = $1 AND conversation_id = $2 ORDER BY created_at, id`, [c.agentId, c.conversationId],
  );
  return rows.map((r) => ({ ...toRun(r), ...(r.action_name !== null ? { actionName: r.action_name } : {}) }));
}

const storableText = (text: string | undefined) => (text === undefined ? null : stripUnsafeText(text));

/**
 * The answer as jsonb: itself when its JSON fits the cap, else its (first) text as a JSON string. A NUL or
 * a lone surrogate, which jsonb refuses, is dropped (or replaced by U+FFFD): an answer must never make its
 * run impossible to record.
 */
function storedBody(body: unknown): string | null {
  if (body === undefined) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch {
    json = undefined;
  }
  if (json !== undefined && Buffer.byteLength(json) <= MAX_STORED_RESPONSE_BYTES) return storableJson(json);
  let text = typeof body === 'string' ? body : json ?? '';
  let out = JSON.stringify(text);
  // Escaping can grow the text: cut until the JSON string fits.
  while (Buffer.byteLength(out) > MAX_STORED_RESPONSE_BYTES) {
    text = cutUtf8(text, Math.floor(Math.min(Buffer.byteLength(text), MAX_STORED_RESPONSE_BYTES) * 0.9));
    out = JSON.stringify(text);
  }
  return storableJson(out);
}

/** JSON text with the escapes jsonb refuses (\u0000, a lone surrogate's \udxxx) taken out; escaped backslashes are read as pairs. */
function storableJson(json: string): string {
  return json.replace(/\\(u0000|u[dD][89a-fA-F][0-9a-fA-F]{2}|.)/g, (whole, esc: string) => {
    if (esc === 'u0000') return '';
    return esc.length === 5 ? '\\ufffd' : whole;
  });
}

/** At most `bytes` of UTF-8, never splitting a character. */
function cutUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  return new TextDecoder('utf-8').decode(buf.subarray(0, bytes)).replace(/\uFFFD$/, '');
}
