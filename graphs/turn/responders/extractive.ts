/**
 * The offline responder: quotes the sentences of the given passages that share most terms with the
 * question, in their original order, under a lead-in in the reply language. Invariant: apart from the
 * lead-in and the [n] markers, every character of the reply comes verbatim from a passage, so it
 * cannot state anything the knowledge base does not.
 */
import { toLanguage } from '../../../knowledge/language.js';
import type { Passage } from '../../../knowledge/types.js';
import { messagesFor } from '../messages.js';
import { contentTerms, foldedWords, sameStem } from '../words.js';
import type { Responder, ResponderInput, ResponderOutput } from './types.js';

/** Readable in a chat bubble; a longer answer belongs in the linked source. */
const MAX_CHARS = 450;
const MAX_SENTENCES_FIRST = 3;
const MAX_SENTENCE_CHARS = 300;

interface Sentence {
  text: string;
  position: number;
  terms: string[];
}

export function createExtractiveResponder(): Responder {
  return {
    name: 'extractive',
    answer: async (input) => extractiveAnswer(input),
  };
}

export function extractiveAnswer({ question, language, passages }: ResponderInput): ResponderOutput {
  const terms = contentTerms(question);
  const parts: { number: number; text: string }[] = [];
  const covered = new Set<string>();
  let budget = MAX_CHARS;

  passages.forEach((passage, i) => {
    if (budget <= 0) return;
    const sentences = sentencesOf(passage, terms);
    const chosen = i === 0 ? chooseFirst(sentences, budget) : chooseCompanion(sentences, covered, budget);
    if (chosen.length === 0) return;
    for (const s of chosen) s.terms.forEach((t) => covered.add(t));
    const text = chosen.map((s) => s.text).join(' ');
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

/** The best-matching sentences, back in reading order; the opening ones when nothing matches by term. */
function chooseFirst(sentences: Sentence[], budget: number): Sentence[] {
  const matching = sentences.filter((s) => s.terms.length > 0);
  const ranked = matching.length
    ? [...matching].sort((a, b) => b.terms.length - a.terms.length || a.position - b.position)
    : sentences.slice(0, 2);
  return take(ranked, budget, MAX_SENTENCES_FIRST).sort((a, b) => a.position - b.position);
}

/** A further passage adds its best sentence only if it covers a question term not yet covered. */
function chooseCompanion(sentences: Sentence[], covered: Set<string>, budget: number): Sentence[] {
  const best = sentences
    .map((s) => ({ s, fresh: s.terms.filter((t) => !covered.has(t)).length }))
    .filter((x) => x.fresh > 0)
    .sort((a, b) => b.fresh - a.fresh || a.s.position - b.s.position)[0];
  return best ? take([best.s], budget, 1) : [];
}

function take(ranked: Sentence[], budget: number, max: number): Sentence[] {
  const out: Sentence[] = [];
  let used = 0;
  for (const s of ranked) {
    if (out.length >= max) break;
    if (out.length > 0 && used + s.text.length > budget) continue;
    out.push(s);
    used += s.text.length + 1;
  }
  return out;
}

function sentencesOf(passage: Passage, terms: string[]): Sentence[] {
  const skip = new Set([passage.title, passage.heading ?? ''].map((t) => t.trim().toLowerCase()));
  return passage.text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*(?:#{1,6}\s+|[-*•]\s+|\d+[.)]\s+)/, '').trim())
    .filter((line) => line && !skip.has(line.toLowerCase()))
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=["“„«¿¡(]?[\p{Lu}\d])/u))
    // Bracketed numbers in knowledge text would read as our citation markers.
    .map((s) => shorten(s.replace(/\[\d+\]/g, '').trim()))
    .filter((s) => s.length > 0)
    .map((text, position) => {
      const words = foldedWords(text);
      return { text, position, terms: terms.filter((t) => words.some((w) => sameStem(t, w))) };
    });
}

function shorten(sentence: string): string {
  if (sentence.length <= MAX_SENTENCE_CHARS) return sentence;
  const cut = sentence.slice(0, MAX_SENTENCE_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_SENTENCE_CHARS / 2))}…`;
}
