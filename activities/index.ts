/** Composition of every activity the worker registers. */
import type { Db } from '../db/types.js';
import type { EventNotifier } from '../domain/events.js';
import type { TurnGraph } from '../graphs/turn/graph.js';
import type { Embedder } from '../knowledge/types.js';
import type { ActionCaller } from '../actions/http.js';
import type { SecretBox } from '../db/secret-box.js';
import type { SendPlainEmail } from '../channels/email/send.js';
import { createActionActivities } from './actions.js';
import { createContactActivities } from './contacts.js';
import { createConversationActivities, refusalsAreFinal } from './conversation.js';
import { createHandoffActivities } from './handoff.js';
import { createMessageActivities } from './message.js';
import { createNotifyActivities, type Poster } from './notify.js';
import { createOutboundActivities, type OutboundDeps } from './outbound.js';
import { createSourceSyncActivities, type CrawlSettings } from './source-sync.js';
import { createTrialActivities } from './trial.js';
import { createTurnActivities } from './turn.js';
import { createVerificationActivities } from './verification.js';

export interface ActivityDeps {
  db: Db;
  graph: TurnGraph;
  faultDelayMs?: number;
  embedder: Embedder;
  crawl: CrawlSettings;
  /** Where workspace events go (webhooks); activities emit through createEventEmitter (activities/events.ts). */
  notifier?: EventNotifier;
  /** Webhook deliveries: a POST through the address guard (knowledge/fetch/post.ts). */
  post: Poster;
  /** Replies on asynchronous channels (activities/outbound.ts). */
  outbound?: Omit<OutboundDeps, 'db'>;
  /** Actions: calls to the business's systems through the address guard (actions/http.ts); secret headers opened with `secrets`. */
  actions?: { call: ActionCaller; secrets?: SecretBox };
  /** SMTP_URL's sender for the install's own email to a workspace's people (the trial's reminder). */
  sendEmail?: SendPlainEmail;
  /** One-time email codes (activities/verification.ts): SECRETS_KEY's box, SMTP_URL's sender, VERIFICATION_CODE_TTL_SECONDS in ms. */
  verification?: { secrets?: SecretBox; sendEmail?: SendPlainEmail; codeTtlMs?: number };
}

export function createActivities(deps: ActivityDeps) {
  const conversation = createConversationActivities(deps);
  const turn = createTurnActivities(deps);
  return {
    ...conversation,
    ...turn,
    // The three steps of a plain answer in one local activity, composed from the same functions.
    ...createMessageActivities({ recordInbound: conversation.recordInbound, agentTurn: turn.agentTurn, recordReply: conversation.recordReply }),
    ...createSourceSyncActivities(deps),
    ...createTrialActivities(deps),
    ...refusalsAreFinal(createHandoffActivities(deps)),
    // Not refusalsAreFinal: their inputs are checked first, and a unique violation is a race a retry resolves.
    ...createContactActivities(deps),
    ...createNotifyActivities(deps),
    ...createActionActivities({
      db: deps.db, ...(deps.notifier ? { notifier: deps.notifier } : {}),
      call: deps.actions?.call ?? (async () => { throw new Error('this worker was started without an action caller'); }),
      ...(deps.actions?.secrets ? { box: deps.actions.secrets } : {}),
    }),
    ...refusalsAreFinal(createVerificationActivities({ db: deps.db, ...deps.verification })),
    ...refusalsAreFinal(createOutboundActivities({
      db: deps.db, senders: {}, retryForMs: 24 * 3600_000, retryInitialMs: 2000, ...deps.outbound,
    })),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ConversationActivities } from './conversation.js';
export type { TurnActivities } from './turn.js';
export type { MessageActivities } from './message.js';
export type { SourceSyncActivities, CrawlSettings } from './source-sync.js';
export type { TrialActivities } from './trial.js';
export type { HandoffActivities } from './handoff.js';
export type { ContactActivities } from './contacts.js';
export type { NotifyActivities, Poster } from './notify.js';
export type { OutboundActivities } from './outbound.js';
export type { ActionActivities } from './actions.js';
export type { VerificationActivities } from './verification.js';
