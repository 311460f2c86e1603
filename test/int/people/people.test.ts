/**
 * People and teams through the API, on a real database; no Temporal is needed (nothing here reaches a
 * workflow). Conversations owned by people are written directly, as the conversation workflow would.
 */
import { describe, expect, it } from 'vitest';
import { assignmentCandidates } from '../../../db/people.js';
import { pickAssignee } from '../../../domain/routing.js';
import { useInProcessApp, type Call } from '../../support/app.js';

const sys = useInProcessApp();
const { rootKey, caller } = sys;

async function workspace(name: string): Promise<{ id: string; call: Call }> {
  const res = await caller(rootKey)('POST', '/v1/workspaces', { name });
  expect(res.status).toBe(201);
  return { id: res.body.id, call: caller(res.body.adminKey) };
}

const ALWAYS = { mode: 'within', timeZone: 'Europe/Copenhagen', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) };
const NEVER = { mode: 'within', timeZone: 'UTC', weekly: {} };

describe('people and teams', () => {
  it('are created, read, listed by team, changed and deleted, each change in the audit log', async () => {
    const { call } = await workspace('people-crud');
    const support = await call('POST', '/v1/teams', { name: 'Support' });
    expect(support.status).toBe(201);
    expect(support.body).toEqual({ id: expect.stringMatching(/^team_/), name: 'Support', createdAt: expect.any(String), updatedAt: expect.any(String) });
    const billing = (await call('POST', '/v1/teams', { name: 'Billing' })).body;

    const ada = await call('POST', '/v1/users', { name: 'Ada', email: 'Ada@Example.com', teamIds: [support.body.id, billing.id], workingHours: ALWAYS });
    expect(ada.status).toBe(201);
    expect(ada.body).toEqual({
      id: expect.stringMatching(/^usr_/), name: 'Ada', email: 'ada@example.com', teamIds: [support.body.id, billing.id].sort(),
      workingHours: ALWAYS, available: true, openConversations: 0, createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    const bo = (await call('POST', '/v1/users', { name: 'Bo', email: 'bo@example.com', teamIds: [billing.id] })).body;
    expect(bo).toMatchObject({ teamIds: [billing.id], available: true });
    expect(bo.workingHours).toBeUndefined();

    expect((await call('GET', `/v1/users/${ada.body.id}`)).body).toEqual(ada.body);
    expect((await call('GET', '/v1/users')).body.users.map((u: any) => u.name)).toEqual(['Ada', 'Bo']);
    expect((await call('GET', `/v1/users?teamId=${support.body.id}`)).body.users.map((u: any) => u.name)).toEqual(['Ada']);
    expect((await call('GET', `/v1/users?teamId=${billing.id}`)).body.users.map((u: any) => u.name)).toEqual(['Ada', 'Bo']);
    expect((await call('GET', '/v1/teams')).body.teams.map((t: any) => t.name)).toEqual(['Support', 'Billing']);

    const changed = await call('PATCH', `/v1/users/${ada.body.id}`, { name: 'Ada L.', teamIds: [support.body.id], workingHours: NEVER });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Ada L.', email: 'ada@example.com', teamIds: [support.body.id], workingHours: NEVER, available: false });
    const cleared = await call('PATCH', `/v1/users/${ada.body.id}`, { workingHours: null });
    expect(cleared.body.workingHours).toBeUndefined();
    expect(cleared.body).toMatchObject({ name: 'Ada L.', teamIds: [support.body.id], available: true });
    expect((await call('PATCH', `/v1/teams/${billing.id}`, { name: 'Payments' })).body).toMatchObject({ id: billing.id, name: 'Payments' });

    // A deleted team leaves its members, without the membership.
    expect((await call('DELETE', `/v1/teams/${billing.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/users/${bo.id}`)).body.teamIds).toEqual([]);
    expect((await call('GET', `/v1/teams/${billing.id}`)).body.error.code).toBe('team_not_found');
    expect((await call('DELETE', `/v1/users/${bo.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/users/${bo.id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/users/${bo.id}`)).body.error).toMatchObject({ code: 'user_not_found', field: 'userId' });

    const actions = ((await call('GET', '/v1/audit-log')).body.entries as any[])
      .filter((e) => /^(user|team)\./.test(e.action)).map((e) => `${e.action} ${e.target.id}`).reverse();
    expect(actions).toEqual([
      `team.created ${support.body.id}`, `team.created ${billing.id}`, `user.created ${ada.body.id}`, `user.created ${bo.id}`,
      `user.updated ${ada.body.id}`, `user.updated ${ada.body.id}`, `team.updated ${billing.id}`, `team.deleted ${billing.id}`, `user.deleted ${bo.id}`,
    ]);
  });

  it('refuse unknown teams (422 naming teamIds), a second person with the same email (409) and bodies that change nothing', async () => {
    const { call } = await workspace('people-refusals');
    const other = await workspace('people-refusals-other');
    const foreignTeam = (await other.call('POST', '/v1/teams', { name: 'Theirs' })).body.id;
    const team = (await call('POST', '/v1/teams', { name: 'Ours' })).body.id;

    for (const teamIds of [['team_missing'], [team, foreignTeam]]) {
      const res = await call('POST', '/v1/users', { name: 'Cy', email: 'cy@example.com', teamIds });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'teamIds', message: expect.stringContaining(teamIds.at(-1)!) });
    }
    expect((await call('GET', '/v1/users')).body.users).toEqual([]);
    expect((await call('GET', `/v1/users?teamId=${foreignTeam}`)).body.error.field).toBe('teamId');

    const cy = (await call('POST', '/v1/users', { name: 'Cy', email: 'cy@example.com', teamIds: [team] })).body;
    const dup = await call('POST', '/v1/users', { name: 'Cy again', email: 'CY@example.com' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'email' });
    // The same email in another workspace is another person.
    expect((await other.call('POST', '/v1/users', { name: 'Cy', email: 'cy@example.com' })).status).toBe(201);

    const dee = (await call('POST', '/v1/users', { name: 'Dee', email: 'dee@example.com' })).body;
    const taken = await call('PATCH', `/v1/users/${dee.id}`, { email: 'cy@example.com', teamIds: [team] });
    expect(taken.status).toBe(409);
    expect((await call('GET', `/v1/users/${dee.id}`)).body).toMatchObject({ email: 'dee@example.com', teamIds: [] });
    expect((await call('PATCH', `/v1/users/${dee.id}`, { teamIds: ['team_missing'] })).body.error.field).toBe('teamIds');

    expect((await call('PATCH', `/v1/users/${cy.id}`, {})).status).toBe(422);
    for (const [body, field] of [
      [{ name: 'E', email: 'not-an-email' }, 'email'],
      [{ name: '', email: 'e@example.com' }, 'name'],
      [{ name: 'E', email: 'e@example.com', workingHours: { mode: 'within', timeZone: 'Mars/Olympus' } }, 'workingHours.timeZone'],
      [{ name: 'E', email: 'e@example.com', workingHours: { mode: 'within', weekly: { mon: [['17:00', '09:00']] } } }, 'workingHours.weekly.mon.0'],
      [{ name: 'E', email: 'e@example.com', role: 'boss' }, undefined],
    ] as const) {
      const res = await call('POST', '/v1/users', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      if (field) expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await call('POST', '/v1/teams', { name: ' ' })).body.error.field).toBe('name');
  });

  it("another workspace's people and teams do not exist for this one", async () => {
    const mine = await workspace('people-mine');
    const theirs = await workspace('people-theirs');
    const team = (await theirs.call('POST', '/v1/teams', { name: 'Theirs' })).body.id;
    const user = (await theirs.call('POST', '/v1/users', { name: 'Eve', email: 'eve@example.com', teamIds: [team] })).body.id;
    for (const [method, path, body] of [
      ['GET', `/v1/users/${user}`], ['PATCH', `/v1/users/${user}`, { name: 'Mallory' }], ['DELETE', `/v1/users/${user}`],
      ['GET', `/v1/teams/${team}`], ['PATCH', `/v1/teams/${team}`, { name: 'Mine now' }], ['DELETE', `/v1/teams/${team}`],
    ] as const) {
      const res = await mine.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe(path.includes('/users/') ? 'user_not_found' : 'team_not_found');
    }
    expect((await mine.call('GET', '/v1/users')).body.users).toEqual([]);
    expect((await theirs.call('GET', `/v1/users/${user}`)).body).toMatchObject({ name: 'Eve', teamIds: [team] });
    expect((await theirs.call('GET', `/v1/teams/${team}`)).body.name).toBe('Theirs');
  });

  it("deleting a person puts the conversations they own back in their team's queue", async () => {
    const ws = await workspace('people-requeue');
    const team = (await ws.call('POST', '/v1/teams', { name: 'Support' })).body.id;
    const leaving = (await ws.call('POST', '/v1/users', { name: 'Leaving', email: 'leaving@example.com', teamIds: [team] })).body.id;
    const staying = (await ws.call('POST', '/v1/users', { name: 'Staying', email: 'staying@example.com', teamIds: [team] })).body.id;
    const agentId = (await ws.call('POST', '/v1/agents', { name: 'Requeue shop' })).body.id;
    const conversation = (id: string, status: string, assignee: string) => sys.db.query(
      `INSERT INTO conversations (agent_id, id, channel, status, assignee_id, team_id, workflow_id) VALUES ($1, $2, 'chat', $3, $4, $5, $6)`,
      [agentId, id, status, assignee, team, `conv:${agentId}:${id}`],
    );
    await conversation('c-assigned', 'assigned', leaving);
    await conversation('c-closed', 'closed', leaving);
    await conversation('c-other', 'assigned', staying);
    expect((await ws.call('GET', `/v1/users/${leaving}`)).body.openConversations).toBe(1);

    expect((await ws.call('DELETE', `/v1/users/${leaving}`)).status).toBe(204);
    const { rows } = await sys.db.query<{ id: string; status: string; assignee_id: string | null; team_id: string }>(
      'SELECT id, status, assignee_id, team_id FROM conversations WHERE agent_id = $1 ORDER BY id', [agentId],
    );
    expect(rows).toEqual([
      { id: 'c-assigned', status: 'handoff_requested', assignee_id: null, team_id: team },
      { id: 'c-closed', status: 'closed', assignee_id: null, team_id: team },
      { id: 'c-other', status: 'assigned', assignee_id: staying, team_id: team },
    ]);
    const entry = ((await ws.call('GET', '/v1/audit-log')).body.entries as any[]).find((e) => e.action === 'user.deleted');
    expect(entry.details.requeued).toEqual([{ agentId, conversationId: 'c-assigned' }, { agentId, conversationId: 'c-closed' }]);
  });

  it('the round robin sees who is within their hours and how busy they are', async () => {
    const ws = await workspace('people-round-robin');
    const team = (await ws.call('POST', '/v1/teams', { name: 'Support' })).body.id;
    const add = async (name: string, workingHours?: unknown) => (await ws.call('POST', '/v1/users', {
      name, email: `${name}@example.com`, teamIds: [team], ...(workingHours ? { workingHours } : {}),
    })).body;
    const offDuty = await add('off-duty', NEVER);
    const busy = await add('busy', ALWAYS);
    const free = await add('free');
    const agentId = (await ws.call('POST', '/v1/agents', { name: 'Round robin shop' })).body.id;
    await sys.db.query(`INSERT INTO conversations (agent_id, id, channel, status, assignee_id, team_id) VALUES ($1, 'c1', 'chat', 'assigned', $2, $3)`, [agentId, busy.id, team]);

    const listed = (await ws.call('GET', `/v1/users?teamId=${team}`)).body.users;
    expect(listed.map((u: any) => [u.name, u.available, u.openConversations])).toEqual([['off-duty', false, 0], ['busy', true, 1], ['free', true, 0]]);

    const candidates = await assignmentCandidates(sys.db, ws.id, { teamIds: [team] });
    expect(candidates.map((c) => [c.id, c.open, c.workingHours?.mode ?? 'none']).sort()).toEqual([
      [busy.id, 1, 'within'], [free.id, 0, 'none'], [offDuty.id, 0, 'within'],
    ].sort());
    expect(pickAssignee(candidates, new Date())).toBe(free.id);
    // With the free one gone, the busy one within hours is preferred over the idle one off duty.
    expect((await ws.call('DELETE', `/v1/users/${free.id}`)).status).toBe(204);
    expect(pickAssignee(await assignmentCandidates(sys.db, ws.id, { teamIds: [team] }), new Date())).toBe(busy.id);
  });
});
