/**
 * Is a message too vague to answer ("help", "order", "I have a problem", "Hilfe!")? Pure, all supported
 * languages at once. Vague means: nothing is left once greetings, function words and generic nouns are
 * removed. Question words are kept on purpose: "where is my order?" asks something specific.
 */
import { foldedWords, isFunctionWord } from './words.js';

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

export function isVague(text: string): boolean {
  const words = foldedWords(text);
  if (words.length > MAX_VAGUE_WORDS) return false;
  return words.every((w) => isFunctionWord(w) || GENERIC_WORDS.has(w));
}
