/**
 * Contacts: the workspace's own small CRM. One contact per customer email or channel identity (a WhatsApp
 * number, a Messenger PSID, a widget's or adapter's customer id), linked to their conversations, with
 * properties that people (through the API) and agents (granted by the agent's `crm` settings) change.
 * Every change is kept with who or what made it.
 */
import { z } from 'zod';
import type { Channel } from './channel.js';

/** Safe as a JSON key, a webhook field and a template placeholder: letters, digits, `_` and `-`. */
export const PropertyName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a property name: 1 to 64 letters, digits, _ or -');

export const PropertyValue = z.union([
  z.string().max(2000),
  z.number().finite(),
  z.boolean(),
], { error: 'a property value: a string (at most 2000 characters), a number or a boolean' });
export type PropertyValue = z.infer<typeof PropertyValue>;

const badKey = (iss: { code?: string }) => (iss.code === 'invalid_key' ? 'a property name: 1 to 64 letters, digits, _ or -' : undefined);

/** A contact's properties as stored. */
export const ContactProperties = z.record(PropertyName, PropertyValue, { error: badKey });
export type ContactProperties = z.infer<typeof ContactProperties>;

/** Properties to set; `null` removes one. At most 100 in one change. */
export const PropertyChanges = z.record(PropertyName, PropertyValue.nullable(), { error: badKey })
  .refine((c) => Object.keys(c).length > 0, 'give at least one property')
  .refine((c) => Object.keys(c).length <= 100, 'at most 100 properties at once');
export type PropertyChanges = z.infer<typeof PropertyChanges>;

/** Who changed a property: a person or key through the API, or an agent in a conversation. */
export const ChangeSource = z.enum(['api', 'agent']);
export type ChangeSource = z.infer<typeof ChangeSource>;

/** One property's change; `oldValue` null: it was not set, `newValue` null: it was removed. */
export interface ContactChange {
  property: string;
  oldValue: PropertyValue | null;
  newValue: PropertyValue | null;
  source: ChangeSource;
  /** Changes an agent made: the agent, conversation and customer message they came from. */
  agentId?: string;
  conversationId?: string;
  messageId?: string;
  /** Changes made through the API: the person (user keys) or the key. */
  by?: { id: string; name: string };
  changedAt: Date;
}

/** A change as JSON: the API's answer and the `contact.updated` event carry it so. */
export function presentChange(c: ContactChange) {
  return { ...c, changedAt: c.changedAt.toISOString() };
}

/** `contact.updated` as webhooks get it: the contact, and what changed, by whom or in which conversation. */
export function contactUpdatedData(contact: { id: string; email?: string }, changes: readonly ContactChange[]): Record<string, unknown> {
  return { contactId: contact.id, ...(contact.email ? { email: contact.email } : {}), changes: changes.map(presentChange) };
}

/** The changes that `changes` makes to `properties`: only properties whose value really changes. */
export function diffProperties(properties: ContactProperties, changes: PropertyChanges): { property: string; oldValue: PropertyValue | null; newValue: PropertyValue | null }[] {
  const out: { property: string; oldValue: PropertyValue | null; newValue: PropertyValue | null }[] = [];
  for (const [property, newValue] of Object.entries(changes)) {
    const oldValue = Object.hasOwn(properties, property) ? properties[property]! : null;
    if (oldValue !== newValue) out.push({ property, oldValue, newValue });
  }
  return out;
}

/** `properties` after the diff's changes (a null new value removes the property). */
export function applyChanges(properties: ContactProperties, diff: readonly { property: string; newValue: PropertyValue | null }[]): ContactProperties {
  const next: ContactProperties = { ...properties };
  for (const d of diff) {
    if (d.newValue === null) delete next[d.property];
    else next[d.property] = d.newValue;
  }
  return next;
}

/**
 * What an agent may do with contacts' properties: `readable` ones it is shown (and may tell a customer who
 * is identified as the contact), `writable` ones it may set from what the customer says. Nothing by default.
 */
export const CrmSettings = z.object({
  readable: z.array(PropertyName).max(100).default([]),
  writable: z.array(PropertyName).max(100).default([]),
}).strict().refine((s) => new Set(s.readable).size === s.readable.length && new Set(s.writable).size === s.writable.length, 'name each property once per list');
export type CrmSettings = z.infer<typeof CrmSettings>;

export const DEFAULT_CRM: CrmSettings = { readable: [], writable: [] };

/**
 * A customer as a channel knows them, in a form that names one contact: `channel` is the channel's own
 * (a WhatsApp wa_id, a Messenger PSID, the id a widget or custom adapter gave). Email has none: the email
 * address is the contact's key there.
 */
export interface ChannelIdentity {
  channel: Channel;
  externalId: string;
}

const META_ID = /^\d{5,32}$/;

/** The channel identity of a conversation's customer, from its address (WhatsApp, Messenger) or customer id. */
export function channelIdentity(channel: Channel, customer: { id?: string } | undefined, address: Record<string, unknown> | undefined): ChannelIdentity | undefined {
  const from = (value: unknown) => (typeof value === 'string' && META_ID.test(value) ? { channel, externalId: value } : undefined);
  switch (channel) {
    case 'whatsapp': return from(address?.waId);
    case 'messenger': return from(address?.psid);
    case 'chat':
    case 'test':
    case 'custom': return customer?.id ? { channel, externalId: customer.id } : undefined;
    case 'email':
    case 'voice': return undefined;
  }
}

/**
 * Channels whose identities we (or an authenticated adapter) checked: Meta signs who wrote on WhatsApp and
 * Messenger, and a custom channel's adapter calls with its key. A chat widget's customer id is whatever
 * the page says, so it finds the contact but never proves who is writing.
 */
export function isVouched(channel: Channel): boolean {
  return channel === 'whatsapp' || channel === 'messenger' || channel === 'custom';
}

/** Only the named properties of `properties`. */
export function pickProperties(properties: ContactProperties, names: Iterable<string>): ContactProperties {
  const out: ContactProperties = {};
  for (const name of names) if (Object.hasOwn(properties, name)) out[name] = properties[name]!;
  return out;
}
