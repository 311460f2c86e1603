/**
 * Contacts of a workspace (migration 012): who they are (an email, channel identities), their properties,
 * every change of a property, and their conversations. Every read and write is scoped by workspace: another
 * workspace's contact does not exist for the caller. Writes that a retried activity repeats are idempotent
 * on their cause.
 */
import type { Channel } from '../domain/channel.js';
import {
  ContactProperties, applyChanges, diffProperties, type ChangeSource, type ChannelIdentity, type ContactChange, type PropertyChanges, type PropertyValue,
} from '../domain/contact.js';
import type { ConversationStatus } from '../domain/conversation.js';
import { newId } from './ids.js';
import type { Db, Queryable } from './types.js';
import { preparedStatement } from './prepared.js';

export interface Contact {
  id: string;
  workspaceId: string;
  /** Lower-cased; unique in the workspace. */
  email?: string;
  name?: string;
  identities: ChannelIdentity[];
  properties: ContactProperties;
  createdAt: Date;
  updatedAt: Date;
}

interface ContactRow extends Record<string, unknown> {
  id: string;
  workspace_id: string;
  email: string | null;
  name: string | null;
  properties: unknown;
  created_at: Date;
  updated_at: Date;
  identities: { channel: Channel; externalId: string }[] | null;
}

const COLUMNS = `c.id, c.workspace_id, c.email, c.name, c.properties, c.created_at, c.updated_at,
  (SELECT json_agg(json_build_object('channel', i.channel, 'externalId', i.external_id) ORDER BY i.created_at, i.channel, i.external_id)
     FROM contact_identities i WHERE i.contact_id = c.id) AS identities`;

export async function getContact(db: Queryable, workspaceId: string, id: string): Promise<Contact | undefined> {
  const { rows } = await db.query<ContactRow>(`SELECT ${COLUMNS} FROM contacts c WHERE c.id = $1 AND c.workspace_id = $2`, [id, workspaceId]);
  return rows[0] && toContact(rows[0]);
}

export interface ListContactsOptions {
  /** Compared lower-cased: the stored form. */
  email?: string;
  limit: number;
  /** The id of the last contact of the previous page. */
  after?: string;
}

/** Newest first, keyset-paginated on (created_at, id): stable while contacts are added. */
export async function listContacts(db: Queryable, workspaceId: string, o: ListContactsOptions): Promise<Contact[]> {
  const where = ['c.workspace_id = $1'];
  const params: unknown[] = [workspaceId];
  if (o.email !== undefined) {
    params.push(o.email.trim().toLowerCase());
    where.push(`c.email = $${params.length}`);
  }
  if (o.after) {
    params.push(o.after);
    // The cursor's contact is looked up in this workspace only: another's would tell where its contact stands.
    where.push(`(c.created_at, c.id) < (SELECT p.created_at, p.id FROM contacts p WHERE p.id = $${params.length} AND p.workspace_id = $1)`);
  }
  params.push(o.limit);
  const { rows } = await db.query<ContactRow>(
    `SELECT ${COLUMNS} FROM contacts c WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toContact);
}

/** How resolveContact found the contact: by the email, the channel identity, the conversation's link, or made it now. */
export type ContactMatch = 'email' | 'identity' | 'conversation' | 'new';

export interface ResolveContactInput {
  workspaceId: string;
  agentId: string;
  conversationId: string;
  /** Already lower-cased. */
  email?: string;
  /** Whether the customer proved they own `email` (only then does their channel identity join a contact found by it). */
  emailVerified: boolean;
  name?: string;
  identity?: ChannelIdentity;
}

/**
 * The contact the conversation's customer is, made when there is none, and the conversation linked to it
 * (moved there if it was linked to another). In order: the contact with the email; without one, the
 * identity's or the conversation's contact if it has no email yet (it gets this one), else a new contact
 * with the email; with no email, the identity's contact, else the conversation's, else a new one.
 *
 * A channel identity joins the contact only when no contact has it yet, and a contact that already had an
 * email only when this customer proved that email: naming someone's email, or writing in a conversation
 * linked to them, never makes a channel identity theirs.
 * A name is kept when the contact has none. Two first messages of one new customer at once may both try to
 * make the contact: the loser throws, and its retry finds the winner's.
 */
export async function resolveContact(db: Db, input: ResolveContactInput): Promise<{ contact: Contact; via: ContactMatch }> {
  const settled = await alreadyResolved(db, input);
  if (settled) return settled;
  const { workspaceId: ws } = input;
  return db.transaction(async (tx) => {
    const byEmail = input.email ? await findOne(tx, 'SELECT id, email FROM contacts WHERE workspace_id = $1 AND email = $2', [ws, input.email]) : undefined;
    const byIdentity = input.identity ? await findOne(tx,
      `SELECT c.id, c.email FROM contact_identities i JOIN contacts c ON c.id = i.contact_id
        WHERE i.workspace_id = $1 AND i.channel = $2 AND i.external_id = $3`, [ws, input.identity.channel, input.identity.externalId]) : undefined;
    const linked = await findOne(tx,
      `SELECT c.id, c.email FROM contact_conversations l JOIN contacts c ON c.id = l.contact_id
        WHERE l.agent_id = $1 AND l.conversation_id = $2 AND c.workspace_id = $3`, [input.agentId, input.conversationId, ws]);

    let id: string;
    let via: ContactMatch;
    /** The chosen contact's email before this call. */
    let hadEmail: string | null = null;
    if (input.email) {
      const unnamed = [byIdentity && { ...byIdentity, via: 'identity' as const }, linked && { ...linked, via: 'conversation' as const }]
        .find((c) => c && c.email === null);
      if (byEmail) {
        ({ id } = byEmail);
        via = 'email';
        hadEmail = byEmail.email;
      } else if (unnamed) {
        // A unique violation here is a contact made with this email meanwhile: the retry finds it.
        await tx.query('UPDATE contacts SET email = $2, updated_at = now() WHERE id = $1', [unnamed.id, input.email]);
        ({ id, via } = unnamed);
      } else {
        const made = await createWithEmail(tx, ws, input.email);
        ({ id } = made);
        via = made.created ? 'new' : 'email';
        hadEmail = made.created ? null : input.email;
      }
    } else if (byIdentity) {
      ({ id, email: hadEmail } = byIdentity);
      via = 'identity';
    } else if (linked) {
      ({ id, email: hadEmail } = linked);
      via = 'conversation';
    } else {
      id = newId('con');
      await tx.query('INSERT INTO contacts (id, workspace_id) VALUES ($1, $2)', [id, ws]);
      via = 'new';
    }

    // Someone's contact by email takes the identity only from a customer who proved that email.
    const mayJoin = hadEmail === null || (input.emailVerified && hadEmail === input.email);
    if (input.identity && !byIdentity && mayJoin) {
      const { rowCount } = await tx.query(
        `INSERT INTO contact_identities (workspace_id, channel, external_id, contact_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id, channel, external_id) DO NOTHING`,
        [ws, input.identity.channel, input.identity.externalId, id],
      );
      if (!rowCount && !input.email) throw new Error(`contact for ${input.identity.channel} ${input.identity.externalId} was made by another call meanwhile; retry`);
    }
    if (input.name) await tx.query('UPDATE contacts SET name = $2 WHERE id = $1 AND name IS NULL', [id, input.name]);
    // Already linked to it (every turn after the first): nothing to write, so nothing to lock or flush.
    if (linked?.id !== id) await tx.query(
      `INSERT INTO contact_conversations (agent_id, conversation_id, contact_id) VALUES ($1, $2, $3)
       ON CONFLICT (agent_id, conversation_id) DO UPDATE SET contact_id = EXCLUDED.contact_id, linked_at = now()
         WHERE contact_conversations.contact_id <> EXCLUDED.contact_id`,
      [input.agentId, input.conversationId, id],
    );
    const contact = await getContact(tx, ws, id);
    if (!contact) throw new Error(`contact ${id} vanished while being resolved`);
    return { contact, via };
  });
}

/** Read on every message after a conversation's first (db/prepared.ts says why prepared). */
const CONVERSATION_CONTACT = preparedStatement('conversation_contact',
  `SELECT ${COLUMNS} FROM contact_conversations l JOIN contacts c ON c.id = l.contact_id
    WHERE l.agent_id = $1 AND l.conversation_id = $2 AND c.workspace_id = $3
      AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM contact_identities i
            WHERE i.workspace_id = $3 AND i.channel = $4 AND i.external_id = $5 AND i.contact_id = c.id))
      AND (NOT $6::boolean OR c.name IS NOT NULL)`);

/**
 * Every message after a conversation's first, without an email: the conversation is linked to the
 * identity's contact (or to its own when there is no identity) and the name, if any, is kept. The
 * transaction below would find that and write nothing; one read says so in one round trip instead of
 * five (BEGIN, three lookups, the contact, COMMIT), about 3 ms of every turn on PGlite.
 */
async function alreadyResolved(db: Queryable, input: ResolveContactInput): Promise<{ contact: Contact; via: ContactMatch } | undefined> {
  if (input.email) return undefined;
  const { rows } = await db.query<ContactRow>(CONVERSATION_CONTACT, [
    input.agentId, input.conversationId, input.workspaceId, input.identity?.channel ?? null, input.identity?.externalId ?? null, Boolean(input.name),
  ]);
  return rows[0] && { contact: toContact(rows[0]), via: input.identity ? 'identity' : 'conversation' };
}

async function findOne(tx: Queryable, sql: string, params: unknown[]): Promise<{ id: string; email: string | null } | undefined> {
  const { rows } = await tx.query<{ id: string; email: string | null }>(sql, params);
  return rows[0];
}

/** Made now, or (a call with the same email won the race) the one made meanwhile. */
async function createWithEmail(tx: Queryable, workspaceId: string, email: string): Promise<{ id: string; created: boolean }> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO contacts (id, workspace_id, email) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, email) WHERE email IS NOT NULL DO NOTHING RETURNING id`,
    [newId('con'), workspaceId, email],
  );
  if (rows[0]) return { id: rows[0].id, created: true };
  const found = await findOne(tx, 'SELECT id, email FROM contacts WHERE workspace_id = $1 AND email = $2', [workspaceId, email]);
  if (!found) throw new Error(`contact with ${email} was neither made nor found`);
  return { id: found.id, created: false };
}

export interface ChangePropertiesInput {
  workspaceId: string;
  contactId: string;
  /**
   * What made the change, the same on every retry of it: a retry finds the rows it wrote and writes nothing
   * new. One API request, or one agent write for one customer message.
   */
  cause: string;
  changes: PropertyChanges;
  source: ChangeSource;
  agentId?: string;
  conversationId?: string;
  messageId?: string;
  by?: { id: string; name: string };
}

/**
 * Merges `changes` into the contact's properties (null removes one), keeping a change row for each
 * property whose value really changes. Returns the contact and the changes this cause made (on a retry:
 * those the first attempt wrote); undefined when the workspace has no such contact.
 */
export async function changeProperties(db: Db, input: ChangePropertiesInput): Promise<{ contact: Contact; changes: ContactChange[] } | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ properties: unknown }>(
      'SELECT properties FROM contacts WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [input.contactId, input.workspaceId],
    );
    if (!rows[0]) return undefined;
    let changes = await changesOf(tx, input.contactId, input.cause);
    if (changes.length === 0) {
      const before = ContactProperties.parse(rows[0].properties ?? {});
      const diff = diffProperties(before, input.changes);
      for (const d of diff) {
        await tx.query(
          `INSERT INTO contact_changes (contact_id, cause, property, old_value, new_value, source, agent_id, conversation_id, message_id, by_id, by_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [input.contactId, input.cause, d.property, jsonOrNull(d.oldValue), jsonOrNull(d.newValue), input.source,
            input.agentId ?? null, input.conversationId ?? null, input.messageId ?? null, input.by?.id ?? null, input.by?.name ?? null],
        );
      }
      if (diff.length > 0) {
        await tx.query('UPDATE contacts SET properties = $2, updated_at = now() WHERE id = $1', [input.contactId, JSON.stringify(applyChanges(before, diff))]);
        changes = await changesOf(tx, input.contactId, input.cause);
      }
    }
    const contact = await getContact(tx, input.workspaceId, input.contactId);
    if (!contact) throw new Error(`contact ${input.contactId} vanished while being changed`);
    return { contact, changes };
  });
}

function jsonOrNull(value: PropertyValue | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

interface ChangeRow extends Record<string, unknown> {
  seq: string | number;
  property: string;
  old_value: PropertyValue | null;
  new_value: PropertyValue | null;
  source: ChangeSource;
  agent_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
  by_id: string | null;
  by_name: string | null;
  changed_at: Date;
}

const CHANGE_COLUMNS = 'seq, property, old_value, new_value, source, agent_id, conversation_id, message_id, by_id, by_name, changed_at';

async function changesOf(tx: Queryable, contactId: string, cause: string): Promise<ContactChange[]> {
  const { rows } = await tx.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM contact_changes WHERE contact_id = $1 AND cause = $2 ORDER BY seq`, [contactId, cause],
  );
  return rows.map(toChange);
}

/** A contact's changes, newest first, keyset-paginated on seq; `seq` is the cursor of the next page. */
export async function listContactChanges(
  db: Queryable, contactId: string, o: { limit: number; before?: number },
): Promise<(ContactChange & { seq: number })[]> {
  const params: unknown[] = [contactId];
  let where = 'contact_id = $1';
  if (o.before !== undefined) {
    params.push(o.before);
    where += ` AND seq < $${params.length}`;
  }
  params.push(o.limit);
  const { rows } = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM contact_changes WHERE ${where} ORDER BY seq DESC LIMIT $${params.length}`, params,
  );
  return rows.map((r) => ({ ...toChange(r), seq: Number(r.seq) }));
}

export interface ContactConversation {
  agentId: string;
  conversationId: string;
  channel: string;
  status: ConversationStatus;
  updatedAt: Date;
}

/**
 * The contact's conversations, newest activity first, keyset-paginated like the inbox. A link whose
 * conversation has no row yet (its first message is being recorded) is left out until it has one.
 */
export async function listContactConversations(
  db: Queryable, contactId: string, o: { limit: number; before?: { agentId: string; id: string } },
): Promise<ContactConversation[]> {
  const params: unknown[] = [contactId];
  const where = ['l.contact_id = $1'];
  if (o.before) {
    params.push(o.before.agentId, o.before.id);
    // The cursor's conversation is looked up among this contact's only: any other would tell where it stands.
    where.push(`(c.updated_at, c.agent_id, c.id) < (SELECT p.updated_at, p.agent_id, p.id FROM contact_conversations pl
      JOIN conversations p ON p.agent_id = pl.agent_id AND p.id = pl.conversation_id
      WHERE pl.contact_id = $1 AND p.agent_id = $${params.length - 1} AND p.id = $${params.length})`);
  }
  params.push(o.limit);
  const { rows } = await db.query<{ agent_id: string; id: string; channel: string; status: ConversationStatus; updated_at: Date }>(
    `SELECT c.agent_id, c.id, c.channel, c.status, c.updated_at
       FROM contact_conversations l JOIN conversations c ON c.agent_id = l.agent_id AND c.id = l.conversation_id
      WHERE ${where.join(' AND ')}
      ORDER BY c.updated_at DESC, c.agent_id DESC, c.id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({ agentId: r.agent_id, conversationId: r.id, channel: r.channel, status: r.status, updatedAt: new Date(r.updated_at) }));
}

function toChange(r: ChangeRow): ContactChange {
  return {
    property: r.property,
    oldValue: r.old_value,
    newValue: r.new_value,
    source: r.source,
    ...(r.agent_id ? { agentId: r.agent_id } : {}),
    ...(r.conversation_id ? { conversationId: r.conversation_id } : {}),
    ...(r.message_id ? { messageId: r.message_id } : {}),
    ...(r.by_id ? { by: { id: r.by_id, name: r.by_name ?? r.by_id } } : {}),
    changedAt: new Date(r.changed_at),
  };
}

function toContact(r: ContactRow): Contact {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    ...(r.email ? { email: r.email } : {}),
    ...(r.name ? { name: r.name } : {}),
    identities: r.identities ?? [],
    properties: ContactProperties.parse(r.properties ?? {}),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}
