/**
 * Is a message too vague to answer ("help", "order", "I have a problem", "Hilfe!")? Pure, all supported
 * languages at once. Vague means: nothing is left once greetings, function words and generic nouns are
 * removed. Question words are kept on purpose: "where is my order?" asks something specific.
 */
import { foldedWords, isFunctionWord, keyTerms } from './words.js';

/** Nouns that name no topic on their own. */
const GENERIC_WORDS = new Set(`
  help problem problems issue issues question questions order orders support info information something thing
  things query trouble assistance service
  hjaelp hjalp problem problemer sporgsmal ordre ordrer bestilling noget hjaelpe hjalpe
  hulp probleem problemen vraag vragen bestelling iets helpen
  hilfe problem probleme frage fragen bestellung etwas helfen
  aide probleme problemes question questions commande souci soucis chose quelque aider
  ayuda problema problemas pregunta preguntas pedido duda dudas algo ayudar consulta
`.trim().split(/\s+/));

/** Longer messages carry enough context even when every word is generic. */
const MAX_VAGUE_WORDS = 8;

/** A pronoun standing for a subject the message never names: "how much does it cost?", "hvad koster det?". */
const BARE_PRONOUNS = new Set('it this that det dette den het dat dit es das dies ca cela ceci lo eso esto'.split(' '));
/** Short enough that a pronoun is its subject, not a reference inside a described situation. */
const MAX_PRONOUN_QUESTION_WORDS = 6;

export function isVague(text: string): boolean {
  const words = foldedWords(text);
  if (words.length > MAX_VAGUE_WORDS) return false;
  if (words.every((w) => isFunctionWord(w) || GENERIC_WORDS.has(w))) return true;
  // "How long does it take?", "How much does it cost?": at most one topic-less term, about "it".
  return words.length <= MAX_PRONOUN_QUESTION_WORDS && words.some((w) => BARE_PRONOUNS.has(w))
    && keyTerms(text).filter((w) => !GENERIC_WORDS.has(w)).length <= 1 && !/\d/.test(text);
}
