/**
 * Prompt suggestions: the three questions a chat widget offers before the first message. Deterministic
 * (no model is needed): a curated short answer's question as written; otherwise a question made from a
 * heading or title by a few readable templates ("Shipping times" → "What are the shipping times?",
 * "Resetting your password" → "Can you help me with resetting my password?").
 *
 * On a page whose URL is synced content, its own sections come first; the agent's most useful sources
 * (most cited in answers, curated short answers before articles) fill the rest, and alone make the
 * general suggestions.
 */
import { HEADING_SEPARATOR } from './chunk.js';

export interface Suggestion {
  text: string;
  sourceId?: string;
  title?: string;
}

/** A synced page: its title and its sections' headings in reading order, each in its detected language. */
export interface PageContent {
  sourceId: string;
  title: string;
  language: string;
  sections: ReadonlyArray<{ heading?: string; language: string }>;
}

/** A source that could be suggested when the visitor's page is not known. */
export interface SourceCandidate {
  sourceId: string;
  title: string;
  language: string;
  /** A short answer's question, offered verbatim. */
  question?: string;
  /** How often the agent's recent answers cited it. */
  citations: number;
  /** Newer breaks ties between sources never cited (epoch ms). */
  updatedAt: number;
}

export const SUGGESTION_COUNT = 3;
/** A heading longer than this is a sentence, not a topic: it makes a poor button. */
const MAX_TOPIC_CHARS = 80;

/** The questions for a page (its sections, then its title), topped up with general ones. */
export function suggestQuestions(
  input: { page?: PageContent; general: readonly SourceCandidate[] },
  count = SUGGESTION_COUNT,
): Suggestion[] {
  const picked: Suggestion[] = [];
  const seen = new Set<string>();
  const add = (text: string | undefined, sourceId: string, title: string) => {
    const key = text?.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (!text || !key || seen.has(key) || picked.length >= count) return;
    seen.add(key);
    picked.push({ text, sourceId, title });
  };
  const { page } = input;
  if (page) {
    for (const s of page.sections) add(s.heading && questionFromTopic(lastHeading(s.heading), s.language), page.sourceId, page.title);
    add(questionFromTopic(page.title, page.language), page.sourceId, page.title);
  }
  for (const c of rankCandidates(input.general)) {
    add(c.question ?? questionFromTopic(c.title, c.language), c.sourceId, c.title);
  }
  return picked;
}

/** Most cited first; among equals a curated short answer before an article, then the newest. */
export function rankCandidates(candidates: readonly SourceCandidate[]): SourceCandidate[] {
  return [...candidates].sort((a, b) => b.citations - a.citations
    || Number(b.question !== undefined) - Number(a.question !== undefined)
    || b.updatedAt - a.updatedAt
    || a.sourceId.localeCompare(b.sourceId));
}

function lastHeading(path: string): string {
  return path.split(HEADING_SEPARATOR).at(-1)!.trim();
}

// English nouns that name a property of something: "What is/are the …?" asks for it.
const ATTRIBUTES = new Set([
  'time', 'times', 'cost', 'costs', 'price', 'prices', 'pricing', 'fee', 'fees', 'charge', 'charges', 'rate', 'rates',
  'hour', 'hours', 'option', 'options', 'method', 'methods', 'limit', 'limits', 'requirement', 'requirements',
  'rule', 'rules', 'term', 'terms', 'condition', 'conditions', 'window', 'policy', 'policies', 'deadline', 'deadlines',
  'period', 'address', 'size', 'sizes', 'status', 'duration', 'steps', 'details', 'benefits', 'plans', 'zones', 'countries',
]);
const DETERMINERS = new Set(['a', 'an', 'the', 'your', 'my', 'our', 'their', 'its', 'this', 'that', 'these', 'those', 'some', 'any', 'us']);
const PREPOSITIONS = new Set(['about', 'for', 'with', 'in', 'on', 'at', 'to', 'from', 'of', 'by', 'before', 'after']);
/** Headings that name a part of every page, not a subject anyone asks about. */
const NOT_TOPICS = new Set([
  'about', 'about us', 'overview', 'introduction', 'summary', 'home', 'faq', 'faqs', 'help', 'more', 'read more',
  'see also', 'related articles', 'contents', 'table of contents', 'menu', 'navigation', 'footer',
]);

/**
 * A question a visitor might ask about a topic (a heading or title), in the topic's language; undefined
 * when the text makes no topic (empty, a whole sentence). A heading that is a question already is kept.
 */
export function questionFromTopic(topic: string, language: string): string | undefined {
  const text = topic.replace(/\s+/g, ' ').trim().replace(/^(\d+[.)]|step \d+[.:)]?)\s*/i, '').replace(/[.:;!]+$/, '');
  if (!text || text.length > MAX_TOPIC_CHARS || !/\p{L}/u.test(text) || NOT_TOPICS.has(text.toLowerCase())) return undefined;
  if (/[?？]$/.test(text)) return text;
  if (language !== 'en') return GENERIC[language]?.(asObject(text, language)) ?? text;

  const words = text.split(' ');
  const first = words[0]!.toLowerCase();
  const rest = ownedByVisitor(words.slice(1).join(' '));
  // "How to track an order" → "How do I track an order?"; "How returns work" → "How do returns work?" is
  // beyond a template, so any other "How/What/Why …" topic is asked as it stands.
  if (first === 'how' && words[1]?.toLowerCase() === 'to') return `How do I ${ownedByVisitor(words.slice(2).join(' '))}?`;
  if (['how', 'what', 'why', 'when', 'where', 'which', 'who', 'can', 'do', 'does', 'is', 'are'].includes(first)) return `${capitalise(ownedByVisitor(text))}?`;
  if (words[1] && DETERMINERS.has(words[1].toLowerCase()) && !PREPOSITIONS.has(first)) {
    // "Resetting your password", "Using a gift card": an action the visitor wants help with.
    if (/^\p{L}{2,}ing$/u.test(first) && first !== 'bring') return `Can you help me with ${first} ${rest}?`;
    // "Track your order", "Contact us": what the page tells the visitor to do.
    return `How do I ${first} ${rest.replace(/\bus\b/gi, 'you')}?`;
  }
  const phrase = asObject(text, 'en');
  const head = words.at(-1)!.toLowerCase();
  const plural = /[^su]s$/.test(head) || / and /i.test(text);
  // "Shipping times" → "What are the shipping times?"; "Return window" → "What is the return window?"
  if (ATTRIBUTES.has(head)) return `What ${plural ? 'are' : 'is'} the ${phrase}?`;
  // "Refunds" → "How do refunds work?"; "Loyalty card" → "How does the loyalty card work?"
  return plural ? `How do ${phrase} work?` : `How does the ${phrase} work?`;
}

/** "What should I know about …?" in the other supported languages; the topic is used as it stands. */
const GENERIC: Record<string, (topic: string) => string> = {
  da: (t) => `Hvad skal jeg vide om ${t}?`,
  nl: (t) => `Wat moet ik weten over ${t}?`,
  de: (t) => `Was sollte ich über ${t} wissen?`,
  fr: (t) => `Que dois-je savoir sur « ${t} » ?`,
  es: (t) => `¿Qué debo saber sobre ${t}?`,
};

/**
 * The topic inside a sentence: its first word in lower case unless it looks like a name or an acronym
 * ("EU shipping", "iPhone repairs"); German keeps every capital (its nouns are capitalised).
 */
function asObject(text: string, language: string): string {
  if (language === 'de') return text;
  const [first = '', ...rest] = text.split(' ');
  const keep = /^\p{Lu}{2,}/u.test(first) || /^\p{Ll}+\p{Lu}/u.test(first);
  return [keep ? first : first.toLowerCase(), ...rest].join(' ');
}

/** The site speaks to the visitor ("your order"); the visitor's question speaks of their own ("my order"). */
function ownedByVisitor(text: string): string {
  return text.replace(/\byours\b/gi, 'mine').replace(/\byour\b/gi, 'my');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The ways a page's URL may have been stored: without its #fragment, with and without a trailing slash
 * ("/shipping" and "/shipping/" are one page to a visitor). Empty when it is not an http(s) URL.
 */
export function pageUrlVariants(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return [];
  u.hash = '';
  const href = u.href;
  const path = u.pathname;
  const other = path.endsWith('/')
    ? `${u.origin}${path.replace(/\/+$/, '')}${u.search}`
    : `${u.origin}${path}/${u.search}`;
  return [...new Set([href, other, url.replace(/#.*$/, '')])];
}
