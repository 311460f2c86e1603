import { QUESTION_SHAPE_WORDS } from '../../knowledge/question.js';

/**
 * Word-level helpers shared by the graph's heuristics. Words are folded (lower case, accents removed,
 * Danish æ/ø mapped to ae/o) so the lists below can stay ASCII and match text typed without accents.
 */

export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o');
}

export function foldedWords(text: string): string[] {
  return fold(text).match(/\p{L}+/gu) ?? [];
}

/** Pronouns, articles, auxiliaries, prepositions, greetings and courtesy in all supported languages. */
const FUNCTION_WORDS = new Set(`
  i me my mine you your we our us it its a an the is are was am be been have has had do does did to of in on at for
  with about from by and or but so just some any this that there here please pls thanks thank thx ok okay hi hello hey
  dear yes no can could would should will got get need want im ive
  jeg mig min mit mine du din dit vi vores det den en et er var har have og eller men med om til fra pa af i for
  hej hejsa tak venligst ja nej kan vil skal gerne lige bare fa
  ik mij mijn je jij jou jouw jullie u uw we wij ons onze het de een is was ben heb heeft hebben en of maar met over van voor naar op in
  aan bij hallo hoi dag bedankt dank alstublieft graag ja nee kan wil moet even
  ich mich mir mein meine meinen meinem meiner du dein sie ihr wir uns unser es der die das den dem des ein eine einen
  einem einer ist bin sind war habe hat haben und oder aber mit uber von fur zu zum zur auf in im an am bei hallo
  guten tag danke bitte ja nein kann will mochte
  je j moi me m mon ma mes tu te vous votre vos nous notre nos il elle c ce ca le la les l un une des du de d est suis
  ai a avons avez ont et ou mais avec sur pour dans par au aux bonjour salut merci svp plait oui non peux veux voudrais
  yo me mi mis tu usted su sus nosotros nuestro el la lo los las un una unos unas es soy estoy esta tengo tiene hay y o
  pero con sobre de del para por en a al hola buenas buenos dias gracias favor si no puedo quiero necesito
`.trim().split(/\s+/));

/** Question words: they make a question specific, but they are not search terms. */
const QUESTION_WORDS = new Set(`
  what where when why how who which whats wheres hvad hvor hvornar hvorfor hvordan hvem hvilken hvilke
  wat waar wanneer waarom hoe wie welke welk was wo wann warum wie wer welche welcher wieso
  que quoi ou quand pourquoi comment qui quel quelle quels quelles est ce donde cuando como cual cuales quien
  porque cuanto cuanta cuantos
`.trim().split(/\s+/));


/** Question words that name what is asked for ("where", "which") and are matched against FAQ-style headings. */
const HEADING_QUESTION_WORDS = new Set(`
  where when which why who hvor hvornar hvorfor hvem hvilken hvilke waar wanneer waarom welke wo wann warum wer welche
  quand pourquoi qui quel quelle donde cuando quien cual
`.trim().split(/\s+/));

export function isQuestionWord(folded: string): boolean {
  return QUESTION_WORDS.has(folded);
}

export function isFunctionWord(folded: string): boolean {
  return FUNCTION_WORDS.has(folded);
}

/** Words worth searching for: no function or question words, at least three letters. */
export function contentTerms(text: string): string[] {
  return [...new Set(foldedWords(text).filter((w) => w.length >= 3 && !FUNCTION_WORDS.has(w) && !QUESTION_WORDS.has(w)))];
}

/**
 * The terms that say what a question is about: its content terms without the words that only shape a
 * question about an amount or a duration (knowledge/question.ts), which name no topic.
 */
export function keyTerms(text: string): string[] {
  return contentTerms(text).filter((w) => !QUESTION_SHAPE_WORDS.has(w));
}

/** The question words of a question that an FAQ heading may repeat ("Where is my order?"). */
export function headingQuestionWords(text: string): string[] {
  return [...new Set(foldedWords(text).filter((w) => HEADING_QUESTION_WORDS.has(w)))];
}

/** Loose stem match: "take" ~ "takes", "levering" ~ "leveringstid", "card" !~ "care". */
export function sameStem(a: string, b: string): boolean {
  const n = Math.min(5, a.length, b.length);
  return n >= 3 && a.slice(0, n) === b.slice(0, n);
}
