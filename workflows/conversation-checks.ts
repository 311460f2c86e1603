/**
 * Hand-written shape checks of what reaches the conversation workflow: its input and the payloads of its
 * updates and signals. The zod schemas (conversation.schemas.ts) stay the source of these types, and the
 * API and the typed client parse with them before they send anything; these checks refuse what another
 * client (the Temporal CLI, a script) sends malformed, before an update is written to history.
 *
 * Why not the zod schemas here: Temporal's reusable V8 context evaluates the workflow bundle's modules
 * once per cached workflow. Measured on 600 cached workflows, zod and our schemas cost ~1.6 MB each (zod
 * alone ~0.65 MB) against ~0.23 MB for a workflow without it; with 1,000 idle conversations that is the
 * worker's memory. So the bundle carries no zod, and these checks are kept cheap: required strings
 * present and non-empty, enums in range, the bounds the schemas set where they are cheap to check.
 */
import { CHANNELS } from '../domain/channel-names.js';
import { isObject, onlyKeys, refuseIf, str, type Problems } from './shape-checks.js';
import { MAX_MESSAGE_BYTES, type ActionDecisionInput, type AssignInput, type ByInput, type ConversationInput, type HumanReplyInput, type InboundMessage } from './conversation.contract.js';

const EXTERNAL_ID = /^[A-Za-z0-9._:@-]+$/;
const USER_ID_MAX = 128;
const BY_MAX = 200;

function externalId(problems: Problems, o: Record<string, unknown>, key: string): void {
  str(problems, o, key, { min: 1, max: 128 });
  if (typeof o[key] === 'string' && o[key] !== '' && !EXTERNAL_ID.test(o[key])) problems.push(`${key}: use letters, digits and . _ : @ -`);
}

/** A customer message (the `message` update, the `inbound` signal, carried waiting messages). */
export function messageProblems(msg: unknown): Problems {
  if (!isObject(msg)) return ['not an object'];
  const problems: Problems = [];
  externalId(problems, msg, 'messageId');
  if (typeof msg.text !== 'string') problems.push('text: required');
  else if (msg.text.trim() === '') problems.push('text: text is empty');
  else if (new TextEncoder().encode(msg.text.trim()).length > MAX_MESSAGE_BYTES) problems.push(`text: text is longer than ${MAX_MESSAGE_BYTES} bytes`);
  if (!CHANNELS.includes(msg.channel as never)) problems.push(`channel: one of ${CHANNELS.join(', ')}`);
  if (msg.customer !== undefined && !isObject(msg.customer)) problems.push('customer: not an object');
  str(problems, msg, 'deploymentId', { min: 1, max: 128, required: false });
  if (msg.address !== undefined && (!isObject(msg.address) || JSON.stringify(msg.address).length > 16 * 1024)) problems.push('address: an object of at most 16 KiB');
  return problems;
}

export function checkMessage(msg: InboundMessage): void {
  refuseIf('message', messageProblems(msg));
}

export function checkAssign(to: AssignInput): void {
  if (!isObject(to)) return refuseIf('input', ['not an object']);
  const problems: Problems = [];
  if ('userId' in to) {
    onlyKeys(problems, to, ['userId', 'by']);
    str(problems, to, 'userId', { min: 1, max: USER_ID_MAX });
  } else if ('teamId' in to) {
    onlyKeys(problems, to, ['teamId', 'by']);
    str(problems, to, 'teamId', { min: 1, max: 128 });
  } else problems.push('userId or teamId: required');
  str(problems, to, 'by', { max: BY_MAX, required: false });
  refuseIf('input', problems);
}

export function checkHumanReply(reply: HumanReplyInput): void {
  if (!isObject(reply)) return refuseIf('input', ['not an object']);
  const problems: Problems = [];
  onlyKeys(problems, reply, ['userId', 'text', 'replyId']);
  str(problems, reply, 'userId', { min: 1, max: USER_ID_MAX });
  if (typeof reply.text !== 'string' || reply.text.trim() === '') problems.push('text: text is empty');
  else if (reply.text.trim().length > MAX_MESSAGE_BYTES) problems.push(`text: longer than ${MAX_MESSAGE_BYTES}`);
  externalId(problems, reply, 'replyId');
  refuseIf('input', problems);
}

export function checkBy(input: ByInput): void {
  if (!isObject(input)) return refuseIf('input', ['not an object']);
  const problems: Problems = [];
  onlyKeys(problems, input, ['by']);
  str(problems, input, 'by', { max: BY_MAX, required: false });
  refuseIf('input', problems);
}

export function checkActionDecision(input: ActionDecisionInput): void {
  if (!isObject(input)) return refuseIf('input', ['not an object']);
  const problems: Problems = [];
  onlyKeys(problems, input, ['runId', 'by']);
  str(problems, input, 'runId', { min: 1, max: 128 });
  str(problems, input, 'by', { max: BY_MAX, required: false });
  refuseIf('input', problems);
}

/**
 * The workflow's input, checked where it matters to the workflow: its keys and channel. It is written by
 * our own code only (the API's start, or the workflow's own continue-as-new), so a malformed one is a bug:
 * it fails the workflow task, as the zod parse did, and a fixed worker picks it up.
 */
export function checkInput(input: ConversationInput): ConversationInput {
  if (!isObject(input)) return refuseIf('input', ['not an object']) as never;
  const problems: Problems = [];
  str(problems, input, 'agentId', {});
  str(problems, input, 'conversationId', {});
  if (!CHANNELS.includes(input.channel)) problems.push(`channel: one of ${CHANNELS.join(', ')}`);
  if (input.customer !== undefined && !isObject(input.customer)) problems.push('customer: not an object');
  if (input.carried !== undefined && !isObject(input.carried)) problems.push('carried: not an object');
  refuseIf('input', problems);
  return input;
}
