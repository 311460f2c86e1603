/**
 * What kind of answer a question asks for, in every supported language, and whether a text gives one.
 * Pure. "How long does shipping take?" asks for a duration: "long" and "take" shape the question but
 * name no topic, so the full-text search leaves them out (a passage about a carrier that "takes the
 * parcel" is no better for having that word), and the passage and sentence that state a duration
 * ("1 to 2 working days") are the answer. The same for a price, a time, an amount, a reason, a yes or no.
 */
import { conceptsIn, fold } from './bridge.js';
import { isCommonWord } from './language.js';

export type AskedKind = 'duration' | 'price' | 'time' | 'number' | 'reason' | 'yesno';

const ASKS_REASON = /\b(?:why|how come|hvorfor|waarom|warum|wieso|weshalb|pourquoi|por que|porque)\b/;
const ASKS_DURATION = /\b(?:how (?:long|soon|quickly|fast)|how many (?:days|weeks|hours|minutes|months|years)|hvor (?:lang|langt|laenge|hurtigt|mange dage)|hoe (?:lang|snel)|hoeveel dagen|wie (?:lange?|schnell)|wie viele tage|combien de (?:temps|jours)|cuanto (?:tarda|tardan|tiempo|dura|duran)|cuantos dias)\b/;
const ASKS_PRICE = /\b(?:how much|what (?:does|do|will) .{0,40}\bcost|what (?:is|are) the (?:price|cost|fee)s?|hvad koster|hvor meget koster|hvad er prisen|wat kost|hoeveel kost|wat is de prijs|was kostet|wie viel kostet|was sind die kosten|combien (?:coute|coutent)|quel est le prix|cuanto (?:cuesta|cuestan|vale|valen)|cual es el precio)\b/;
const ASKS_TIME = /\b(?:when|what (?:year|time|date|day|month|century|decade)|in which (?:year|month|century|decade)|hvornar|hvilket ar|wanneer|in welk jaar|wann|in welchem jahr|quand|en quelle annee|cuando|en que ano)\b/;
const ASKS_NUMBER = /\b(?:how (?:many|much|old|far|big|often)|what (?:percentage|share|proportion|number|amount)|hvor (?:mange|meget|gammel|tit|ofte)|hoeveel|hoe (?:oud|ver|vaak)|wie (?:viele?|alt|weit|oft)|combien|cuant[oa]s?)\b/;

/** Words a yes/no question opens with. */
const YES_NO_OPENERS = new Set(`
  can could may might is are am was were do does did will would should shall has have isnt arent dont doesnt cant
  kan kunne ma er var har vil skal gar findes
  mag mogen zijn ben heb hebt heeft wil moet kun kunt zal zou gaat
  kann konnen darf durfen ist sind bin habe hat haben muss mussen gibt wird werden soll
  puis peut peux peuvent est sont ai avez faut dois
  puedo puede pueden es son hay tengo tiene debo se
`.trim().split(/\s+/));

/**
 * Words that only shape a question about an amount or a duration ("how long does it take", "hvor lang
 * tid tager", "wie lange dauert"), or about a topic as a whole ("how does the loyalty card work?", "was
 * sollte ich über den Versand wissen?", as the suggested questions ask): content words to full text, but
 * they name no topic. Taken as a topic, "work" chose "We usually answer within 2 working days." to answer
 * "How do warranty and repairs work?".
 */
export const QUESTION_SHAPE_WORDS = new Set(`
  work works know vide weten wissen savoir saber
  long much many often soon take takes taking last lasts
  lang lange laenge tid tager varer meget mange
  duurt duren lang lange veel hoeveel vaak
  lange dauert dauern viel viele oft
  combien temps prend faut longtemps
  cuanto cuantos cuanta tiempo tarda tardan
`.trim().split(/\s+/));

function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The kind of answer the question asks for; undefined for an open question ("what", "how do I"). */
export function askedKind(question: string): AskedKind | undefined {
  const all = words(question);
  const q = ` ${all.join(' ')} `;
  if (ASKS_REASON.test(q)) return 'reason';
  if (ASKS_DURATION.test(q)) return 'duration';
  if (ASKS_PRICE.test(q)) return 'price';
  if (ASKS_TIME.test(q)) return 'time';
  if (ASKS_NUMBER.test(q)) return 'number';
  return isYesNoQuestion(question) ? 'yesno' : undefined;
}

/** A question opening with a verb ("Can I…", "Kan jeg…", "Ist…"): answered by yes or no. */
export function isYesNoQuestion(question: string): boolean {
  const first = words(question)[0];
  return first !== undefined && YES_NO_OPENERS.has(first);
}

/**
 * The question as a full-text search should read it: without the words that only shape a question about
 * an amount or a duration, when it has other words left. Other questions are returned as they are.
 */
export function searchText(question: string): string {
  const kind = askedKind(question);
  if (kind !== 'duration' && kind !== 'price' && kind !== 'number') return question;
  const kept = (question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).filter((w) => !QUESTION_SHAPE_WORDS.has(fold(w)));
  // A topic word: not a function word, or a support concept ("shipping" is common, but it is the topic).
  const topical = kept.filter((w) => w.length >= 3 && (!isCommonWord(fold(w)) || conceptsIn(w).size > 0));
  return topical.length > 0 ? kept.join(' ') : question;
}

const NUMBER_WORDS = new Set(`
  one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred thousand half dozen
  en et to tre fire fem seks syv otte ni ti tolv tyve hundrede tusind halv
  een twee drie vier vijf zes zeven acht negen tien twaalf twintig honderd duizend
  ein eine zwei drei vier funf sechs sieben acht neun zehn zwolf zwanzig hundert tausend halb
  un une deux trois quatre cinq six sept huit neuf dix douze vingt cent mille demi
  uno una dos tres cuatro cinco seis siete ocho nueve diez doce veinte cien mil medio
`.trim().split(/\s+/));

/** Units of a duration, folded; a word is one when it is the unit or the unit with a plural or case ending. */
const DURATION_UNITS = `
  second minute hour day week month year
  sekund minut time dag hverdag uge maned ar
  seconde minuut uur werkdag weke maand jaar
  sekunde stunde tag werktag woche monat jahr
  heure jour semaine mois an annee
  segundo minuto hora dia semana mes ano
`.trim().split(/\s+/);
const UNIT_ENDINGS = ['', 's', 'e', 'en', 'er', 'es', 'n', 'ne', 'ene'];
/** Durations said without a number: "the same day", "the next working day", "straks". */
const DURATION_PHRASES = /\b(?:same day|next (?:working |business )?day|immediately|right away|samme dag|naeste hverdag|straks|dezelfde dag|volgende werkdag|direct|gleichen tag|nachsten werktag|sofort|le jour meme|le lendemain|el mismo dia|al dia siguiente)\b/;

const CURRENCY = /[€$£¥]|\b(?:dkk|eur|usd|gbp|sek|nok|chf|kr|kroner|krone|euro|euros|dollar|dollars|pounds?)\b|\d\s*,-/;
const FREE = /\b(?:free|gratis|kostenlos|gratuit|gratuite|gratuito|gratuita|umsonst)\b/;
const MONTHS_AND_DAYS = /\b(?:january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mandag|tirsdag|onsdag|torsdag|fredag|lordag|sondag|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miercoles|jueves|viernes|sabado|domingo|weekday|weekend|hverdag|werkdag|werktag|today|tomorrow)\b/;
const CLOCK = /\b\d{1,2}[:.]\d{2}\b|\b(?:1[5-9]|20)\d{2}\b|\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b|\b(?:am|pm|klokken|kl|uhr|heures?|h)\b/;
const REASON_WORDS = /\b(?:because|since|reason|due to|therefore|so that|in order to|prevent|avoid|fordi|derfor|grund|arsag|for at|undga|omdat|doordat|daarom|want|reden|zodat|voorkomen|weil|deshalb|daher|wegen|grund|damit|vermeiden|parce|car|raison|afin|eviter|porque|debido|razon|para evitar)\b/;
/** Words that say whether something can or cannot be done: what a yes/no question is answered by. */
const PERMISSION = /\b(?:can|cannot|cant|may|must|only|not|never|allowed|possible|unfortunately|kan|kun|ikke|aldrig|skal|ma|muligt|desvaerre|kunt|niet|nooit|mag|moet|alleen|mogelijk|helaas|kann|konnen|nicht|nie|darf|muss|nur|moglich|leider|peut|pouvez|pas|jamais|doit|seulement|possible|malheureusement|puede|puedes|pueden|nunca|debe|solo|posible|lamentablemente)\b/;

function isDurationUnit(word: string): boolean {
  return DURATION_UNITS.some((u) => UNIT_ENDINGS.some((e) => word === u + e)) || /(?:dag|tag|day)(?:e|en|s)?$/.test(word) && word.length <= 10;
}

function isNumber(word: string): boolean {
  return /\d/.test(word) || NUMBER_WORDS.has(word);
}

/** Whether the text gives the kind of answer asked for: a duration, a price, a time, a number, a reason, a can or cannot. */
export function statesKind(text: string, kind: AskedKind): boolean {
  const ws = words(text);
  const t = ` ${ws.join(' ')} `;
  const duration = () => DURATION_PHRASES.test(t) || ws.some((w, i) => isDurationUnit(w) && ws.slice(Math.max(0, i - 4), i).some(isNumber));
  switch (kind) {
    case 'duration':
      return duration();
    case 'price':
      return CURRENCY.test(fold(text)) || FREE.test(t);
    case 'time':
      // "Within 5 working days" answers "when" as well as a date does.
      return MONTHS_AND_DAYS.test(t) || CLOCK.test(fold(text)) || duration();
    case 'number':
      return ws.some(isNumber);
    case 'reason':
      return REASON_WORDS.test(t);
    case 'yesno':
      return PERMISSION.test(t);
  }
}

/** Heading words that name a duration ("Delivery times", "Leveringstid", "Lieferzeit") or a price ("Shipping costs", "Fragtpris"). */
const KIND_HEADINGS: Partial<Record<AskedKind, { words: Set<string>; heads: RegExp }>> = {
  duration: {
    words: new Set('time times duration durations tid tider zeit zeiten tijd tijden delai delais duree plazo plazos tiempo tiempos'.split(' ')),
    heads: /(?:tid|zeit|tijd|dauer)$/,
  },
  price: {
    words: new Set('cost costs price prices pricing fee fees charge charges pris priser kosten preis preise prijs prijzen prix tarif tarifs frais precio precios coste costes gastos tarifa tarifas'.split(' ')),
    heads: /(?:pris|priser|kosten|preis|preise|prijs|gebuhr|gebuhren)$/,
  },
};

/** Whether a title or heading names the kind of answer asked for. */
export function namesKind(heading: string, kind: AskedKind | undefined): boolean {
  const names = kind === undefined ? undefined : KIND_HEADINGS[kind];
  return !!names && words(heading).some((w) => names.words.has(w) || names.heads.test(w));
}
