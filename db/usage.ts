/**
 * The usage ledger: one row per billable conversation, written when it first holds an agent reply.
 * `test` conversations are never billed; a conversation started during an active trial costs 0 credits.
 */
import type { Queryable } from './types.js';

/**
 * The statement that bills a conversation, for the parameters holding its agent and conversation ids; the
 * reply's bookkeeping runs it in its own write (db/bookkeeping.ts). Idempotent on (agent, conversation):
 * a retried activity, a later reply or a reopening adds nothing.
 */
export function billConversationSql(agentParam: string, conversationParam: string): string {
  return `INSERT INTO usage_ledger (agent_id, conversation_id, workspace_id, channel, credits, trial)
     SELECT c.agent_id, c.id, a.workspace_id, c.channel,
            CASE WHEN t.in_trial THEN 0 ELSE 1 END, t.in_trial
       FROM conversations c
       JOIN agents a ON a.id = c.agent_id
       JOIN workspaces w ON w.id = a.workspace_id
       CROSS JOIN LATERAL (SELECT w.trial_status = 'active' AND (w.trial_ends_at IS NULL OR w.trial_ends_at > now()) AS in_trial) t
      WHERE c.agent_id = ${agentParam} AND c.id = ${conversationParam} AND c.channel <> 'test'
     ON CONFLICT (agent_id, conversation_id) DO NOTHING`;
}

export interface UsageReport {
  credits: number;
  conversations: number;
  byAgent: { agentId: string; credits: number; conversations: number }[];
  byDay: { day: string; credits: number; conversations: number }[];
}

/** Usage of a workspace in [from, to): totals, per agent and per UTC day. */
export async function usageReport(db: Queryable, workspaceId: string, range: { from: Date; to: Date }): Promise<UsageReport> {
  const params = [workspaceId, range.from.toISOString(), range.to.toISOString()];
  const where = 'workspace_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz';
  const byAgent = await db.query<{ agent_id: string; credits: string | number; conversations: string | number }>(
    `SELECT agent_id, sum(credits) AS credits, count(*) AS conversations FROM usage_ledger WHERE ${where}
      GROUP BY agent_id ORDER BY agent_id`, params,
  );
  const byDay = await db.query<{ day: string; credits: string | number; conversations: string | number }>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(credits) AS credits, count(*) AS conversations
       FROM usage_ledger WHERE ${where} GROUP BY 1 ORDER BY 1`, params,
  );
  const agents = byAgent.rows.map((r) => ({ agentId: r.agent_id, credits: Number(r.credits), conversations: Number(r.conversations) }));
  return {
    credits: agents.reduce((n, a) => n + a.credits, 0),
    conversations: agents.reduce((n, a) => n + a.conversations, 0),
    byAgent: agents,
    byDay: byDay.rows.map((r) => ({ day: r.day, credits: Number(r.credits), conversations: Number(r.conversations) })),
  };
}
