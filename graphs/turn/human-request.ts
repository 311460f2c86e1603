/**
 * Does the customer ask for a person? Pure; works on all supported languages at once, because a
 * request for a human must never depend on language detection of a short message.
 *
 * A sentence is a request when it pairs a contact verb ("talk", "tale", "spreken", "sprechen", "parler",
 * "hablar") with any person word, or a first-person wish ("I want", "jeg vil", "ich möchte", "je veux", "quiero") with a
 * staff word, or when the whole message is just a staff word ("human please", "Mitarbeiter bitte").
 * Danger: a person word alone ("a staff member", "the delivery agent") is not a request; keep it so.
 */
import { fold } from './words.js';

// Accent-free, lower-case tokens (the text is folded the same way before matching).
const CONTACT_VERBS = new Set([
  // en
  'talk', 'talking', 'speak', 'speaking', 'chat', 'chatting', 'connect', 'transfer', 'contact', 'reach', 'escalate',
  // da
  'tale', 'snakke', 'chatte', 'kontakte', 'kontakt', 'forbinde',
  // nl
  'spreken', 'praten', 'chatten', 'doorverbinden', 'verbinden', 'bellen',
  // de
  'sprechen', 'reden', 'verbinden', 'kontaktieren', 'weiterleiten', 'verbunden',
  // fr
  'parler', 'discuter', 'joindre', 'contacter', 'transferer', 'relation',
  // es
  'hablar', 'conversar', 'contactar', 'comunicarme', 'comunicar', 'pasar', 'pasame', 'pasarme',
]);

/** First-person wishes only: "do I need a staff account?" must not match, "I need an agent" must. */
const WISH = /\b(?:(?:i|we)(?: would| d)? (?:want|need|like)|jeg (?:vil|onsker|har brug)|ik (?:wil|zou graag|heb)|ich (?:mochte|will|brauche|hatte gern|wurde gern)|je (?:veux|voudrais|souhaite|aimerais)|j ai besoin|(?:quiero|quisiera|necesito|me gustaria))\b/;

/** Words that only mean staff or a human being. */
const STAFF_WORDS = new Set([
  'human', 'humans', 'agent', 'representative', 'rep', 'operator', 'staff', 'employee', 'advisor', 'adviser',
  'menneske', 'medarbejder', 'kundeservice', 'supporter', 'radgiver',
  'mens', 'medewerker', 'medewerkster', 'klantenservice',
  'mensch', 'menschen', 'mitarbeiter', 'mitarbeiterin', 'berater', 'beraterin', 'kundenservice', 'kundendienst',
  'humain', 'conseiller', 'conseillere', 'operateur', 'operatrice', 'employe',
  'humano', 'agente', 'asesor', 'asesora', 'operador', 'operadora', 'empleado', 'representante',
]);

/** Words that may mean a person but also other things ("personne" is also "nobody"). */
const PERSON_WORDS = new Set([
  ...STAFF_WORDS,
  'person', 'someone', 'somebody', 'people', 'nogen', 'iemand', 'persoon', 'jemand', 'personne', 'quelqu', 'persona', 'alguien',
]);

const POLITE_WORDS = new Set([
  'a', 'an', 'the', 'real', 'live', 'please', 'pls', 'now', 'et', 'en', 'tak', 'venligst', 'nu', 'een', 'echte', 'alstublieft',
  'graag', 'ein', 'einen', 'echten', 'bitte', 'jetzt', 'un', 'une', 'vrai', 'svp', 'plait', 's', 'il', 'vous', 'una',
  'por', 'favor', 'ya',
]);

/** A staff word used as a modifier ("staff account", "agent login") names a thing, not a person. */
const MODIFIED = new Set(['account', 'accounts', 'member', 'members', 'discount', 'login', 'portal', 'code', 'id', 'number', 'area', 'konto', 'rabat', 'rabatt']);

/** "a real person" is as clear as "a human": folded into one staff word before matching. */
const REAL_PERSON = /\b(?:real|live|actual|rigtig|rigtigt|levende|echt|echte|echten|vraie|vrai|verdadera) (?:person|persoon|personne|persona|menneske|mensch|menschen)\b/g;

/** A long sentence that mentions talking to someone is usually a story, not a request. */
const MAX_SENTENCE_WORDS = 20;

export interface HumanRequest {
  requested: boolean;
  /** The words that matched, for insights. */
  evidence?: string;
}

export function detectHumanRequest(text: string): HumanRequest {
  const folded = (fold(text).match(/\p{L}+|[.!?;\n]/gu) ?? []).join(' ').replace(REAL_PERSON, 'human');
  const sentences = folded.split(/[.!?;\n]+/);
  const allWords = folded.match(/\p{L}+/gu) ?? [];
  if (allWords.length > 0 && allWords.length <= 4 && allWords.some((w) => STAFF_WORDS.has(w))
    && allWords.every((w) => STAFF_WORDS.has(w) || POLITE_WORDS.has(w))) {
    return { requested: true, evidence: allWords.join(' ') };
  }
  for (const sentence of sentences) {
    const words = sentence.match(/\p{L}+/gu) ?? [];
    if (words.length === 0 || words.length > MAX_SENTENCE_WORDS) continue;
    const contact = words.find((w) => CONTACT_VERBS.has(w));
    const person = words.find((w, i) => PERSON_WORDS.has(w) && !MODIFIED.has(words[i + 1] ?? ''));
    if (contact && person) return { requested: true, evidence: `${contact} … ${person}` };
    const wish = WISH.exec(words.join(' '))?.[0];
    const staff = words.find((w, i) => STAFF_WORDS.has(w) && !MODIFIED.has(words[i + 1] ?? ''));
    if (wish && staff) return { requested: true, evidence: `${wish} … ${staff}` };
  }
  return { requested: false };
}
