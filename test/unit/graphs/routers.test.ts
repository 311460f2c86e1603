import { END } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { ACTION, ANSWER, HANDOFF, RETRIEVE } from '../../../graphs/turn/names.js';
import { routeAfterAction, routeAfterDecide, routeAfterIntake } from '../../../graphs/turn/routers.js';

describe('routing after intake', () => {
  it('goes straight to the handoff when a person was asked for', () => {
    expect(routeAfterIntake({ decision: { kind: 'handoff', reason: 'human_requested', confidence: 1 } })).toBe(HANDOFF);
  });

  it('ends the turn when intake already wrote the reply (a message that is not text)', () => {
    expect(routeAfterIntake({ decision: { kind: 'clarify', confidence: 1 } })).toBe(END);
  });

  it('looks for an action the message asks for, then searches', () => {
    expect(routeAfterIntake({ decision: undefined })).toBe(ACTION);
  });
});

describe('routing after the decision', () => {
  it('sends answers to the responder', () => {
    expect(routeAfterDecide({ decision: { kind: 'answer', passages: [], confidence: 0.9 } })).toBe(ANSWER);
  });

  it('sends a second miss to the handoff', () => {
    expect(routeAfterDecide({ decision: { kind: 'handoff', reason: 'second_miss', confidence: 0.8 } })).toBe(HANDOFF);
  });

  it('ends the turn after a clarifying question or a request to rephrase', () => {
    expect(routeAfterDecide({ decision: { kind: 'clarify', confidence: 0.3 } })).toBe(END);
    expect(routeAfterDecide({ decision: { kind: 'rephrase', confidence: 1 } })).toBe(END);
    expect(routeAfterDecide({ decision: undefined })).toBe(END);
  });
});

describe('routing after the action node', () => {
  it('ends the turn when the action node replied (an input question, the run, a handoff); otherwise searches', () => {
    expect(routeAfterAction({ reply: { text: 'What is your order number?', kind: 'clarify', sources: [], language: 'en', confidence: 1 } })).toBe(END);
    expect(routeAfterAction({ reply: undefined })).toBe(RETRIEVE);
  });
});
