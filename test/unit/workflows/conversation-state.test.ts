import { describe, expect, it } from 'vitest';
import { ConversationState, RECENT_LIMIT, SEEN_LIMIT } from '../../../workflows/conversation-state.js';
import type { InboundMessage, MessageResult } from '../../../workflows/conversation.contract.js';

const msg = (id: string, text = `question ${id}`): InboundMessage => ({ messageId: id, text, channel: 'chat' });
const result = (text: string): MessageResult => ({
  reply: { text, kind: 'answer', sources: [], language: 'en', confidence: 0.9 },
  conversation: { id: 'c', status: 'open' },
});

describe('conversation state', () => {
  it('answers a repeated message id with the first reply', () => {
    const s = new ConversationState();
    s.enqueue(msg('a'));
    expect(s.lookup(msg('a'))).toEqual({ state: 'pending' });
    s.complete(msg('a'), result('first'), 0);
    expect(s.lookup(msg('a'))).toEqual({ state: 'done', result: result('first') });
  });

  it('refuses a known message id carrying a different text', () => {
    const s = new ConversationState();
    s.enqueue(msg('a', 'one'));
    expect(s.lookup(msg('a', 'two'))).toEqual({ state: 'conflict' });
    s.complete(msg('a', 'one'), result('r'), 0);
    expect(s.lookup(msg('a', 'two'))).toEqual({ state: 'conflict' });
  });

  it('keeps dedupe and recent turns through what it carries to the next run', () => {
    const s = new ConversationState();
    s.enqueue(msg('a'));
    s.complete(msg('a'), result('r'), 1);
    const next = new ConversationState(JSON.parse(JSON.stringify(s.carry())));
    expect(next.lookup(msg('a'))).toMatchObject({ state: 'done' });
    expect(next.missStreak).toBe(1);
    expect(next.recent).toEqual([{ role: 'customer', text: 'question a' }, { role: 'agent', text: 'r' }]);
  });

  it('stays bounded however long the conversation runs', () => {
    const s = new ConversationState();
    for (let i = 0; i < SEEN_LIMIT + 50; i++) {
      s.enqueue(msg(`m${i}`));
      s.complete(msg(`m${i}`), result(`r${i}`), 0);
    }
    const carried = s.carry();
    expect(carried.seen).toHaveLength(SEEN_LIMIT);
    expect(carried.recent).toHaveLength(RECENT_LIMIT);
    expect(s.lookup(msg(`m${SEEN_LIMIT + 49}`))).toMatchObject({ state: 'done' });
  });

  it('a closed conversation that is carried on starts open again', () => {
    const s = new ConversationState({ status: 'closed', missStreak: 0, recent: [], seen: [] });
    expect(s.status).toBe('open');
  });

  it('waits for the soonest of idle close, delayed handoff and SLA; messages waiting for the hours hold the idle close off', () => {
    const s = new ConversationState();
    expect(s.nextDeadline(10_000)).toMatchObject({ at: 10_000, what: 'idle' });
    s.slaDueAt = 5_000;
    s.handoffDueAt = 7_000;
    expect(s.nextDeadline(10_000)).toMatchObject({ at: 5_000, what: 'sla' });
    s.slaDueAt = undefined;
    expect(s.nextDeadline(10_000)).toMatchObject({ at: 7_000, what: 'handoff' });
    s.handoffDueAt = undefined;
    s.wait(msg('late'), 50_000);
    expect(s.nextDeadline(10_000)).toMatchObject({ at: 50_000, what: 'hours' });
    // Carried over continue-as-new, the waiting message and its opening come along.
    const next = new ConversationState(s.carry(true, true));
    expect(next.nextDeadline(10_000)).toMatchObject({ at: 50_000, what: 'hours' });
    expect(next.takeWaiting().map((m) => m.messageId)).toEqual(['late']);
    expect(next.nextDeadline(10_000)).toMatchObject({ what: 'idle' });
  });
});
