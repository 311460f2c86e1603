/**
 * The handoff settings an agent has until it sets its own, and how the agent's own texts are picked by
 * language. Written out rather than `HandoffSettings.parse({})` because the conversation workflow reads
 * them, and the workflow bundle must not evaluate zod (workflows/README.md says why); a unit test holds
 * DEFAULT_HANDOFF equal to the schema's defaults (test/unit/domain/handoff-defaults.test.ts).
 */
import type { HandoffSettings, PerLanguage } from './handoff.js';

export const DEFAULT_HANDOFF: HandoffSettings = {
  mode: 'handoff',
  assignTo: { type: 'unassigned' },
  delaySeconds: 0,
  triggers: [],
  slaSeconds: 300,
};

/**
 * The agent's own text for `language`: a single string serves every language; a per-language set only the
 * languages it names (for the others the built-in text in the customer's language is better than the
 * agent's in another).
 */
export function pick(texts: PerLanguage | string | undefined, language: string): string | undefined {
  if (texts === undefined) return undefined;
  if (typeof texts === 'string') return texts;
  return texts[language];
}
