/**
 * Deleting a team never strands a conversation: what waited in its queue moves to the unassigned queue (a
 * person who owns one keeps it), in the database and in the running workflow alike, and an agent whose
 * handoff settings still name the team hands off to the unassigned queue instead of failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId, stateQuery } from '../../../workflows/conversation.contract.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { createTestWorkspace } from '../../support/workspace.js';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem('team-removal');
});
afterAll(async () => {
  await sys?.stop();
});

const conv = (agentId: string, id: string) => `/v1/agents/${agentId}/conversations/${id}`;
const NEVER = { mode: 'within', timeZone: 'UTC', weekly: {} };

async function shop(name: string) {
  const ws = await createTestWorkspace(sys, name);
  const agentId = await ws.createAgent({ articles: [SHIPPING] });
  const team = async (teamName: string) => (await ws.request('POST', '/v1/teams', { name: teamName })).body as { id: string };
  const handOffTo = async (ids: string[]) => {
    const res = await ws.request('PATCH', `/v1/agents/${agentId}`, { handoff: { assignTo: { type: 'teams', ids } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const askForPerson = async () => {
    const id = uniqueId('team');
    expect((await ws.say(agentId, id, 'Can I talk to a human please?')).body.reply.kind).toBe('handoff');
    return id;
  };
  const workflowState = (id: string) => sys.client.workflow.getHandle(conversationWorkflowId(agentId, id)).query(stateQuery);
  return { ws, agentId, team, handOffTo, askForPerson, workflowState };
}

describe('deleting a team', () => {
  it("moves the conversations in its queue to the unassigned queue, and one a member owns stays theirs, in the inbox and in the workflow", async () => {
    const { ws, agentId, team, handOffTo, askForPerson, workflowState } = await shop('team-deleted');
    const billing = await team('Billing');
    const ann = (await ws.request('POST', '/v1/users', { name: 'Ann', email: `ann-${uniqueId('x')}@shop.test`, teamIds: [billing.id], workingHours: NEVER })).body;
    await handOffTo([billing.id]);

    // Ann is off shift: the first waits in Billing's queue. Back on shift, she gets the second.
    const queued = await askForPerson();
    expect(await workflowState(queued)).toMatchObject({ status: 'handoff_requested', teamId: billing.id });
    await ws.request('PATCH', `/v1/users/${ann.id}`, { workingHours: null });
    const owned = await askForPerson();
    expect(await workflowState(owned)).toMatchObject({ status: 'assigned', assigneeId: ann.id, teamId: billing.id });

    expect((await ws.request('DELETE', `/v1/teams/${billing.id}`)).status).toBe(204);

    const inbox = (await ws.request('GET', `/v1/conversations?agentId=${agentId}`)).body.conversations as any[];
    const waiting = inbox.find((c) => c.id === queued);
    expect(waiting).toMatchObject({ status: 'handoff_requested' });
    expect(waiting).not.toHaveProperty('teamId');
    expect(waiting).not.toHaveProperty('assignee');
    const hers = inbox.find((c) => c.id === owned);
    expect(hers).toMatchObject({ status: 'assigned', assignee: ann.id });
    expect(hers).not.toHaveProperty('teamId');
    expect((await ws.request('GET', `/v1/conversations?teamId=${billing.id}`)).body.conversations).toEqual([]);
    expect((await ws.request('GET', `/v1/conversations?agentId=${agentId}&assignee=none&status=handoff_requested`)).body.conversations.map((c: any) => c.id)).toEqual([queued]);

    const read = (await ws.request('GET', conv(agentId, queued))).body;
    expect(read.status).toBe('handoff_requested');
    expect(read).not.toHaveProperty('teamId');
    const state = await workflowState(queued);
    expect(state.status).toBe('handoff_requested');
    expect(state).not.toHaveProperty('teamId');
    const ownedState = await workflowState(owned);
    expect(ownedState).toMatchObject({ status: 'assigned', assigneeId: ann.id });
    expect(ownedState).not.toHaveProperty('teamId');

    // The workflow goes on from there: still silent for the customer, and a person can take it.
    expect((await ws.say(agentId, queued, 'Hello?')).body.reply).toBeNull();
    const taken = await ws.request('POST', `${conv(agentId, queued)}/replies`, { userId: ann.id, text: 'Ann here, I can help.' });
    expect(taken.body.conversation).toEqual({ id: queued, status: 'assigned', assigneeId: ann.id });

    const entry = ((await ws.request('GET', '/v1/audit-log')).body.entries as any[]).find((e) => e.action === 'team.deleted');
    expect(entry.details.unassigned.map((u: any) => u.conversationId).sort()).toEqual([queued, owned].sort());
  });

  it('a handoff routed to a deleted team goes to the unassigned queue; with another team still named, to that one', async () => {
    const { ws, agentId, team, handOffTo, askForPerson, workflowState } = await shop('team-routing');
    const gone = await team('Gone');
    const live = await team('Live');
    await handOffTo([gone.id]);
    expect((await ws.request('DELETE', `/v1/teams/${gone.id}`)).status).toBe(204);

    const unassigned = await askForPerson();
    const read = (await ws.request('GET', conv(agentId, unassigned))).body;
    expect(read.status).toBe('handoff_requested');
    expect(read).not.toHaveProperty('teamId');
    expect(await workflowState(unassigned)).not.toHaveProperty('teamId');
    const [item] = (await ws.request('GET', `/v1/conversations?agentId=${agentId}`)).body.conversations;
    expect(item).toMatchObject({ id: unassigned, status: 'handoff_requested' });
    expect(item).not.toHaveProperty('teamId');

    await handOffTo([gone.id, live.id]);
    const toLive = await askForPerson();
    expect((await ws.request('GET', conv(agentId, toLive))).body).toMatchObject({ status: 'handoff_requested', teamId: live.id });
  });
});
