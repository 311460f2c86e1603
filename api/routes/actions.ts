/**
 * Actions of an agent: calls to the business's own APIs. The URL passes the fetch guard here (a 422 now,
 * not a failed call later) and again at every call; secret headers are stored encrypted and only their
 * names are returned; `…/test` runs the action once and shows what was sent and what came back.
 */
import { randomUUID } from 'node:crypto';
import { createActionCaller } from '../../actions/http.js';
import { checkInputs } from '../../actions/inputs.js';
import { performAction } from '../../actions/run.js';
import { undeclaredPlaceholders, urlTemplateProblem } from '../../actions/template.js';
import {
  ActionNameTakenError, createAction, deleteAction, getAction, listActionDetails, mergeHeaders, updateAction, type StoredAction,
} from '../../db/actions.js';
import { createTargetCheck, FetchError } from '../../knowledge/fetch/fetch.js';
import { FetchRefusedError, STRICT_POLICY } from '../../knowledge/fetch/policy.js';
import { Action, ActionList, ActionParams, ActionTestResult, CreateAction, TestAction, UpdateAction } from '../action-schemas.js';
import { audit } from '../audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { AgentIdParam as AgentParams } from '../schemas.js';
import { jsonBody, params } from '../validate.js';

const SECRETS_NOTE = 'secretHeaders are stored encrypted and never returned: the answer lists their names only';

const create = v1Route({
  method: 'post', path: '/{agentId}/actions', operationId: 'createAction', tags: ['actions'],
  summary: 'Declare an action: a call to your API the agent makes for a customer (URL with {input} placeholders, inputs, headers, secret headers, body and reply templates)',
  description: `The URL must be http(s), with placeholders only in its path and query, and pass the address guard (a private, loopback or link-local address is 422 naming \`url\` unless FETCH_ALLOW_HOSTS allows it); every placeholder of \`url\` and \`body\` must name a declared input (422 naming the field). ${SECRETS_NOTE}. Secret headers need SECRETS_KEY (503 without it).`,
  middleware: [allow('admin')],
  request: { params: AgentParams, body: jsonRequest(CreateAction) },
  responses: { 201: json(Action, `The action (${SECRETS_NOTE})`), ...errors(400, 409, 413, 415, 422, 503) },
});
const list = v1Route({
  method: 'get', path: '/{agentId}/actions', operationId: 'listActions', tags: ['actions'], summary: "The agent's actions (secret header names only, never their values)",
  middleware: [allow('admin')],
  request: { params: AgentParams },
  responses: { 200: json(ActionList, 'The actions, oldest first'), ...errors(422) },
});
const read = v1Route({
  method: 'get', path: '/{agentId}/actions/{actionId}', operationId: 'getAction', tags: ['actions'], summary: 'Read an action (secret header names only, never their values)',
  middleware: [allow('admin')],
  request: { params: ActionParams },
  responses: { 200: json(Action, 'The action'), ...errors(422) },
});
const update = v1Route({
  method: 'patch', path: '/{agentId}/actions/{actionId}', operationId: 'updateAction', tags: ['actions'],
  summary: "Change an action: fields given replace the stored ones; headers and secretHeaders are merged (a header set to '' is removed)",
  description: `The result is checked as a new action is (URL, address guard, placeholders). ${SECRETS_NOTE}.`,
  middleware: [allow('admin')],
  request: { params: ActionParams, body: jsonRequest(UpdateAction) },
  responses: { 200: json(Action, 'The action'), ...errors(400, 409, 413, 415, 422, 503) },
});
const remove = v1Route({
  method: 'delete', path: '/{agentId}/actions/{actionId}', operationId: 'deleteAction', tags: ['actions'],
  summary: 'Delete an action: the agent no longer offers or runs it (its past runs stay on record)',
  middleware: [allow('admin')],
  request: { params: ActionParams },
  responses: { 204: { description: 'Deleted' }, ...errors(422) },
});
const test = v1Route({
  method: 'post', path: '/{agentId}/actions/{actionId}/test', operationId: 'testAction', tags: ['actions'],
  summary: 'Run the action once with the inputs given, and see the request sent (secret values as [secret]), the answer and the reply a customer would get',
  description: 'The call is real (use a test account for actions that change things) and recorded as a run without a conversation; verified identity and approval are not asked for. '
    + 'An input that fails its checks is 422 naming `inputs.<name>`; an address the guard refuses now is 422 naming `url`. '
    + 'Every answer of the service, an error status included, is 200 with `ok` and `response`; no answer (a timeout, an unreachable host) is 200 with `ok: false`, `error` and no `response`. '
    + '503: the action has secret headers and this API runs without SECRETS_KEY.',
  middleware: [allow('admin')],
  request: { params: ActionParams, body: jsonRequest(TestAction) },
  responses: { 200: json(ActionTestResult, 'What was sent and what came back'), ...errors(400, 413, 415, 422, 503) },
});

/** Headers an action may not set: the HTTP client's own, and the idempotency key every call carries. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'idempotency-key']);

const notFound = (id: string) => new ApiError('action_not_found', `action ${id} does not exist`, 'actionId');

interface Checked {
  url: string;
  body?: string | undefined;
  inputs: Record<string, unknown>;
  headers: Record<string, string>;
  /** Names only. */
  secretHeaders: string[];
}

/** The checks that hold across fields: URL form, placeholders declared, headers neither reserved nor both plain and secret. */
function checkDefinition(a: Checked): void {
  const problem = urlTemplateProblem(a.url);
  if (problem) throw new ApiError('invalid_request', `url: ${problem}`, 'url');
  const declared = Object.keys(a.inputs);
  for (const [fieldName, template] of [['url', a.url], ['body', a.body]] as const) {
    const unknown = template === undefined ? [] : undeclaredPlaceholders(template, declared);
    if (unknown.length > 0) {
      throw new ApiError('invalid_request', `${fieldName}: {${unknown.join('}, {')}} ${unknown.length === 1 ? 'names no input' : 'name no inputs'}; declare ${unknown.length === 1 ? 'it' : 'them'} in inputs or remove ${unknown.length === 1 ? 'it' : 'them'}`, fieldName);
    }
  }
  const plain = new Set(Object.keys(a.headers).map((h) => h.toLowerCase()));
  for (const [group, names] of [['headers', Object.keys(a.headers)], ['secretHeaders', a.secretHeaders]] as const) {
    for (const name of names) {
      if (RESERVED_HEADERS.has(name.toLowerCase())) throw new ApiError('invalid_request', `${group}.${name}: this header is set by the HTTP client or by every call (Idempotency-Key); remove it`, `${group}.${name}`);
      if (group === 'secretHeaders' && plain.has(name.toLowerCase())) throw new ApiError('invalid_request', `${group}.${name}: it is also a plain header; keep it in one of headers or secretHeaders`, `${group}.${name}`);
    }
  }
}

export function actionRoutes({ db, secrets, fetchPolicy }: ApiDeps) {
  const policy = fetchPolicy ?? STRICT_POLICY;
  // The guard every call passes (actions/http.ts), run at creation so a refused URL is a 422 now.
  const checkTarget = createTargetCheck(policy);
  const call = createActionCaller({ policy });

  async function checkAddress(url: string): Promise<void> {
    const sample = url.replace(/\{[A-Za-z][A-Za-z0-9_]*\}/g, 'x');
    try {
      await checkTarget(new URL(sample));
    } catch (err) {
      if (err instanceof FetchRefusedError || err instanceof FetchError) throw new ApiError('invalid_request', `url: ${err.message}`, 'url');
      throw err;
    }
  }
  function needSecrets(): void {
    if (!secrets) throw new ApiError('unavailable', 'this API runs without SECRETS_KEY, so it cannot store or open secret headers: set SECRETS_KEY (openssl rand -hex 32), the same for the API and the workers, and restart');
  }
  const present = (a: StoredAction) => Action.parse({
    id: a.id, agentId: a.agentId, name: a.name, description: a.description, triggerPhrases: a.triggerPhrases, method: a.method, url: a.url,
    inputs: a.inputs, headers: a.headers, secretHeaders: a.secretHeaders,
    ...(a.body !== undefined ? { body: a.body } : {}), ...(a.responseTemplate !== undefined ? { responseTemplate: a.responseTemplate } : {}),
    requiresVerifiedIdentity: a.requiresVerifiedIdentity, requiresApproval: a.requiresApproval, approvalTimeoutSeconds: a.approvalTimeoutSeconds, timeoutMs: a.timeoutMs,
    createdAt: a.createdAt, updatedAt: a.updatedAt,
  });

  return openApiRouter()
    .openapi(create, async (c) => {
      const { agentId } = params(c, AgentParams);
      const body = await jsonBody(c, CreateAction);
      checkDefinition({ ...body, secretHeaders: Object.keys(body.secretHeaders) });
      await checkAddress(body.url);
      if (Object.keys(body.secretHeaders).length > 0) needSecrets();
      try {
        const a = await createAction(db, secrets, c.get('principal').workspaceId, agentId, body);
        await audit(c, db, 'action.created', { type: 'action', id: a.id }, { agentId, name: a.name, method: a.method, url: a.url, secretHeaders: a.secretHeaders });
        return c.json(present(a), 201);
      } catch (err) {
        if (err instanceof ActionNameTakenError) throw new ApiError('conflict', err.message, 'name');
        throw err;
      }
    })
    .openapi(list, async (c) => {
      const { agentId } = params(c, AgentParams);
      return c.json({ actions: (await listActionDetails(db, agentId)).map(present) }, 200);
    })
    .openapi(read, async (c) => {
      const { agentId, actionId } = params(c, ActionParams);
      const a = await getAction(db, agentId, actionId);
      if (!a) throw notFound(actionId);
      return c.json(present(a), 200);
    })
    .openapi(update, async (c) => {
      const { agentId, actionId } = params(c, ActionParams);
      const changes = await jsonBody(c, UpdateAction);
      const current = await getAction(db, agentId, actionId);
      if (!current) throw notFound(actionId);
      const headers = changes.headers ? mergeHeaders(current.headers, changes.headers) : current.headers;
      const secretNames = changes.secretHeaders
        ? Object.keys(mergeHeaders(Object.fromEntries(current.secretHeaders.map((n) => [n, 'stored'])), changes.secretHeaders))
        : current.secretHeaders;
      const body = changes.body === undefined ? current.body : changes.body ?? undefined;
      checkDefinition({ url: changes.url ?? current.url, body, inputs: changes.inputs ?? current.inputs, headers, secretHeaders: secretNames });
      if (changes.url !== undefined) await checkAddress(changes.url);
      // Opening the stored secrets to merge, or sealing new ones, needs the key.
      if (changes.secretHeaders && Object.keys(changes.secretHeaders).length > 0 && (current.secretHeaders.length > 0 || secretNames.length > 0)) needSecrets();
      try {
        const a = await updateAction(db, secrets, agentId, actionId, { ...changes, ...(changes.headers ? { headers } : {}) });
        if (!a) throw notFound(actionId);
        await audit(c, db, 'action.updated', { type: 'action', id: a.id }, { agentId, changed: Object.keys(changes) });
        return c.json(present(a), 200);
      } catch (err) {
        if (err instanceof ActionNameTakenError) throw new ApiError('conflict', err.message, 'name');
        throw err;
      }
    })
    .openapi(remove, async (c) => {
      const { agentId, actionId } = params(c, ActionParams);
      if (!(await deleteAction(db, agentId, actionId))) throw notFound(actionId);
      await audit(c, db, 'action.deleted', { type: 'action', id: actionId }, { agentId });
      return c.body(null, 204);
    })
    .openapi(test, async (c) => {
      const { agentId, actionId } = params(c, ActionParams);
      const { inputs } = await jsonBody(c, TestAction);
      const action = await getAction(db, agentId, actionId);
      if (!action) throw notFound(actionId);
      const checked = checkInputs(action.inputs, inputs);
      if (!checked.ok) {
        const [name, problem] = Object.entries(checked.problems)[0]!;
        throw new ApiError('invalid_request', `inputs.${name}: ${problem}`, `inputs.${name}`);
      }
      if (action.secretHeaders.length > 0) needSecrets();
      const done = await performAction({ db, call, ...(secrets ? { box: secrets } : {}) }, {
        agentId, actionId, inputs, idempotencyKey: `test:${actionId}:${randomUUID()}`, identityVerified: true, approved: true,
      }, { retries: false });
      await audit(c, db, 'action.tested', { type: 'action', id: actionId }, { agentId, runId: done.run.id, ok: done.outcome.ok });
      const failure = done.failure;
      if (failure?.kind === 'refused') throw new ApiError('invalid_request', `url: ${done.outcome.error}`, 'url');
      if (failure?.kind === 'input' && failure.input) throw new ApiError('invalid_request', `inputs.${done.outcome.error}`, `inputs.${failure.input}`);
      if (failure?.kind === 'gone') throw notFound(actionId);
      if (failure?.kind === 'secrets') needSecrets();
      return c.json(ActionTestResult.parse({
        ok: done.outcome.ok, runId: done.run.id,
        ...(done.request ? { request: done.request } : {}),
        ...(done.response ? { response: { status: done.response.status, body: done.response.body, truncated: done.response.truncated } } : {}),
        ...(done.outcome.text !== undefined ? { text: done.outcome.text } : {}),
        ...(done.missing ? { missing: done.missing } : {}),
        ...(done.outcome.error !== undefined ? { error: done.outcome.error } : {}),
      }), 200);
    });
}

