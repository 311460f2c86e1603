/**
 * The turn graph: intake → (handoff | end | action → (end | retrieve → decide → (answer | handoff | end))).
 * The action node comes before retrieval: only the customer's own message picks an action, and a reply
 * that gives an action's input needs no search.
 * Compiled without a checkpointer: state in, state out; Temporal history is the checkpoint. Nodes cause
 * no side effects: the handoff is an intent the workflow carries out as its own activity.
 */
import { END, START, StateGraph } from '@langchain/langgraph';
import type { z } from 'zod';
import type { Retriever } from '../../knowledge/types.js';
import type { Insights } from '../../workflows/conversation.contract.js';
import { TurnState, type TurnStateType, type TurnUpdate } from './annotation.js';
import type { Clock } from './clock.js';
import { ACTION, ANSWER, DECIDE, HANDOFF, INTAKE, RETRIEVE, Trigger } from './names.js';
import { createActionNode } from './nodes/action.js';
import { createAnswerNode } from './nodes/answer.js';
import { createDecideNode } from './nodes/decide.js';
import { handoffNode } from './nodes/handoff.js';
import { intakeNode } from './nodes/intake.js';
import { createRetrieveNode } from './nodes/retrieve.js';
import { createOfflinePicker } from './pickers/offline.js';
import type { ActionPicker } from './pickers/types.js';
import { DEFAULT_THRESHOLDS, relevanceOf, type Thresholds } from './relevance.js';
import type { Responder } from './responders/types.js';
import { routeAfterAction, routeAfterDecide, routeAfterIntake } from './routers.js';
import { TurnInput, TurnResult } from './state.js';

export interface TurnGraphDeps {
  retriever: Retriever;
  responder: Responder;
  /** Picks the action the customer's message asks for; offline (trigger phrases and descriptions) when not given. */
  picker?: ActionPicker;
  clock: Clock;
  /** Calibrated for the offline embedder; other embedders may need a different similarity scale. */
  thresholds?: Partial<Thresholds>;
  /** Candidates asked from the retriever. */
  retrieveLimit?: number;
}

const DEFAULT_RETRIEVE_LIMIT = 8;
const MAX_INSIGHT_CANDIDATES = 5;

export function createTurnGraph({ retriever, responder, picker = createOfflinePicker(), clock, thresholds, retrieveLimit = DEFAULT_RETRIEVE_LIMIT }: TurnGraphDeps) {
  const t: Thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const graph = new StateGraph(TurnState)
    .addNode(INTAKE, intakeNode)
    .addNode(RETRIEVE, createRetrieveNode({ retriever, clock, limit: retrieveLimit }))
    .addNode(DECIDE, handOffAfterClarifications(createDecideNode(t)))
    .addNode(ANSWER, createAnswerNode({ responder, clock }))
    .addNode(ACTION, createActionNode({ picker }))
    .addNode(HANDOFF, handoffNode)
    .addEdge(START, INTAKE)
    .addConditionalEdges(INTAKE, routeAfterIntake, [HANDOFF, ACTION, END])
    .addConditionalEdges(ACTION, routeAfterAction, [RETRIEVE, END])
    .addEdge(RETRIEVE, DECIDE)
    .addConditionalEdges(DECIDE, routeAfterDecide, [ANSWER, HANDOFF, END])
    .addEdge(ANSWER, END)
    .addEdge(HANDOFF, END)
    .compile();
  return Object.assign(graph, { thresholds: t });
}

export type TurnGraph = ReturnType<typeof createTurnGraph>;

/**
 * The agent's `afterClarifications`: instead of asking its n-th clarifying question in a row, it hands the
 * conversation to a person. Wraps the decide node so the clarify logic itself stays as it is.
 */
export function handOffAfterClarifications(decide: (s: TurnStateType) => TurnUpdate) {
  return (state: TurnStateType): TurnUpdate => {
    const update = decide(state);
    const limit = state.input.handoff?.afterClarifications;
    if (update.decision?.kind !== 'clarify' || !limit || state.input.clarifyStreak + 1 < limit) return update;
    const { reply: _clarify, ...rest } = update;
    return {
      ...rest,
      decision: { kind: 'handoff', reason: 'after_clarifications', confidence: update.decision.confidence },
      // `triggers` concatenates across nodes; the update's own triggers stay, this one is added.
      triggers: [...((update.triggers as string[] | undefined) ?? []), Trigger.afterClarifications],
      reason: `after_clarifications: this would have been clarifying question ${state.input.clarifyStreak + 1} in a row (the agent hands off after ${limit}). ${update.reason ?? ''}`.trim(),
    };
  };
}

/** Runs one turn. Throws only on invalid input or a failing retriever/responder (the activity retries); the model picker falls back instead of throwing. */
export async function runTurn(graph: TurnGraph, input: z.input<typeof TurnInput>): Promise<TurnResult> {
  const state: TurnStateType = await graph.invoke({ input: TurnInput.parse(input) });
  if (!state.reply) throw new Error(`turn graph ended without a reply (path ${state.path.join(' → ')})`);
  const shown = state.passages.slice(0, MAX_INSIGHT_CANDIDATES);
  const scores = { ...state.scores };
  shown.forEach((p, i) => {
    scores[`relevance${i + 1}`] = relevanceOf(p, graph.thresholds);
  });
  const insights: Insights = {
    path: state.path,
    reason: state.reason ?? '',
    triggers: state.triggers,
    scores,
    candidates: shown.map((p) => ({
      sourceId: p.sourceId,
      title: p.title,
      ...(p.heading ? { heading: p.heading } : {}),
      score: p.score,
      similarity: p.similarity,
      coverage: p.coverage,
    })),
    responder: state.responder ?? 'fixed_message',
  };
  return TurnResult.parse({ reply: state.reply, insights, missStreak: state.missStreak, intent: state.intent });
}
