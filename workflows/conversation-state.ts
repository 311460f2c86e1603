/**
 * The conversation's state transitions, kept out of the workflow body so they read (and test) as plain
 * code. Everything here is JSON-plain and bounded, because it is carried through continue-as-new.
 */
import type {
  AwaitingApproval, CarriedState, ConversationStatus, InboundMessage, MessageResult, Turn,
} from './conversation.contract.js';
import type { PendingAction } from '../domain/action.js';
import { textHash } from './text-hash.js';

/** How many message ids (with their replies) a conversation remembers for dedupe across runs. */
export const SEEN_LIMIT = 200;
/** How many recent turns the agent sees as context. */
export const RECENT_LIMIT = 20;

export type Lookup =
  | { state: 'new' }
  | { state: 'pending' }
  | { state: 'done'; result: MessageResult }
  | { state: 'conflict' };

/** A timer the conversation's lifecycle waits on. */
export interface Deadline {
  at: number;
  what: 'hours' | 'idle' | 'handoff' | 'sla' | 'approval';
  summary: string;
}

export class ConversationState {
  status: ConversationStatus;
  missStreak: number;
  recent: Turn[];
  assigneeId: string | undefined;
  teamId: string | undefined;
  slaDueAt: number | undefined;
  handoffDueAt: number | undefined;
  clarifyStreak: number;
  language: string | undefined;
  humanReplies: NonNullable<CarriedState['humanReplies']>;
  /** Customer messages that came outside the agent's hours, in order; answered when the hours start. */
  waiting: InboundMessage[];
  hoursOpenAt: number | undefined;
  /** An action whose inputs the agent is gathering across turns. */
  pendingAction: PendingAction | undefined;
  /** Actions drafted for a person's approval, oldest first. */
  approvals: AwaitingApproval[];
  /** A code was emailed to the customer; this action runs once they write it back. */
  verifying: CarriedState['verifying'];
  /** A contact property change the agent asked the customer to confirm. */
  pendingCrm: { property: string; value: string } | undefined;
  /** Lead qualification under way: the criterion asked last and the answers so far. */
  leadProgress: { asking: string; answers: Record<string, string> } | undefined;
  private seen: CarriedState['seen'];
  private readonly pending = new Map<string, string>();
  readonly inbox: InboundMessage[] = [];

  constructor(carried?: CarriedState) {
    this.status = carried?.status === 'closed' ? 'open' : carried?.status ?? 'open';
    this.missStreak = carried?.missStreak ?? 0;
    this.recent = carried?.recent ?? [];
    this.seen = carried?.seen ?? [];
    this.assigneeId = carried?.assigneeId;
    this.teamId = carried?.teamId;
    this.slaDueAt = carried?.slaDueAt;
    this.handoffDueAt = carried?.handoffDueAt;
    this.clarifyStreak = carried?.clarifyStreak ?? 0;
    this.language = carried?.language;
    this.humanReplies = carried?.humanReplies ?? [];
    this.waiting = carried?.waiting ?? [];
    this.hoursOpenAt = carried?.hoursOpenAt;
    this.pendingAction = carried?.pendingAction;
    this.approvals = carried?.approvals ?? [];
    this.pendingCrm = carried?.pendingCrm;
    this.verifying = carried?.verifying;
    this.leadProgress = carried?.leadProgress;
  }

  /**
   * What the conversation waits for next, soonest first: the agent's hours (messages are waiting: no idle
   * close meanwhile) or the idle close, a delayed handoff, the SLA. The summary is the timer's label in the
   * Temporal UI.
   */
  nextDeadline(idleAt: number): Deadline {
    const hoursOpenAt = this.waiting.length > 0 ? this.hoursOpenAt : undefined;
    const deadlines: Deadline[] = [
      hoursOpenAt !== undefined
        ? { at: hoursOpenAt, what: 'hours', summary: "the agent's hours start: it answers the messages that waited" }
        : { at: idleAt, what: 'idle', summary: 'closes the conversation when nobody writes' },
      ...(this.handoffDueAt !== undefined ? [{ at: this.handoffDueAt, what: 'handoff' as const, summary: 'delayed handoff to a person' }] : []),
      ...(this.slaDueAt !== undefined ? [{ at: this.slaDueAt, what: 'sla' as const, summary: 'SLA: a person should have replied by now' }] : []),
      ...this.approvals.map((a) => ({ at: a.dueAt, what: 'approval' as const, summary: `the approval of “${a.name}” expires` })),
    ];
    return deadlines.sort((a, b) => a.at - b.at)[0]!;
  }

  /** Holds a message until the agent's hours start at `opensAt` (undefined: not within a year). */
  wait(msg: InboundMessage, opensAt: number | undefined): void {
    this.waiting.push(msg);
    this.hoursOpenAt = opensAt;
  }

  /** The messages that waited for the hours, oldest first; nothing waits afterwards. */
  takeWaiting(): InboundMessage[] {
    const waiting = this.waiting;
    this.waiting = [];
    this.hoursOpenAt = undefined;
    return waiting;
  }

  /** A person or a team queue owns the conversation: the agent stays silent. */
  get ownedByPeople(): boolean {
    return this.status === 'handoff_requested' || this.status === 'assigned';
  }

  setOwner(o: { status: ConversationStatus; assigneeId?: string | undefined; teamId?: string | undefined }): void {
    this.status = o.status;
    this.assigneeId = o.assigneeId;
    this.teamId = o.teamId;
  }

  /** Back to the agent: no owner, no timers. */
  release(status: 'open' | 'closed'): void {
    this.setOwner({ status });
    this.slaDueAt = undefined;
    this.handoffDueAt = undefined;
  }

  rememberHumanReply(replyId: string, messageId: string, text: string): void {
    this.humanReplies = [...this.humanReplies, { replyId, messageId }].slice(-SEEN_LIMIT);
    this.remember([{ role: 'agent', text }]);
  }

  /** Where a message id stands: a different text under a known id is a conflict, never a silent reuse. */
  lookup(msg: Pick<InboundMessage, 'messageId' | 'text'>): Lookup {
    const hash = textHash(msg.text);
    const done = this.seen.find((s) => s.messageId === msg.messageId);
    if (done) return done.textHash === hash ? { state: 'done', result: done.result } : { state: 'conflict' };
    const pendingHash = this.pending.get(msg.messageId);
    if (pendingHash !== undefined) return pendingHash === hash ? { state: 'pending' } : { state: 'conflict' };
    return { state: 'new' };
  }

  enqueue(msg: InboundMessage): void {
    this.pending.set(msg.messageId, textHash(msg.text));
    this.inbox.push(msg);
  }

  resultFor(messageId: string): MessageResult | undefined {
    return this.seen.find((s) => s.messageId === messageId)?.result;
  }

  complete(msg: InboundMessage, result: MessageResult, missStreak: number): void {
    this.pending.delete(msg.messageId);
    this.seen.push({ messageId: msg.messageId, textHash: textHash(msg.text), result });
    if (this.seen.length > SEEN_LIMIT) this.seen = this.seen.slice(-SEEN_LIMIT);
    this.remember([{ role: 'customer', text: msg.text }, ...(result.reply ? [{ role: 'agent' as const, text: result.reply.text }] : [])]);
    this.missStreak = missStreak;
    this.status = result.conversation.status;
  }

  remember(turns: Turn[]): void {
    this.recent = [...this.recent, ...turns].slice(-RECENT_LIMIT);
  }

  carry(humanSide = false, channels = false): CarriedState {
    const base: CarriedState = { status: this.status, missStreak: this.missStreak, recent: this.recent, seen: this.seen };
    if (!humanSide) return base;
    return {
      ...base,
      humanSide,
      ...(this.assigneeId ? { assigneeId: this.assigneeId } : {}),
      ...(this.teamId ? { teamId: this.teamId } : {}),
      ...(this.slaDueAt !== undefined ? { slaDueAt: this.slaDueAt } : {}),
      ...(this.handoffDueAt !== undefined ? { handoffDueAt: this.handoffDueAt } : {}),
      clarifyStreak: this.clarifyStreak,
      ...(this.language ? { language: this.language } : {}),
      humanReplies: this.humanReplies,
      ...(channels ? { channels, waiting: this.waiting, ...(this.hoursOpenAt !== undefined ? { hoursOpenAt: this.hoursOpenAt } : {}) } : {}),
      ...(this.pendingAction ? { pendingAction: this.pendingAction } : {}),
      ...(this.approvals.length > 0 ? { approvals: this.approvals } : {}),
      ...(this.pendingCrm ? { pendingCrm: this.pendingCrm } : {}),
      ...(this.verifying ? { verifying: this.verifying } : {}),
      ...(this.leadProgress ? { leadProgress: this.leadProgress } : {}),
    };
  }
}
