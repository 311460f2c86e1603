/**
 * The human side of conversations: who owns one, and the workspace-wide inbox the team works from.
 * Only the conversation workflow's activities write owners, so the database follows the workflow.
 */
import type { Customer } from '../workflows/conversation.contract.js';
import type { ConversationStatus } from '../domain/conversation.js';
import type { Queryable } from './types.js';

export interface ConversationKey {
  agentId: string;
  conversationId: string;
}

/**
 * Sets status and owner together (an assignee clears nothing but what is given as null). A team deleted
 * meanwhile is written as none: a workflow told of the deletion after it started this write must not
 * put the team back.
 */
export async function setOwner(
  db: Queryable, c: ConversationKey & { status: ConversationStatus; assigneeId: string | null; teamId: string | null },
): Promise<void> {
  await db.query(
    `UPDATE conversations SET status = $3, assignee_id = $4, team_id = (SELECT t.id FROM teams t WHERE t.id = $5), updated_at = now(),
            closed_at = CASE WHEN $3 = 'closed' THEN now() ELSE NULL END
      WHERE agent_id = $1 AND id = $2`,
    [c.agentId, c.conversationId, c.status, c.assigneeId, c.teamId],
  );
}

export interface InboxItem {
  id: string;
  agentId: string;
  status: ConversationStatus;
  assignee?: string;
  teamId?: string;
  channel: string;
  customer?: Customer;
  lastMessage?: { role: string; text: string; at: string };
  /** Actions drafted in the conversation that wait for a person's approval; absent when none. */
  pendingApprovals?: number;
  updatedAt: string;
}

export interface InboxFilter {
  status?: ConversationStatus;
  /** A user id, or 'none' for conversations nobody owns. */
  assignee?: string;
  teamId?: string;
  agentId?: string;
  channel?: string;
  limit: number;
  /** The last item of the previous page. */
  before?: { agentId: string; id: string };
}

/** The workspace's conversations, newest activity first, keyset-paginated. */
export async function listInbox(db: Queryable, workspaceId: string, f: InboxFilter): Promise<InboxItem[]> {
  const where = ['a.workspace_id = $1'];
  const params: unknown[] = [workspaceId];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.status) add('c.status = ?', f.status);
  if (f.assignee === 'none') where.push('c.assignee_id IS NULL');
  else if (f.assignee) add('c.assignee_id = ?', f.assignee);
  if (f.teamId) add('c.team_id = ?', f.teamId);
  if (f.agentId) add('c.agent_id = ?', f.agentId);
  if (f.channel) add('c.channel = ?', f.channel);
  if (f.before) {
    // Keyset on the stored timestamp (microseconds on a server), read from the row itself.
    params.push(f.before.agentId, f.before.id);
    // The cursor's conversation is looked up in this workspace only: another's would tell where it stands.
    where.push(`(c.updated_at, c.agent_id, c.id) < (SELECT p.updated_at, p.agent_id, p.id FROM conversations p JOIN agents pa ON pa.id = p.agent_id
      WHERE pa.workspace_id = $1 AND p.agent_id = $${params.length - 1} AND p.id = $${params.length})`);
  }
  params.push(f.limit);
  const { rows } = await db.query<{
    id: string; agent_id: string; status: ConversationStatus; assignee_id: string | null; team_id: string | null; channel: string;
    customer: Customer | null; last_message: { role: string; text: string; at: string } | null; pending_approvals: number; updated_at: Date;
  }>(
    `SELECT c.id, c.agent_id, c.status, c.assignee_id, c.team_id, c.channel, c.customer, c.last_message, c.updated_at,
            (SELECT count(*)::int FROM action_runs r
              WHERE r.agent_id = c.agent_id AND r.conversation_id = c.id AND r.status = 'pending_approval') AS pending_approvals
       FROM conversations c JOIN agents a ON a.id = c.agent_id
      WHERE ${where.join(' AND ')}
      ORDER BY c.updated_at DESC, c.agent_id DESC, c.id DESC
      LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    agentId: r.agent_id,
    status: r.status,
    ...(r.assignee_id ? { assignee: r.assignee_id } : {}),
    ...(r.team_id ? { teamId: r.team_id } : {}),
    channel: r.channel,
    ...(r.customer ? { customer: r.customer } : {}),
    ...(r.last_message ? { lastMessage: r.last_message } : {}),
    ...(r.pending_approvals > 0 ? { pendingApprovals: r.pending_approvals } : {}),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** The conversation's row as the human updates need it to (re)start its workflow; undefined if none. */
export async function conversationForUpdate(db: Queryable, c: ConversationKey): Promise<{ channel: string; customer?: Customer; status: ConversationStatus } | undefined> {
  const { rows } = await db.query<{ channel: string; customer: Customer | null; status: ConversationStatus }>(
    'SELECT channel, customer, status FROM conversations WHERE agent_id = $1 AND id = $2', [c.agentId, c.conversationId],
  );
  const r = rows[0];
  return r && { channel: r.channel, status: r.status, ...(r.customer ? { customer: r.customer } : {}) };
}
