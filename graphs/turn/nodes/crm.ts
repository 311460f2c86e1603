/**
 * The customer's contact, within the action step: answering from readable properties (only for the
 * customer proven to be the contact), changing writable ones after the customer confirms the value, and
 * lead qualification (buying intent → the criteria questions one at a time, each answer kept on the
 * contact, then the lead goes to sales). Only the customer's own message and the workflow's state are
 * read; undefined when none of this applies, and the turn goes on to actions and the knowledge.
 */
import { pick } from '../../../domain/handoff.js';
import { askedProperty, propertyWords, showsBuyingIntent, statedProperty, yesOrNo } from '../crm.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { movesOn } from '../action-match.js';
import { messagesFor } from '../messages.js';
import { ACTION, Trigger } from '../names.js';

/** Longest lead answer kept: a sentence or two. */
const MAX_LEAD_ANSWER = 500;

export function crmStep({ input, language }: Pick<TurnStateType, 'input' | 'language'>): TurnUpdate | undefined {
  const text = input.message.text.trim();
  const m = messagesFor(language);
  const contact = input.contact;
  const reply = (t: string, kind: 'answer' | 'clarify' | 'handoff' = 'answer') => ({ text: t, kind, sources: [], language, confidence: 1 });
  const base = { path: [ACTION], responder: 'fixed_message' };

  // A change the customer was asked to confirm.
  if (input.pendingCrm) {
    const { property, value } = input.pendingCrm;
    const answer = yesOrNo(text);
    const name = propertyWords(property);
    if (answer === 'yes' && contact) {
      return {
        ...base, reply: reply(m.updated({ property: name, value: m.quote(value) })),
        intent: { crm: { contactId: contact.contactId, changes: { [property]: value } }, pendingCrm: null },
        triggers: [`${Trigger.crmUpdated}:${property}`], reason: `crm_update: the customer confirmed the new ${property}.`,
      };
    }
    if (answer === 'no') {
      return { ...base, reply: reply(m.notUpdated({ property: name })), intent: { pendingCrm: null }, triggers: [`${Trigger.crmDeclined}:${property}`], reason: `crm_declined: the customer did not confirm the new ${property}.` };
    }
    // Anything else: the change is forgotten, and the message read afresh below.
  }
  const forget = input.pendingCrm ? { pendingCrm: null } : {};

  // Lead qualification in progress: the message answers the criterion asked.
  const lead = input.lead;
  const progress = input.leadProgress;
  if (lead && progress && contact && !movesOn(text)) {
    const answers = { ...progress.answers, [progress.asking]: text.slice(0, MAX_LEAD_ANSWER) };
    return nextLeadQuestion(lead, { ...contact.properties, ...answers }, answers, { [progress.asking]: text.slice(0, MAX_LEAD_ANSWER) }, contact.contactId, { language, forget, intro: false });
  }
  const stopLead = progress ? { leadProgress: null } : {};

  // A question about one of the customer's own readable properties.
  const asked = askedProperty(text, input.crm.read);
  if (asked) {
    const name = propertyWords(asked);
    if (!contact?.identified) {
      return { ...base, reply: reply(m.verifyToShare()), intent: { ...forget, ...stopLead }, triggers: [`${Trigger.crmRead}:${asked}`, Trigger.identityRequired], reason: `identity_required: the customer asked about their ${asked}, which is shown only to the verified owner.` };
    }
    const value = contact.properties[asked];
    return {
      ...base,
      reply: reply(value === undefined || value === '' ? m.propertyUnknown({ property: name }) : m.propertyIs({ property: name, value: String(value) })),
      intent: { ...forget, ...stopLead }, triggers: [`${Trigger.crmRead}:${asked}`], reason: `crm_read: the customer asked about their ${asked}.`,
    };
  }

  // A new value for one of the writable properties: confirmed before it is written.
  const stated = statedProperty(text, input.crm.write);
  if (stated) {
    const name = propertyWords(stated.property);
    if (!contact?.identified) {
      return { ...base, reply: reply(m.verifyToShare()), intent: { ...forget, ...stopLead }, triggers: [`${Trigger.crmWrite}:${stated.property}`, Trigger.identityRequired], reason: `identity_required: the customer gave a new ${stated.property}; only the verified owner's contact is changed.` };
    }
    return {
      ...base, reply: reply(m.confirmUpdate({ property: name, value: m.quote(stated.value) }), 'clarify'),
      intent: { pendingCrm: stated, ...stopLead }, triggers: [`${Trigger.crmWrite}:${stated.property}`], reason: `crm_confirm: the customer gave a new ${stated.property}; asked to confirm it first.`,
    };
  }

  // Buying intent: the criteria questions, skipping what the contact already has.
  if (lead && contact && showsBuyingIntent(text)) {
    return nextLeadQuestion(lead, contact.properties, {}, {}, contact.contactId, { language, forget, intro: true });
  }
  if (Object.keys(forget).length > 0 || Object.keys(stopLead).length > 0) return { intent: { ...forget, ...stopLead } };
  return undefined;
}

function nextLeadQuestion(
  lead: NonNullable<TurnStateType['input']['lead']>, known: Record<string, unknown>, answers: Record<string, string>,
  answered: Record<string, string>, contactId: string,
  { language, forget, intro }: { language: TurnStateType['language']; forget: object; intro: boolean },
): TurnUpdate {
  const m = messagesFor(language);
  const write = Object.keys(answered).length > 0 ? { crm: { contactId, changes: answered } } : {};
  const open = lead.criteria.filter((c) => known[c.property] === undefined || known[c.property] === '');
  const next = open[0];
  if (next) {
    const question = pick(next.question, language) ?? (typeof next.question === 'string' ? next.question : Object.values(next.question)[0]!);
    return {
      path: [ACTION], responder: 'fixed_message',
      reply: { text: intro ? `${m.leadIntro()} ${question}` : question, kind: 'clarify', sources: [], language, confidence: 1 },
      intent: { ...forget, ...write, leadProgress: { asking: next.property, answers } },
      triggers: [`${Trigger.leadQuestion}:${next.property}`],
      reason: `lead_question: ${intro ? 'the customer shows buying intent; ' : ''}asked for ${next.property} (${open.length} of ${lead.criteria.length} criteria open).`,
    };
  }
  const qualified = Object.fromEntries(lead.criteria.map((c) => [c.property, String(known[c.property])]));
  return {
    path: [ACTION], responder: 'fixed_message',
    decision: { kind: 'handoff', reason: 'lead_qualified', confidence: 1 },
    reply: { text: m.leadHandoff(), kind: 'handoff', sources: [], language, confidence: 1 },
    intent: { ...forget, ...write, leadProgress: null, leadQualified: { contactId, answers: qualified },
      handoff: { reason: 'lead_qualified', assignTo: lead.assignTo, summary: `Qualified lead. ${lead.criteria.map((c) => `${c.property}: ${qualified[c.property]}`).join('; ')}` },
    },
    triggers: [Trigger.leadQualified],
    reason: `lead_qualified: every criterion is answered (${lead.criteria.map((c) => `${c.property}: ${String(known[c.property])}`).join('; ')}); the lead goes to sales.`,
    missStreak: 0,
  };
}
