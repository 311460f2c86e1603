/**
 * A customer's message in one local activity: recorded, thought about and, when the reply needs nothing
 * more from the workflow (workflows/plain-reply.ts), its reply recorded too. Each local activity costs the
 * workflow a round trip through the SDK (about 5 ms measured on 2 cores); the step-by-step path took three
 * for a plain answer. Every step is the same idempotent function the workflow otherwise calls one at a
 * time, so when this fails the workflow takes those steps itself and they find what was already done.
 */
import { answersAt } from '../domain/availability.js';
import type { Availability } from '../domain/deployment.js';
import type { Insights, Reply } from '../workflows/conversation.contract.js';
import { repliesAsThought } from '../workflows/plain-reply.js';
import type { ConversationActivities } from './conversation.js';
import { isSilent, type AgentTurnInput, type AgentTurnResult, type TurnActivities } from './turn.js';

export interface MessageInput {
  /** What recordInbound records (it also reads where the agent answers). */
  inbound: Parameters<ConversationActivities['recordInbound']>[0];
  /** The turn, run only when the message is new and the agent answers on its channel now. */
  turn: AgentTurnInput;
}

export interface HandledMessage {
  recorded: { previousReply?: Reply; previousText?: string; availability?: Availability };
  /** Absent: the workflow decides (answered before, not deployed, outside the hours, availability unread). */
  thought?: AgentTurnResult;
  /** The thought's reply is recorded (with its message.created), as recordReply would. */
  replied?: boolean;
}

interface Steps {
  recordInbound: ConversationActivities['recordInbound'];
  agentTurn: TurnActivities['agentTurn'];
  recordReply: (input: { agentId: string; conversationId: string; messageId: string; reply: Reply; insights: Insights; messageEvent?: boolean }) => Promise<void>;
}

export function createMessageActivities({ recordInbound, agentTurn, recordReply }: Steps) {
  return {
    async handleMessage({ inbound, turn }: MessageInput): Promise<HandledMessage> {
      const recorded = await recordInbound({ ...inbound, withAvailability: true });
      const where = recorded.availability;
      if (recorded.previousReply || !where?.deployed || !answersAt(where, new Date()).now) return { recorded };
      const thought = await agentTurn(turn);
      if (isSilent(thought) || !repliesAsThought(thought.intent)) return { recorded, thought };
      await recordReply({
        agentId: inbound.agentId, conversationId: inbound.conversationId, messageId: inbound.messageId,
        reply: thought.reply, insights: thought.insights, messageEvent: true,
      });
      return { recorded, thought, replied: true };
    },
  };
}

export type MessageActivities = ReturnType<typeof createMessageActivities>;
