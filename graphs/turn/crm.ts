/**
 * Offline reading of what the customer says about their own contact properties and of buying intent:
 * a question about a property ("what plan am I on?"), a new value for one ("my phone number is …"), a
 * yes or a no to a confirmation, and the wish to buy. Only the customer's own message is read. Pure.
 */
import { foldedWords } from './words.js';

/** "phone_number" → "phone number": how a property is named to the customer. */
export function propertyWords(property: string): string {
  return property.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim();
}

function phraseAt(words: readonly string[], phrase: readonly string[]): number {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}

const QUESTION = /\?\s*$|^\s*(what|which|when|how|do|does|is|hvad|hvilken|hvornår|er|wat|welke|wanneer|welche|was|wann|ist|quel|quelle|quand|est|qué|cuál|cuándo|es)\b/i;

/** The readable property a question asks about, the longest name first ("loyalty tier" over "tier"). */
export function askedProperty(text: string, properties: readonly string[]): string | undefined {
  if (!QUESTION.test(text)) return undefined;
  const words = foldedWords(text);
  return [...properties].sort((a, b) => propertyWords(b).length - propertyWords(a).length)
    .find((p) => phraseAt(words, foldedWords(propertyWords(p))) >= 0);
}

/** Words between a property's name and its new value: "is", "to", ":", in every supported language. */
const INTRODUCERS = new Set(['is', 'to', 'er', 'til', 'naar', 'in', 'ist', 'auf', 'zu', 'est', 'en', 'es', 'a', 'now', 'nu', 'jetzt', 'maintenant', 'ahora', 'should', 'be']);
const MAX_VALUE_LENGTH = 200;

/**
 * A new value the customer gives for one of the writable properties: "my phone number is +45 1234 5678",
 * "please change my company to Acme". Not a question. The value is the text after the property's name
 * and its introducing words, without closing punctuation.
 */
export function statedProperty(text: string, properties: readonly string[]): { property: string; value: string } | undefined {
  if (/\?\s*$/.test(text)) return undefined;
  const lower = text.toLowerCase();
  for (const property of [...properties].sort((a, b) => propertyWords(b).length - propertyWords(a).length)) {
    const name = propertyWords(property);
    const at = lower.indexOf(name);
    if (at < 0) continue;
    const rest = text.slice(at + name.length).split(/\s+/).filter(Boolean);
    while (rest.length > 0 && (INTRODUCERS.has(foldedWords(rest[0]!)[0] ?? '') || /^[:=–-]+$/.test(rest[0]!))) rest.shift();
    const value = rest.join(' ').replace(/^[:=]\s*/, '').replace(/[.!]+$/, '').trim();
    if (value && value.length <= MAX_VALUE_LENGTH) return { property, value };
  }
  return undefined;
}

const YES = new Set(['yes', 'yeah', 'yep', 'sure', 'correct', 'ok', 'okay', 'please', 'ja', 'jo', 'jep', 'gerne', 'gern', 'jawohl', 'oui', 'si', 'sí', 'claro', 'klopt', 'graag', 'yup']);
const NO = new Set(['no', 'nope', 'nej', 'nee', 'nein', 'non', 'nah', 'dont', 'don']);

/** A yes or a no in the first words of a short reply; undefined for anything else. */
export function yesOrNo(text: string): 'yes' | 'no' | undefined {
  const words = foldedWords(text.replace(/[’']/g, ''));
  if (words.length === 0 || words.length > 8) return undefined;
  const first = words.slice(0, 3);
  if (first.some((w) => NO.has(w))) return 'no';
  if (first.some((w) => YES.has(w))) return 'yes';
  return undefined;
}

/** Words that say the customer wants to buy (not merely what something costs, which the knowledge answers). */
const BUYING = [
  'buy', 'purchase', 'pricing', 'quote', 'demo', 'talk to sales', 'sales team', 'sign up', 'subscribe', 'upgrade', 'plans for',
  'kobe', 'kob', 'tilbud', 'abonnement', 'prisoverslag',
  'kopen', 'offerte', 'aanschaffen',
  'kaufen', 'angebot', 'vertrieb', 'abonnieren',
  'acheter', 'devis', 'abonner', 'tarifs',
  'comprar', 'presupuesto', 'cotizacion', 'suscribir', 'ventas',
];

export function showsBuyingIntent(text: string): boolean {
  const folded = ` ${foldedWords(text.replace(/ø/g, 'o').replace(/Ø/g, 'O')).join(' ')} `;
  return BUYING.some((w) => folded.includes(` ${w} `));
}
