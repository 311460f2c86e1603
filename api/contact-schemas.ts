/** Request and response schemas of the contacts routes. */
import { z } from '@hono/zod-openapi';
import { ChangeSource, ContactProperties, PropertyChanges, PropertyValue } from '../domain/contact.js';
import { ConversationStatus } from '../domain/conversation.js';
import { PageQuery } from './schemas.js';

export const ContactIdParam = z.object({ contactId: z.string().min(1).max(128) });

export const ListContactsQuery = PageQuery.extend({
  /** Exactly this email, in any case. */
  email: z.email({ error: 'an email address' }).max(320).optional(),
}).strict();

/** Merged into the contact's properties: a property set to null is removed, the others are kept. */
export const UpdateContact = z.object({ properties: PropertyChanges }).strict();

export const Contact = z.object({
  id: z.string(),
  /** Lower-cased; one contact per email in the workspace. */
  email: z.string().optional(),
  name: z.string().optional(),
  /** Who the customer is on a channel: a WhatsApp number, a Messenger PSID, a widget's or adapter's customer id. */
  identities: z.array(z.object({ channel: z.string(), externalId: z.string() })),
  properties: ContactProperties,
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Contact');
export const ContactList = z.object({ contacts: z.array(Contact), nextCursor: z.string().optional() });

export const ContactChange = z.object({
  property: z.string(),
  /** null: it was not set. */
  oldValue: PropertyValue.nullable(),
  /** null: it was removed. */
  newValue: PropertyValue.nullable(),
  /** api: a person or key through the API (`by`); agent: an agent in a conversation (`agentId`, `conversationId`, `messageId`). */
  source: ChangeSource,
  agentId: z.string().optional(),
  conversationId: z.string().optional(),
  /** The customer message the agent took the value from. */
  messageId: z.string().optional(),
  by: z.object({ id: z.string(), name: z.string() }).optional(),
  changedAt: z.string(),
}).openapi('ContactChange');
export const ContactChangeList = z.object({ changes: z.array(ContactChange), nextCursor: z.string().optional() });

export const ContactConversation = z.object({
  /** The conversation: GET /v1/agents/{agentId}/conversations/{id}. */
  id: z.string(),
  agentId: z.string(),
  channel: z.string(),
  status: ConversationStatus,
  updatedAt: z.string(),
}).openapi('ContactConversation');
export const ContactConversationList = z.object({ conversations: z.array(ContactConversation), nextCursor: z.string().optional() });

export const ContactPageQuery = PageQuery.strict();
