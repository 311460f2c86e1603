/**
 * Contacts from a conversation: finding (or making) the contact a customer is, and the properties an agent
 * keeps from what the customer said. Both are idempotent: contactFor on its keys (email, channel identity,
 * conversation), updateContactProperties on its cause (the conversation, the message and the changes), so
 * a retry writes nothing new and emits no second `contact.updated`.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { changeProperties, resolveContact } from '../db/contacts.js';
import { getAgent, type Agent } from '../db/agents.js';
import type { Db } from '../db/types.js';
import { crmAccess } from '../domain/agent.js';
import { Channel } from '../domain/channel.js';
import {
  PropertyChanges, channelIdentity, contactUpdatedData, isVouched, pickProperties, type ContactProperties,
} from '../domain/contact.js';
import type { EventNotifier } from '../domain/events.js';
import { isVerifiedFor, normalizeEmail } from '../domain/identity.js';
import { findUnsafeText, formatTextPath } from '../domain/text.js';
import { createEventEmitter } from './events.js';

export const ContactForInput = z.object({
  agentId: z.string().min(1),
  conversationId: z.string().min(1),
  customer: z.object({
    id: z.string().min(1).max(256).optional(),
    email: z.email().max(320).optional(),
    name: z.string().min(1).max(256).optional(),
    /** Whether the customer proved they own `email` (the conversation's Customer.verified). */
    verified: z.boolean().optional(),
  }).optional(),
  channel: Channel,
  /** The conversation's address on the channel: a WhatsApp wa_id, a Messenger PSID. */
  address: z.record(z.string(), z.unknown()).optional(),
});
export type ContactForInput = z.input<typeof ContactForInput>;

export interface ContactForResult {
  contactId: string;
  /**
   * The contact's properties the agent may read (crm.readable and lead criteria), and only when the
   * customer is identified as the contact; otherwise empty.
   */
  properties: ContactProperties;
  /**
   * The customer is proven to be this contact: they verified its email, or it has none and a channel that
   * checks who writes (WhatsApp, Messenger, a custom adapter) found it, or it is the conversation's own.
   * A contact found by an email the customer merely typed is linked, written to, and never shown.
   */
  identified: boolean;
}

export const UpdateContactPropertiesInput = z.object({
  agentId: z.string().min(1),
  conversationId: z.string().min(1),
  /** The customer message the values come from; with the conversation, what makes a retry a retry. */
  messageId: z.string().min(1),
  contactId: z.string().min(1),
  changes: PropertyChanges,
  source: z.literal('agent'),
});
export type UpdateContactPropertiesInput = z.input<typeof UpdateContactPropertiesInput>;

export interface UpdateContactPropertiesResult {
  /** The properties this message changed (on a retry: those the first attempt changed). */
  changed: string[];
  /** Properties the agent may not write (not in crm.writable nor a lead criterion): left as they were. */
  refused: string[];
}

export interface ContactDeps {
  db: Db;
  notifier?: EventNotifier;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, activity: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ApplicationFailure.nonRetryable(`${activity}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, 'InvalidInput');
  }
  // Text PostgreSQL cannot store fails every retry: refused at once instead.
  const unsafe = findUnsafeText(parsed.data);
  if (unsafe) throw ApplicationFailure.nonRetryable(`${activity}: ${formatTextPath(unsafe) || 'input'}: a NUL or an unpaired surrogate cannot be stored`, 'InvalidInput');
  return parsed.data;
}

/** The same changes always give the same text, whatever order their keys came in. */
function fingerprint(changes: PropertyChanges): string {
  const sorted = Object.keys(changes).sort().map((k) => [k, changes[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/**
 * contactFor for a caller that has read the agent already (the turn): the same contact, one agent read
 * fewer. `raw` is checked as contactFor checks it; the agent must be raw.agentId's.
 */
export async function contactForAgent(db: Db, agent: Agent, raw: ContactForInput): Promise<ContactForResult> {
  const input = parse(ContactForInput, raw, 'contactFor');
  if (input.agentId !== agent.id) throw new Error(`contactForAgent: agent ${agent.id} is not ${input.agentId}`);
  return contactOf(db, agent, input);
}

async function contactOf(db: Db, agent: Agent, input: z.infer<typeof ContactForInput>): Promise<ContactForResult> {
  const identity = channelIdentity(input.channel, input.customer, input.address);
  const email = input.customer?.email && normalizeEmail(input.customer.email);
  const { contact, via } = await resolveContact(db, {
    workspaceId: agent.workspaceId,
    agentId: input.agentId,
    conversationId: input.conversationId,
    ...(email ? { email } : {}),
    emailVerified: isVerifiedFor(input.customer, email),
    ...(input.customer?.name ? { name: input.customer.name } : {}),
    ...(identity ? { identity } : {}),
  });
  const identified = contact.email
    ? isVerifiedFor(input.customer, contact.email)
    : via === 'new' || contact.identities.length === 0 || (via === 'identity' && isVouched(input.channel));
  return {
    contactId: contact.id,
    properties: identified ? pickProperties(contact.properties, crmAccess(agent.settings).read) : {},
    identified,
  };
}

export function createContactActivities({ db, notifier }: ContactDeps) {
  const events = createEventEmitter({ db, ...(notifier ? { notifier } : {}) });

  async function agentOf(agentId: string): Promise<Agent> {
    const agent = await getAgent(db, agentId);
    if (!agent) throw ApplicationFailure.nonRetryable(`agent ${agentId} does not exist`, 'AgentNotFound');
    return agent;
  }

  return {
    /**
     * The contact the conversation's customer is (by email, case-insensitively; else by channel identity;
     * else the conversation's own), made when there is none, with the conversation linked to it.
     */
    async contactFor(raw: ContactForInput): Promise<ContactForResult> {
      const input = parse(ContactForInput, raw, 'contactFor');
      return contactOf(db, await agentOf(input.agentId), input);
    },

    /**
     * Writes the properties the agent may write (crm.writable, lead criteria) that really change, each
     * change kept with the conversation and message, and emits `contact.updated` once for them. A retry
     * with the same message and changes finds its own rows: it writes nothing new and emits the same event.
     */
    async updateContactProperties(raw: UpdateContactPropertiesInput): Promise<UpdateContactPropertiesResult> {
      const input = parse(UpdateContactPropertiesInput, raw, 'updateContactProperties');
      const agent = await agentOf(input.agentId);
      const writable = new Set(crmAccess(agent.settings).write);
      const refused = Object.keys(input.changes).filter((p) => !writable.has(p));
      const allowed = Object.fromEntries(Object.entries(input.changes).filter(([p]) => writable.has(p)));
      if (Object.keys(allowed).length === 0) return { changed: [], refused };

      const cause = `agent:${input.agentId}:${input.conversationId}:${input.messageId}:${fingerprint(allowed)}`;
      const result = await changeProperties(db, {
        workspaceId: agent.workspaceId, contactId: input.contactId, cause, changes: allowed, source: 'agent',
        agentId: input.agentId, conversationId: input.conversationId, messageId: input.messageId,
      });
      if (!result) throw ApplicationFailure.nonRetryable(`contact ${input.contactId} does not exist in the agent's workspace`, 'ContactNotFound');
      if (result.changes.length > 0) {
        await events.emit({
          id: `contact.updated:${input.contactId}:${cause}`, workspaceId: agent.workspaceId, type: 'contact.updated',
          data: { ...contactUpdatedData(result.contact, result.changes), agentId: input.agentId, conversationId: input.conversationId, messageId: input.messageId },
        });
      }
      return { changed: result.changes.map((c) => c.property), refused };
    },

    /** Every lead criterion answered: `lead.qualified` with the answers, once per conversation and message. */
    async leadQualified(input: { agentId: string; conversationId: string; messageId: string; contactId: string; answers: Record<string, string> }): Promise<void> {
      const agent = await agentOf(input.agentId);
      await events.emit({
        id: `${input.conversationId}:${input.messageId}:lead.qualified`, workspaceId: agent.workspaceId, type: 'lead.qualified',
        data: { agentId: input.agentId, conversationId: input.conversationId, contactId: input.contactId, answers: input.answers },
      });
    },
  };
}

export type ContactActivities = ReturnType<typeof createContactActivities>;
