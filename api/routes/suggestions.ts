import { findPage, suggestionCandidates } from '../../db/suggestions.js';
import { SUGGESTION_COUNT, pageUrlVariants, suggestQuestions, type SourceCandidate } from '../../knowledge/suggestions.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../middleware/roles.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';
import { AgentIdParam, Suggestions, SuggestionsQuery } from '../schemas.js';
import { params, query } from '../validate.js';

/** Candidates looked at for the general suggestions: a few spare for questions that come out alike. */
const CANDIDATES = 12;
/**
 * The general candidates of an agent are kept this long: every page view of a widget asks, and counting
 * citations reads the agent's recent answers.
 */
const CANDIDATES_TTL_MS = 60_000;
const MAX_CACHED_AGENTS = 1000;

const suggest = v1Route({
  method: 'get', path: '/{agentId}/suggestions', operationId: 'getSuggestions', tags: ['agents'],
  summary: "Three questions a chat widget offers before the first message: from the page's own sections when ?url= is synced content, otherwise from the agent's most cited sources and short answers",
  middleware: [allow('admin', 'channel', 'widget')],
  request: { params: AgentIdParam, query: SuggestionsQuery },
  responses: { 200: json(Suggestions, 'The suggestions (fewer than three when the agent knows fewer things)'), ...errors(422) },
});

export function suggestionRoutes(deps: ApiDeps) {
  const { db } = deps;
  const cache = new Map<string, { at: number; candidates: SourceCandidate[] }>();
  async function general(agentId: string): Promise<SourceCandidate[]> {
    const now = Date.now();
    const hit = cache.get(agentId);
    if (hit && now - hit.at < CANDIDATES_TTL_MS) return hit.candidates;
    const candidates = await suggestionCandidates(db, agentId, CANDIDATES);
    cache.delete(agentId);
    // Oldest entry out first: a Map iterates in insertion order.
    if (cache.size >= MAX_CACHED_AGENTS) cache.delete(cache.keys().next().value!);
    cache.set(agentId, { at: now, candidates });
    return candidates;
  }

  return openApiRouter()
    .openapi(suggest, async (c) => {
      const { agentId } = params(c, AgentIdParam);
      const { url } = query(c, SuggestionsQuery);
      const page = url ? await findPage(db, agentId, pageUrlVariants(url)) : undefined;
      const suggestions = suggestQuestions({ ...(page ? { page } : {}), general: await general(agentId) }, SUGGESTION_COUNT);
      return c.json({ suggestions }, 200);
    });
}
