/**
 * Lead qualification: the agent asks a few questions (one to five), keeps each answer as a property of the
 * customer's contact, and once every criterion is answered hands the lead to `assignTo` (the same targets
 * as a handoff). Stored with the agent's settings; read by the turn and the workflow.
 */
import { z } from 'zod';
import { PropertyName, type ContactProperties } from './contact.js';
import { AssignTo, PerLanguage } from './handoff.js';

/** The question in one text for every language, or per language (`pick` in domain/handoff.ts chooses). */
export const LeadQuestion = z.union([
  z.string().trim().min(1).max(500),
  PerLanguage.refine((texts) => Object.keys(texts).length > 0, 'give the question in at least one language'),
]);

export const LeadCriterion = z.object({
  question: LeadQuestion,
  /** The contact property the answer is kept in. */
  property: PropertyName,
}).strict();
export type LeadCriterion = z.infer<typeof LeadCriterion>;

export const LeadQualificationSettings = z.object({
  enabled: z.boolean().default(true),
  criteria: z.array(LeadCriterion).min(1, 'give one to five criteria').max(5, 'give one to five criteria')
    .refine((c) => new Set(c.map((x) => x.property)).size === c.length, 'each criterion keeps its answer in its own property'),
  /** Who a qualified lead goes to. */
  assignTo: AssignTo.default({ type: 'unassigned' }),
}).strict();
export type LeadQualificationSettings = z.infer<typeof LeadQualificationSettings>;

/** The criteria the contact has not answered yet, in the order they are asked. */
export function openCriteria(settings: LeadQualificationSettings, properties: ContactProperties): LeadCriterion[] {
  return settings.criteria.filter((c) => !Object.hasOwn(properties, c.property) || properties[c.property] === '');
}

/** Every criterion answered: the lead goes to `assignTo`. */
export function isQualified(settings: LeadQualificationSettings, properties: ContactProperties): boolean {
  return openCriteria(settings, properties).length === 0;
}
