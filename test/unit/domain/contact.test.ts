import { describe, expect, it } from 'vitest';
import { AgentSettings, crmAccess } from '../../../domain/agent.js';
import { CrmSettings, PropertyChanges, applyChanges, channelIdentity, diffProperties } from '../../../domain/contact.js';
import { LeadQualificationSettings, isQualified, openCriteria } from '../../../domain/lead.js';

describe('contact properties', () => {
  it('a change records only properties whose value really changes, and null removes one', () => {
    const before = { plan: 'pro', seats: 5, trial: true };
    const diff = diffProperties(before, { plan: 'pro', seats: 6, trial: null, company: 'Acme', missing: null });
    expect(diff).toEqual([
      { property: 'seats', oldValue: 5, newValue: 6 },
      { property: 'trial', oldValue: true, newValue: null },
      { property: 'company', oldValue: null, newValue: 'Acme' },
    ]);
    expect(applyChanges(before, diff)).toEqual({ plan: 'pro', seats: 6, company: 'Acme' });
  });

  it('names are safe identifiers and values are strings, numbers or booleans', () => {
    expect(PropertyChanges.safeParse({ 'company_size-2': 'x', ok: 1, yes: false, gone: null }).success).toBe(true);
    for (const bad of [{ 'bad name': 1 }, { 'a.b': 1 }, { ['x'.repeat(65)]: 1 }, { '': 1 }]) {
      const r = PropertyChanges.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error!.issues[0]!.message).toMatch(/property name/);
    }
    expect(PropertyChanges.safeParse({ nested: { a: 1 } }).success).toBe(false);
    expect(PropertyChanges.safeParse({ long: 'x'.repeat(2001) }).success).toBe(false);
    expect(PropertyChanges.safeParse({}).success).toBe(false);
  });
});

describe('channel identities', () => {
  it('come from the WhatsApp number, the Messenger PSID, or the customer id on chat and custom channels; email has none', () => {
    expect(channelIdentity('whatsapp', undefined, { waId: '4512345678', sentAt: 1 })).toEqual({ channel: 'whatsapp', externalId: '4512345678' });
    expect(channelIdentity('messenger', { id: 'ignored' }, { psid: '998877665544' })).toEqual({ channel: 'messenger', externalId: '998877665544' });
    expect(channelIdentity('whatsapp', undefined, { waId: 'not a number' })).toBeUndefined();
    expect(channelIdentity('chat', { id: 'visitor-7' }, undefined)).toEqual({ channel: 'chat', externalId: 'visitor-7' });
    expect(channelIdentity('custom', { id: 'crm-42' }, undefined)).toEqual({ channel: 'custom', externalId: 'crm-42' });
    expect(channelIdentity('chat', {}, undefined)).toBeUndefined();
    expect(channelIdentity('email', { id: 'x' }, { messageId: '<a@b>' })).toBeUndefined();
  });
});

describe('what an agent may do with contacts', () => {
  const lead = {
    enabled: true,
    criteria: [{ question: 'How many seats do you need?', property: 'seats' }, { question: { en: 'Your budget?', da: 'Jeres budget?' }, property: 'budget' }],
    assignTo: { type: 'teams', ids: ['team_sales'] },
  };

  it('nothing by default; crm grants read and write apart; enabled lead criteria are granted both', () => {
    expect(crmAccess(AgentSettings.parse({}))).toEqual({ read: [], write: [] });
    const settings = AgentSettings.parse({ crm: { readable: ['plan', 'seats'], writable: ['company'] }, leadQualification: lead });
    expect(crmAccess(settings)).toEqual({ read: ['plan', 'seats', 'budget'], write: ['company', 'seats', 'budget'] });
    expect(crmAccess(AgentSettings.parse({ crm: { writable: ['company'] }, leadQualification: { ...lead, enabled: false } }))).toEqual({ read: [], write: ['company'] });
  });

  it('crm lists name each property once, with safe names', () => {
    expect(CrmSettings.safeParse({ readable: ['a', 'a'] }).success).toBe(false);
    expect(CrmSettings.safeParse({ writable: ['has space'] }).success).toBe(false);
    expect(CrmSettings.safeParse({ readable: ['a'], other: [] }).success).toBe(false);
  });

  it('lead qualification takes one to five criteria, each in its own property, and a handoff target', () => {
    expect(LeadQualificationSettings.parse({ criteria: [{ question: 'Q?', property: 'q' }] })).toEqual({
      enabled: true, criteria: [{ question: 'Q?', property: 'q' }], assignTo: { type: 'unassigned' },
    });
    const criteria = (n: number) => Array.from({ length: n }, (_, i) => ({ question: `Q${i}?`, property: `q${i}` }));
    expect(LeadQualificationSettings.safeParse({ criteria: criteria(0) }).success).toBe(false);
    expect(LeadQualificationSettings.safeParse({ criteria: criteria(5) }).success).toBe(true);
    expect(LeadQualificationSettings.safeParse({ criteria: criteria(6) }).success).toBe(false);
    expect(LeadQualificationSettings.safeParse({ criteria: [{ question: 'A?', property: 'x' }, { question: 'B?', property: 'x' }] }).success).toBe(false);
    expect(LeadQualificationSettings.safeParse({ criteria: criteria(1), assignTo: { type: 'robots' } }).success).toBe(false);
    expect(LeadQualificationSettings.safeParse({ criteria: [{ question: {}, property: 'x' }] }).success).toBe(false);
    expect(LeadQualificationSettings.safeParse({ criteria: [{ question: { english: 'Q?' }, property: 'x' }] }).success).toBe(false);
  });

  it('the open criteria are those the contact has not answered, in order; all answered is qualified', () => {
    const settings = LeadQualificationSettings.parse(lead);
    expect(openCriteria(settings, {}).map((c) => c.property)).toEqual(['seats', 'budget']);
    expect(openCriteria(settings, { budget: 5000, seats: '' }).map((c) => c.property)).toEqual(['seats']);
    expect(isQualified(settings, { seats: 12 })).toBe(false);
    expect(isQualified(settings, { seats: 12, budget: 'about 5k' })).toBe(true);
  });
});
