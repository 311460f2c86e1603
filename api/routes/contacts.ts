/**
 * Contacts of the workspace: the customers its agents talk to, their properties and every change of one.
 * The team reads and changes them (admin and user keys); a change made here is kept with who made it and
 * announced as `contact.updated`, like an agent's.
 */
import { z } from 'zod';
import { createEventEmitter } from '../../activities/events.js';
import {
  changeProperties, getContact, listContactChanges, listContactConversations, listContacts, type Contact as StoredContact,
} from '../../db/contacts.js';
import { newId } from '../../db/ids.js';
import { actorOf } from '../../domain/access.js';
import { contactUpdatedData, presentChange } from '../../domain/contact.js';
import { audit } from '../audit.js';
import {
  Contact, ContactChangeList, ContactConversationList, ContactIdParam, ContactList, ContactPageQuery, ListContactsQuery, UpdateContact,
} from '../contact-schemas.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, jsonRequest, openApiRouter, v1Route } from '../openapi.js';
import { jsonBody, params, query } from '../validate.js';

export function presentContact(c: StoredContact) {
  return Contact.parse({
    id: c.id,
    ...(c.email ? { email: c.email } : {}),
    ...(c.name ? { name: c.name } : {}),
    identities: c.identities,
    properties: c.properties,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  });
}

const AfterCursor = z.object({ after: z.string().min(1).max(128) });
const SeqCursor = z.object({ before: z.number().int().min(1) });
const ConversationCursor = z.object({ agentId: z.string().min(1).max(128), id: z.string().min(1).max(128) });

const TEAM = allow('admin', 'user');

const list = v1Route({
  method: 'get', path: '/', operationId: 'listContacts', tags: ['contacts'],
  summary: "The workspace's contacts, newest first; ?email= the contact with that email (in any case); paged with cursor",
  middleware: [TEAM],
  request: { query: ListContactsQuery },
  responses: { 200: json(ContactList, 'A page of contacts; nextCursor when there are more'), ...errors(422) },
});
const read = v1Route({
  method: 'get', path: '/{contactId}', operationId: 'getContact', tags: ['contacts'],
  summary: 'Read a contact: email, name, channel identities and properties',
  middleware: [TEAM],
  request: { params: ContactIdParam },
  responses: { 200: json(Contact, 'The contact'), ...errors(422) },
});
const update = v1Route({
  method: 'patch', path: '/{contactId}', operationId: 'updateContact', tags: ['contacts'],
  summary: "Change a contact's properties: merged into them, a property set to null is removed; each change is kept with who made it and sent as contact.updated",
  middleware: [TEAM],
  request: { params: ContactIdParam, body: jsonRequest(UpdateContact) },
  responses: { 200: json(Contact, 'The changed contact'), ...errors(400, 413, 415, 422) },
});
const changes = v1Route({
  method: 'get', path: '/{contactId}/changes', operationId: 'listContactChanges', tags: ['contacts'],
  summary: "A contact's property changes, newest first: old and new value, and who made each (api, with the person or key) or where (agent, with the conversation and message)",
  middleware: [TEAM],
  request: { params: ContactIdParam, query: ContactPageQuery },
  responses: { 200: json(ContactChangeList, 'A page of changes; nextCursor when there are more'), ...errors(422) },
});
const conversations = v1Route({
  method: 'get', path: '/{contactId}/conversations', operationId: 'listContactConversations', tags: ['contacts'],
  summary: "A contact's conversations with every agent of the workspace, newest activity first",
  middleware: [TEAM],
  request: { params: ContactIdParam, query: ContactPageQuery },
  responses: { 200: json(ContactConversationList, 'A page of conversations; nextCursor when there are more'), ...errors(422) },
});

const notFound = (contactId: string) => new ApiError('contact_not_found', `contact ${contactId} does not exist`, 'contactId');

export function contactRoutes(deps: ApiDeps) {
  const { db } = deps;
  const events = createEventEmitter({ db, ...(deps.events ? { notifier: deps.events } : {}) });

  /** The contact of the caller's workspace; another workspace's does not exist for it. */
  async function contactOf(workspaceId: string, contactId: string): Promise<StoredContact> {
    const contact = await getContact(db, workspaceId, contactId);
    if (!contact) throw notFound(contactId);
    return contact;
  }

  return openApiRouter()
    .openapi(list, async (c) => {
      const q = query(c, ListContactsQuery);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, AfterCursor);
      const contacts = await listContacts(db, c.get('principal').workspaceId, {
        limit: limit + 1, ...(q.email ? { email: q.email } : {}), ...(after ? { after: after.after } : {}),
      });
      const page = contacts.slice(0, limit);
      const last = page.at(-1);
      return c.json(ContactList.parse({
        contacts: page.map(presentContact),
        ...(contacts.length > limit && last ? { nextCursor: encodeCursor({ after: last.id }) } : {}),
      }), 200);
    })
    .openapi(read, async (c) => {
      const { contactId } = params(c, ContactIdParam);
      return c.json(presentContact(await contactOf(c.get('principal').workspaceId, contactId)), 200);
    })
    .openapi(update, async (c) => {
      const { contactId } = params(c, ContactIdParam);
      const body = await jsonBody(c, UpdateContact);
      const p = c.get('principal');
      // Every request is its own cause: the same body sent twice changes nothing the second time anyway.
      const cause = `api:${newId('chg')}`;
      const result = await changeProperties(db, {
        workspaceId: p.workspaceId, contactId, cause, changes: body.properties, source: 'api', by: actorOf(p),
      });
      if (!result) throw notFound(contactId);
      if (result.changes.length > 0) {
        await audit(c, db, 'contact.updated', { type: 'contact', id: contactId }, { changed: result.changes.map((ch) => ch.property) });
        // The change is made: a webhook that cannot be told now is logged, not the request failed.
        await events.emit({ id: `contact.updated:${contactId}:${cause}`, workspaceId: p.workspaceId, type: 'contact.updated', data: contactUpdatedData(result.contact, result.changes) })
          .catch((err: unknown) => {
            console.error(JSON.stringify({ level: 'warn', msg: 'could not hand contact.updated to the webhooks', contactId, requestId: c.get('requestId'), error: String(err) }));
          });
      }
      return c.json(presentContact(result.contact), 200);
    })
    .openapi(changes, async (c) => {
      const { contactId } = params(c, ContactIdParam);
      const q = query(c, ContactPageQuery);
      const limit = q.limit ?? 50;
      const before = decodeCursor(q.cursor, SeqCursor);
      await contactOf(c.get('principal').workspaceId, contactId);
      const rows = await listContactChanges(db, contactId, { limit: limit + 1, ...(before ? { before: before.before } : {}) });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return c.json(ContactChangeList.parse({
        changes: page.map(({ seq: _seq, ...change }) => presentChange(change)),
        ...(rows.length > limit && last ? { nextCursor: encodeCursor({ before: last.seq }) } : {}),
      }), 200);
    })
    .openapi(conversations, async (c) => {
      const { contactId } = params(c, ContactIdParam);
      const q = query(c, ContactPageQuery);
      const limit = q.limit ?? 50;
      const before = decodeCursor(q.cursor, ConversationCursor);
      await contactOf(c.get('principal').workspaceId, contactId);
      const rows = await listContactConversations(db, contactId, { limit: limit + 1, ...(before ? { before } : {}) });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return c.json(ContactConversationList.parse({
        conversations: page.map((r) => ({ id: r.conversationId, agentId: r.agentId, channel: r.channel, status: r.status, updatedAt: r.updatedAt.toISOString() })),
        ...(rows.length > limit && last ? { nextCursor: encodeCursor({ agentId: last.agentId, id: last.conversationId }) } : {}),
      }), 200);
    });
}
