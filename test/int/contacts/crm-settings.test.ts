/**
 * An agent's CRM grants and lead qualification: set through PATCH /v1/agents/:agentId beside the other
 * settings, validated (422 naming the field), and read back. In-process, on a real database.
 */
import { describe, expect, it } from 'vitest';
import { useInProcessApp, type Call } from '../../support/app.js';

const sys = useInProcessApp();
const { rootKey, caller } = sys;

/** A workspace with an agent that has no CRM or lead settings yet. */
async function world(name: string): Promise<{ call: Call; agentId: string }> {
  const made = await caller(rootKey)('POST', '/v1/workspaces', { name });
  expect(made.status).toBe(201);
  const call = caller(made.body.adminKey);
  const agent = await call('POST', '/v1/agents', { name: `${name} agent` });
  expect(agent.status).toBe(201);
  return { call, agentId: agent.body.id };
}

describe('an agent\'s CRM and lead qualification settings', () => {
  const lead = {
    enabled: true,
    criteria: [{ question: 'How many seats?', property: 'seats' }, { question: { en: 'Budget?', da: 'Budget?' }, property: 'budget' }],
    assignTo: { type: 'unassigned' },
  };

  it('are read back as set, kept apart from each other, and absent ones take their defaults', async () => {
    const w = await world('agent-crm');
    const path = `/v1/agents/${w.agentId}`;
    const fresh = (await w.call('GET', path)).body;
    expect(fresh.crm).toEqual({ readable: [], writable: [] });
    expect(fresh.leadQualification).toBeUndefined();

    const team = (await w.call('POST', '/v1/teams', { name: 'Sales' })).body;
    const withLead = await w.call('PATCH', path, { leadQualification: { ...lead, assignTo: { type: 'teams', ids: [team.id] } } });
    expect(withLead.status, JSON.stringify(withLead.body)).toBe(200);
    expect(withLead.body.leadQualification).toEqual({ ...lead, assignTo: { type: 'teams', ids: [team.id] } });
    const withCrm = await w.call('PATCH', path, { crm: { readable: ['plan'], writable: ['company'] }, handoff: { delaySeconds: 60 } });
    expect(withCrm.body).toMatchObject({ crm: { readable: ['plan'], writable: ['company'] }, leadQualification: { criteria: lead.criteria }, handoff: { delaySeconds: 60 } });
    const withSettings = await w.call('PATCH', path, { settings: { greeting: 'Hi!' } });
    expect(withSettings.body).toMatchObject({ settings: { greeting: 'Hi!' }, crm: { readable: ['plan'] }, leadQualification: { enabled: true }, handoff: { delaySeconds: 60 } });
    expect(withSettings.body.settings).toEqual({ greeting: 'Hi!' });
    expect((await w.call('GET', path)).body).toEqual(withSettings.body);

    const off = await w.call('PATCH', path, { leadQualification: null });
    expect(off.body.leadQualification).toBeUndefined();
    expect(off.body.crm).toEqual({ readable: ['plan'], writable: ['company'] });
    const created = await w.call('POST', '/v1/agents', { name: 'Lead bot', crm: { writable: ['seats'] }, leadQualification: { criteria: [lead.criteria[0]] } });
    expect(created.body).toMatchObject({ crm: { readable: [], writable: ['seats'] }, leadQualification: { enabled: true, criteria: [lead.criteria[0]], assignTo: { type: 'unassigned' } } });
  });

  it('a wrong CRM or lead setting is a 422 naming the field, and nothing is saved', async () => {
    const w = await world('agent-crm-invalid');
    const path = `/v1/agents/${w.agentId}`;
    const before = (await w.call('GET', path)).body;
    const criteria = (n: number) => Array.from({ length: n }, (_, i) => ({ question: `Q${i}?`, property: `q${i}` }));
    for (const [body, field] of [
      [{ leadQualification: { ...lead, criteria: [] } }, 'leadQualification.criteria'],
      [{ leadQualification: { ...lead, criteria: criteria(6) } }, 'leadQualification.criteria'],
      [{ leadQualification: { ...lead, assignTo: { type: 'robots' } } }, 'leadQualification.assignTo.type'],
      [{ leadQualification: { ...lead, assignTo: { type: 'users', ids: [] } } }, 'leadQualification.assignTo.ids'],
      [{ leadQualification: { ...lead, assignTo: { type: 'teams', ids: ['team_nope'] } } }, 'leadQualification.assignTo.ids'],
      [{ leadQualification: { ...lead, assignTo: { type: 'users', ids: ['usr_nope'] } } }, 'leadQualification.assignTo.ids'],
      [{ leadQualification: { ...lead, criteria: [{ question: 'Q?', property: 'has space' }] } }, 'leadQualification.criteria.0.property'],
      [{ leadQualification: { ...lead, criteria: [{ question: '', property: 'q' }] } }, 'leadQualification.criteria.0.question'],
      [{ leadQualification: { ...lead, extra: 1 } }, 'leadQualification'],
      [{ crm: { readable: ['bad.name'] } }, 'crm.readable.0'],
      [{ crm: { writable: 'company' } }, 'crm.writable'],
      [{ settings: { crm: { readable: [] } } }, 'settings'],
    ] as const) {
      const res = await w.call('PATCH', path, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ code: 'invalid_request', field });
    }
    expect((await w.call('GET', path)).body).toEqual(before);
    expect((await w.call('POST', '/v1/agents', { name: 'x', leadQualification: { criteria: criteria(6) } })).body.error.field).toBe('leadQualification.criteria');
  });
});
