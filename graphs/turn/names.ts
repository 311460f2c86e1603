/**
 * Node names and trigger codes. Both appear in insights stored with every reply and in Temporal history:
 * treat them like column names and never rename them.
 */
export const INTAKE = 'intake';
export const RETRIEVE = 'retrieve';
export const DECIDE = 'decide';
export const ANSWER = 'answer';
export const ACTION = 'action';
export const HANDOFF = 'handoff';

export type NodeName = typeof INTAKE | typeof RETRIEVE | typeof DECIDE | typeof ANSWER | typeof ACTION | typeof HANDOFF;

export const Trigger = {
  humanRequested: 'human_requested',
  firstMiss: 'first_miss',
  secondMiss: 'second_miss',
  confident: 'confident_match',
  ambiguous: 'ambiguous_top_candidates',
  weakMatch: 'weak_match',
  vague: 'vague_question',
  llmFallback: 'llm_fallback',
  noValidCitation: 'no_valid_citation',
  /** A curated short answer means the same as the question and was given verbatim. */
  shortAnswer: 'short_answer',
  /** One of the agent's own handoff trigger phrases is in the message. */
  customTrigger: 'custom_trigger',
  /** The agent would have asked its n-th clarifying question in a row (handoff.afterClarifications). */
  afterClarifications: 'after_clarifications',
  /** The best passage does not state what the question asks for: "I could not find that", and a person offered. */
  notStated: 'answer_not_stated',
  /** The customer named one of the topics a clarifying question offered; the original question is answered from it. */
  topicPicked: 'topic_picked',
  /** The customer sent something other than text (a photo, a voice note) through a channel that passes only text. */
  unsupportedMessage: 'unsupported_message',
  /** The customer's message asked for one of the agent's actions (`action:<name>`). */
  action: 'action',
  /** The agent asked for an action's input (`action_input:<name>`). */
  actionInput: 'action_input',
  /** The value given for an action's input was not valid. */
  actionInputInvalid: 'action_input_invalid',
  /** The action needs a verified customer and this one is not. */
  identityRequired: 'identity_required',
  /** The customer asked about one of their contact properties (`crm_read:<property>`). */
  crmRead: 'crm_read',
  /** The customer gave a new value for a writable property; asked to confirm it (`crm_write:<property>`). */
  crmWrite: 'crm_write',
  crmUpdated: 'crm_updated',
  crmDeclined: 'crm_declined',
  /** A lead criterion was asked (`lead_question:<property>`). */
  leadQuestion: 'lead_question',
  /** Every lead criterion answered: the lead goes to sales. */
  leadQualified: 'lead_qualified',
  /** The model could not pick the action (`action_picker_fallback:<reason>`): the offline matcher did. */
  actionPickerFallback: 'action_picker_fallback',
} as const;
export type Trigger = (typeof Trigger)[keyof typeof Trigger];

/** Handoff reasons carried in the intent; the workflow and operators branch on these codes. */
export type HandoffReason = 'human_requested' | 'second_miss' | 'custom_trigger' | 'after_clarifications' | 'identity_required' | 'action_inputs' | 'lead_qualified';
