/**
 * The offline responder: quotes the parts of the given passages that answer the question, under a
 * lead-in in the reply language. Invariant: apart from the lead-in, list markers and the [n] markers,
 * every character of the reply comes verbatim from a passage, so it cannot state anything the knowledge
 * base does not.
 *
 * A part is a sentence, a list item or a table row. Parts are chosen by the question's key terms they
 * contain and by whether they give the kind of answer asked for (knowledge/question.ts: "how long" → a
 * duration, "how much" → a price, "can I" → what can or cannot be done). A chosen part brings the parts
 * it belongs with: a list with the sentence that introduces it, a table row with the table's header.
 * Sentences are never cut; the part that gives the asked-for answer comes first.
 */
import { conceptsIn, glossesFor } from '../../../knowledge/bridge.js';
import { askedKind, statesKind, type AskedKind } from '../../../knowledge/question.js';
import { toLanguage } from '../../../knowledge/language.js';
import type { Passage } from '../../../knowledge/types.js';
import { messagesFor } from '../messages.js';
import { foldedWords, keyTerms, sameStem } from '../words.js';
import type { Responder, ResponderInput, ResponderOutput } from './types.js';

/** Readable in a chat bubble; a longer answer belongs in the linked source. The first part is always whole. */
const MAX_CHARS = 450;
/** Most pieces (a sentence, or a list or table row with what belongs to it) taken from the first passage. */
const MAX_PIECES_FIRST = 3;
/**
 * A "sentence" longer than this is no sentence (a PDF line without full stops, a run-on table): it is cut
 * at a clause boundary, the only cut ever made.
 */
const MAX_PART_CHARS = 600;

type PartKind = 'sentence' | 'item' | 'row';

interface Part {
  text: string;
  position: number;
  kind: PartKind;
  /** The list or table this part is in; -1 for a sentence of running text. */
  block: number;
  /** The list this sentence introduces (the sentence right before it, or one ending in a colon). */
  introduces?: number;
  /** A table's first row, read as its header. */
  header?: boolean;
  terms: string[];
  /** Gives the kind of answer the question asks for. */
  gives: boolean;
  /** Itself a question ("Not the right fit?"): a lead-in of the article's, not an answer. */
  asks: boolean;
}

interface Context {
  /** The question's key terms and its numbers ("EU size 42"), which only match themselves. */
  terms: string[];
  /**
   * The support concepts (knowledge/bridge.ts) each term names, read in a passage in another language than
   * the reply's: "Gutschein" is found in "gift card". In the customer's own language words match as written.
   */
  termConcepts: Map<string, ReadonlySet<number>>;
  /** English words of each term the concepts do not know, from the system's dictionaries ("cykel": bike). */
  termGlosses: Map<string, readonly string[]>;
  language: string;
  kind: AskedKind | undefined;
}

export function createExtractiveResponder(): Responder {
  return {
    name: 'extractive',
    answer: async (input) => extractiveAnswer(input),
  };
}

export function extractiveAnswer({ question, language, passages }: ResponderInput): ResponderOutput {
  const terms = [...keyTerms(question), ...new Set(question.match(/\d+(?:[.,]\d+)?/g) ?? [])];
  const termConcepts = new Map(terms.map((t) => [t, conceptsIn(t)] as const).filter(([, c]) => c.size > 0));
  const termGlosses = new Map(terms.map((t) => [t, glossesFor(t, language)] as const).filter(([, g]) => g.length > 0));
  const context: Context = { terms, termConcepts, termGlosses, language, kind: askedKind(question) };
  const parts: { number: number; text: string }[] = [];
  const covered = new Set<string>();
  let budget = MAX_CHARS;
  let answered = false;

  passages.forEach((passage, i) => {
    if (budget <= 0) return;
    const all = partsOf(passage, context);
    const chosen = i === 0 ? chooseFirst(all, context, budget) : chooseCompanion(all, context, covered, answered, budget);
    if (chosen.length === 0) return;
    // What the quoted passage's title and heading name is covered too: "shipping" under "Shipping and delivery".
    const label = `${passage.title} ${passage.heading ?? ''}`;
    const named = foldedWords(label);
    const namedConcepts = conceptsOf(passage, label, context);
    context.terms.filter((t) => named.some((w) => sameStem(t, w)) || namesConcept(context, t, namedConcepts)).forEach((t) => covered.add(t));
    for (const p of chosen) p.terms.forEach((t) => covered.add(t));
    answered ||= chosen.some((p) => p.gives);
    const text = render(chosen);
    budget -= text.length;
    parts.push({ number: i + 1, text });
  });

  const first = passages[(parts[0]?.number ?? 0) - 1];
  if (!first) return { text: '', citations: [] };
  const m = messagesFor(language);
  const citedTitles = new Set(parts.map((p) => passages[p.number - 1]?.title));
  const passageLanguage = toLanguage(first.language);
  const leadIn = citedTitles.size > 1
    ? m.found()
    : passageLanguage && passageLanguage !== language
      ? m.foundInOtherLanguage({ title: m.quote(first.title), language: m.languageNames[passageLanguage] })
      : m.foundIn({ title: m.quote(first.title) });
  const body = parts.map((p) => `${p.text} [${p.number}]`).join('\n');
  return { text: `${leadIn}\n${body}`, citations: parts.map((p) => p.number) };
}

/**
 * How well a part answers: each key term it names, one more when it gives the kind of answer asked for
 * (a can-or-cannot counts only beside a key term: "not" alone answers nothing), less when it is itself a question.
 */
function scoreOf(p: Part, context: Context): number {
  const gives = p.gives && (context.kind !== 'yesno' || p.terms.length > 0) ? 1 : 0;
  return p.terms.length + gives - (p.asks ? 0.5 : 0);
}

/**
 * The best-scoring parts with what belongs to them, up to MAX_PIECES_FIRST and the budget (the first always
 * whole); the opening parts when none scores. The piece that gives the asked-for answer leads; the others
 * follow in reading order.
 */
function chooseFirst(all: Part[], context: Context, budget: number): Part[] {
  // A table's header comes with a row; it is quoted alone only when no row or sentence answers.
  const answering = all.map((p) => ({ p, s: scoreOf(p, context) })).filter((x) => x.s > 0);
  const scored = answering.some((x) => !x.p.header) ? answering.filter((x) => !x.p.header) : answering;
  const ranked = scored.length
    ? scored.sort((a, b) => b.s - a.s || a.p.position - b.p.position).map((x) => x.p)
    : all.filter((p) => !p.asks).slice(0, 2);
  const pieces: Part[][] = [];
  const taken = new Set<Part>();
  // Per table, the key terms of the row taken from it that its header does not name ("e-bike" in "How
  // long does an e-bike service take?", where "service" heads a column): another row without them is
  // another line of the table, not the answer.
  const singledOut = new Map<number, string[]>();
  let used = 0;
  for (const part of ranked) {
    if (pieces.length >= MAX_PIECES_FIRST) break;
    if (taken.has(part)) continue;
    if (part.kind === 'row' && singledOut.get(part.block)?.some((t) => !part.terms.includes(t))) continue;
    const piece = pieceOf(part, all, budget - used).filter((p) => !taken.has(p));
    const cost = length(piece);
    if (pieces.length > 0 && used + cost > budget) continue;
    pieces.push(piece);
    piece.forEach((p) => taken.add(p));
    used += cost + 1;
    if (part.kind === 'row' && !part.header && !singledOut.has(part.block)) {
      const header = all.find((p) => p.block === part.block && p.header);
      singledOut.set(part.block, part.terms.filter((t) => !header?.terms.includes(t)));
    }
  }
  // A time, price or amount leads; a can-or-cannot is too loose a sign to reorder by.
  const lead = context.kind && context.kind !== 'yesno' ? pieces.findIndex((piece) => piece.some((p) => p.gives)) : -1;
  const rest = pieces.filter((_, i) => i !== lead).flat().sort((a, b) => a.position - b.position);
  return lead >= 0 ? [...pieces[lead]!.sort((a, b) => a.position - b.position), ...rest] : rest;
}

/**
 * A further passage adds its best piece only if it covers a key term not yet covered, or gives the kind
 * of answer asked for when nothing before did.
 */
function chooseCompanion(all: Part[], context: Context, covered: Set<string>, answered: boolean, budget: number): Part[] {
  const best = all
    .map((p) => ({ p, fresh: p.terms.filter((t) => !covered.has(t)).length + (!answered && p.gives && p.terms.length > 0 ? 1 : 0) }))
    .filter((x) => x.fresh > 0 && !x.p.asks)
    .sort((a, b) => b.fresh - a.fresh || scoreOf(b.p, context) - scoreOf(a.p, context) || a.p.position - b.p.position)[0];
  if (!best) return [];
  const piece = pieceOf(best.p, all, budget);
  return length(piece) <= budget ? piece : [];
}

/**
 * A part with what it belongs with: a list item with its introducing sentence and, when they fit, the
 * other items; a sentence introducing a list with the list; a table row with the header row.
 */
function pieceOf(part: Part, all: readonly Part[], room: number): Part[] {
  const block = part.kind === 'sentence' ? part.introduces : part.block;
  if (block === undefined) return [part];
  const members = all.filter((p) => p.block === block);
  if (part.kind === 'row') {
    const header = members.find((p) => p.header);
    if (header !== part) return header ? [header, part] : [part];
    // The header itself answers ("What are your prices?" over "Service | Price | Time"): the table is
    // the answer, its rows as far as they fit; a header alone says nothing.
    const rows: Part[] = [part];
    for (const row of members) if (row !== part && length([...rows, row]) <= room) rows.push(row);
    return rows;
  }
  const intro = all.find((p) => p.introduces === block);
  const whole = [...(intro ? [intro] : []), ...members];
  if (length(whole) <= room) return whole;
  return [...(intro && intro !== part ? [intro] : []), part];
}

function length(parts: readonly Part[]): number {
  return parts.reduce((n, p) => n + p.text.length + 1, 0);
}

/** Running text joined by spaces, each list item and table row on its own line. */
function render(parts: readonly Part[]): string {
  let out = '';
  parts.forEach((p, i) => {
    const prev = parts[i - 1];
    const line = p.kind === 'item' ? `- ${p.text}` : p.text;
    out += i === 0 ? line : p.kind === 'sentence' && prev?.kind === 'sentence' ? ` ${line}` : `\n${line}`;
  });
  return out;
}

const ITEM = /^\s*(?:[-*•–]|\d+[.)])\s+/;
const TABLE_RULE = /^[\s|:+-]+$/;

function partsOf(passage: Passage, context: Context): Part[] {
  const skip = new Set([passage.title, passage.heading ?? ''].map((t) => t.trim().toLowerCase()));
  const lines = passage.text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*#{1,6}\s+/, '').trim())
    .filter((line) => line && !TABLE_RULE.test(line) && !skip.has(line.toLowerCase()));
  const parts: Omit<Part, 'terms' | 'gives' | 'asks'>[] = [];
  let block = -1;
  let blocks = 0;
  let previous: PartKind | undefined;
  for (const line of lines) {
    const kind: PartKind = ITEM.test(line) ? 'item' : cellsOf(line) ? 'row' : 'sentence';
    if (kind !== 'sentence') {
      if (kind !== previous) {
        block = blocks++;
        // The sentence right before a list introduces it.
        const last = parts.at(-1);
        if (kind === 'item' && last?.kind === 'sentence') last.introduces = block;
      }
      parts.push({ text: clean(kind === 'item' ? line.replace(ITEM, '') : line), position: parts.length, kind, block, ...(kind === 'row' && previous !== 'row' ? { header: true } : {}) });
    } else {
      for (const sentence of line.split(/(?<=[.!?])\s+(?=["“„«¿¡(]?[\p{Lu}\d])/u)) {
        const text = clean(sentence);
        if (text) parts.push({ text, position: parts.length, kind: 'sentence', block: -1 });
      }
    }
    previous = kind;
  }
  // A header is only a header when rows follow it.
  for (const p of parts) if (p.header && !parts.some((o) => o !== p && o.block === p.block)) delete p.header;
  return parts.filter((p) => p.text).map((p, position) => {
    const words = foldedWords(p.text);
    const numbers: string[] = p.text.match(/\d+(?:[.,]\d+)?/g) ?? [];
    const concepts = conceptsOf(passage, p.text, context);
    const glossed = toLanguage(passage.language) !== context.language ? context.termGlosses : undefined;
    return {
      ...p,
      position,
      terms: context.terms.filter((t) => (/\d/.test(t) ? numbers.includes(t) : words.some((w) => sameStem(t, w)) || namesConcept(context, t, concepts)
        || !!glossed?.get(t)?.some((g) => words.some((w) => sameStem(g, w))))),
      gives: context.kind !== undefined && statesKind(p.text, context.kind),
      asks: p.kind === 'sentence' && /\?\s*$/.test(p.text),
    };
  });
}

function conceptsOf(passage: Passage, text: string, context: Context): ReadonlySet<number> {
  return context.termConcepts.size > 0 && toLanguage(passage.language) !== context.language ? conceptsIn(text) : new Set<number>();
}

/** Whether a text names a term's support concept, in whatever language: a German term in an English passage. */
function namesConcept(context: Context, term: string, concepts: ReadonlySet<number>): boolean {
  const own = context.termConcepts.get(term);
  return !!own && [...own].some((c) => concepts.has(c));
}

/** A table row's cells ("Size | Chest | Waist"), or undefined for a line that is not one. */
function cellsOf(line: string): string[] | undefined {
  if (!line.includes('|')) return undefined;
  const cells = line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  return cells.length >= 2 && cells.filter(Boolean).length >= 2 ? cells : undefined;
}

/** Bracketed numbers in knowledge text would read as our citation markers; an overlong run is cut at a clause. */
function clean(text: string): string {
  const t = text.replace(/\[\d+\]/g, '').replace(/\s+/g, ' ').trim();
  if (t.length <= MAX_PART_CHARS) return t;
  const head = t.slice(0, MAX_PART_CHARS);
  const clause = Math.max(head.lastIndexOf('; '), head.lastIndexOf(', '), head.lastIndexOf(' – '));
  return `${head.slice(0, clause > MAX_PART_CHARS / 2 ? clause : Math.max(head.lastIndexOf(' '), MAX_PART_CHARS / 2))}…`;
}
