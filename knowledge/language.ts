/**
 * Language of short customer messages for the six supported languages, and the PostgreSQL text-search
 * configuration for a language. Pure and synchronous: profiles are built once at module load from
 * constant data and never mutated afterwards.
 *
 * Scoring: each word found in a language's function-word list, each distinctive letter, and each
 * character trigram from a language's profile adds evidence to that language, divided by the number of
 * languages sharing the feature (so "de", "en", "in" count little). A language wins only with enough
 * evidence and a clear lead over the runner-up; otherwise the answer is undefined.
 */
import { SUPPORTED_LANGUAGES, type Language } from './types.js';

export interface DetectedLanguage {
  language: Language | undefined;
  /** 0..1: the winner's lead over the runner-up, scaled by how much evidence there was. */
  confidence: number;
}

export type TsConfig = 'english' | 'danish' | 'dutch' | 'german' | 'french' | 'spanish' | 'simple';

// Function words and the commonest customer-service words. Shared words are fine: they are weighted down.
const WORDS: Record<Language, string> = {
  en: `the a an and or but is are was were be been being am i you he she it we they me my your our their its this that
    these those what where when why how who which whom can could would should will shall do does did done not no yes
    please thanks thank hi hello hey to of in on at for with from by about into there here have has had get got need
    want just still yet any some if than then so too also very much many more my mine yours order orders ordered
    password account refund delivery shipping shipped arrive arrived help talk speak someone human return item
    haven hasn didn don doesn isn aren won can't cannot t s m ll re ve d`,
  da: `jeg du han hun det den vi de dem mig dig sig min mit mine din dit dine hans hendes vores jeres deres er var
    været har have havde hvor hvordan hvad hvornår hvorfor hvem hvilken hvilket hvilke kan kunne vil ville skal skulle
    må måtte ikke ja nej tak hej og eller men med til fra på af for om i en et at som der her også bare gerne venligst
    nogen noget ingen stadig endnu ud op hos efter før mere meget nu lige så hvis når jo nok bliver blev blive får fik
    pakke pakken ordre ordren bestilling bestillingen levering leveringen adgangskode adgangskoden konto kontoen faktura
    hjælp tale snakke menneske medarbejder tid tager lang kommer modtaget ændre bruge bruger`,
  nl: `ik jij je jullie u hij zij ze het de een en of maar is zijn was waren ben bent heb hebt heeft hebben wat waar wanneer
    waarom hoe wie welke welk kan kunt kun kunnen wil wilt willen zou zouden moet moeten niet geen ja nee dank bedankt
    alstublieft alsjeblieft graag hallo hoi met van voor naar op in aan uit bij over om te dat die deze dit er hier nog
    al ook mijn jouw uw ons onze hun wordt worden werd kom komt krijg krijgen nu even toch wel dan als zo veel
    bestelling bestellingen besteld wachtwoord levering bezorging bezorgd pakket retour retourneren terugbetaling
    factuur hulp medewerker spreken praten iemand lang duurt duren ontvangen wijzigen`,
  de: `ich du er sie es wir ihr mich mir dich dir sich mein meine meinen meinem meiner dein deine unser unsere ist
    sind war waren bin bist hat habe haben hatte wo wie was wann warum wer welche welcher welches kann kannst können
    könnte möchte möchten will wollen soll sollte muss müssen nicht kein keine keinen ja nein danke bitte hallo und oder
    aber mit von zu zum zur für auf im an am aus bei über um der die das den dem des ein eine einen einem einer dass
    noch schon auch hier da wird werden wurde bekomme bekommen nur mal doch wenn dann sehr viel lange dauert
    bestellung bestellungen bestellt passwort konto lieferung versand paket rücksendung rückerstattung rechnung hilfe
    mitarbeiter mitarbeiterin sprechen jemand erhalten ändern zurücksetzen eines`,
  fr: `je tu il elle on nous vous ils elles me moi te toi mon ma mes ton ta tes votre vos notre nos leur leurs est
    sont était suis es ai as avons avez ont où comment quoi quand pourquoi qui quel quelle quels quelles peux peut
    pouvez pouvons veux veut voulez voudrais dois doit ne pas non oui merci bonjour salut et ou mais avec de du des le
    la les un une au aux pour sur dans par que qu ce cette ces ici encore aussi très plus si j l d n c s m
    commande commandé commandée mot passe compte livraison livré colis retour remboursement facture aide conseiller
    parler quelqu reçu changer modifier délai jours combien puis pouvez besoin svp vos être fait faire`,
  es: `yo tú tu él ella usted ustedes nosotros ellos ellas me mi mis te su sus nuestro nuestra es son era estoy está
    están soy he ha han hay dónde donde cómo como qué que cuándo cuando por quién cuál puedo puede pueden podría
    quiero quiere quisiera debo no sí si gracias hola y o pero con de del el la los las un una al para en sobre este
    esta esto ese esa aquí todavía también muy más ya cuánto cuanto tarda tiempo días
    pedido pedidos contraseña cuenta envío entrega paquete devolución reembolso factura ayuda persona hablar alguien
    agente recibido cambiar envio envios hacen tienen tiene hace necesito puedes favor contrasena tambien aqui`,
};

// Customer-service prose written for this profile: its character trigrams catch content words the lists miss.
const SAMPLES: Record<Language, string> = {
  en: `Where is my order? It has not arrived yet and the tracking page shows nothing. How long does delivery take
    to my country? I would like to return these shoes because they are too small. Can you send me a new invoice with
    my company address? I forgot my password and the reset email never came. Please cancel my subscription before
    the next payment. The item was damaged when it arrived, what should I do? Do you ship internationally and how much
    does shipping cost? I was charged twice for the same purchase. Thank you for your help, that answered my question.`,
  da: `Hvor er min pakke? Den er ikke kommet endnu, og sporingen viser ingenting. Hvor lang tid tager levering til
    Danmark? Jeg vil gerne returnere skoene, fordi de er for små. Kan I sende mig en ny faktura med firmaets adresse?
    Jeg har glemt min adgangskode, og mailen med nulstilling kom aldrig. Venligst opsig mit abonnement før næste
    betaling. Varen var beskadiget, da den ankom, hvad skal jeg gøre? Sender I til udlandet, og hvad koster fragten?
    Jeg er blevet trukket to gange for det samme køb. Tusind tak for hjælpen, det besvarede mit spørgsmål.`,
  nl: `Waar is mijn bestelling? Het pakket is nog niet aangekomen en de track en trace laat niets zien. Hoe lang duurt
    de bezorging naar België? Ik wil deze schoenen graag retourneren omdat ze te klein zijn. Kunnen jullie mij een
    nieuwe factuur sturen met het adres van mijn bedrijf? Ik ben mijn wachtwoord vergeten en de e-mail om het te
    herstellen is nooit gekomen. Wilt u mijn abonnement opzeggen voor de volgende betaling? Het artikel was beschadigd
    toen het aankwam, wat moet ik doen? Verzenden jullie ook naar het buitenland en wat kosten de verzendkosten?
    Er is twee keer geld afgeschreven voor dezelfde aankoop. Hartelijk bedankt voor de hulp, mijn vraag is beantwoord.`,
  de: `Wo ist meine Bestellung? Das Paket ist noch nicht angekommen und die Sendungsverfolgung zeigt nichts an. Wie
    lange dauert die Lieferung nach Österreich? Ich möchte diese Schuhe zurückschicken, weil sie zu klein sind. Können
    Sie mir eine neue Rechnung mit der Adresse meiner Firma schicken? Ich habe mein Passwort vergessen und die E-Mail
    zum Zurücksetzen ist nie gekommen. Bitte kündigen Sie mein Abonnement vor der nächsten Zahlung. Der Artikel war
    beschädigt, als er ankam, was soll ich tun? Versenden Sie auch ins Ausland und wie hoch sind die Versandkosten?
    Mir wurde derselbe Einkauf zweimal abgebucht. Vielen Dank für Ihre Hilfe, damit ist meine Frage beantwortet.`,
  fr: `Où est ma commande ? Elle n'est pas encore arrivée et le suivi du colis n'affiche rien. Combien de temps prend
    la livraison vers la Belgique ? Je voudrais retourner ces chaussures parce qu'elles sont trop petites. Pouvez-vous
    m'envoyer une nouvelle facture avec l'adresse de mon entreprise ? J'ai oublié mon mot de passe et l'e-mail de
    réinitialisation n'est jamais arrivé. Veuillez résilier mon abonnement avant le prochain paiement. L'article était
    abîmé à la réception, que dois-je faire ? Livrez-vous à l'étranger et combien coûtent les frais de port ? J'ai été
    débité deux fois pour le même achat. Merci beaucoup pour votre aide, cela répond à ma question.`,
  es: `¿Dónde está mi pedido? Todavía no ha llegado y el seguimiento no muestra nada. ¿Cuánto tarda el envío a
    México? Quisiera devolver estos zapatos porque me quedan pequeños. ¿Pueden enviarme una factura nueva con la
    dirección de mi empresa? Olvidé mi contraseña y nunca recibí el correo para restablecerla. Por favor, cancelen mi
    suscripción antes del próximo pago. El artículo llegó dañado, ¿qué debo hacer? ¿Hacen envíos al extranjero y
    cuánto cuestan los gastos de envío? Me cobraron dos veces la misma compra. Muchas gracias por su ayuda, eso
    responde a mi pregunta.`,
};

// Letters that (among the six) point strongly at one or two languages; weight per occurrence.
const LETTERS: Record<string, Partial<Record<Language, number>>> = {
  æ: { da: 3 }, ø: { da: 3 }, å: { da: 3 },
  ß: { de: 3 }, ä: { de: 2 }, ö: { de: 2 }, ü: { de: 2 },
  ñ: { es: 3 }, '¿': { es: 3 }, '¡': { es: 3 }, á: { es: 2 }, í: { es: 2 }, ó: { es: 2 }, ú: { es: 2 },
  è: { fr: 2 }, ê: { fr: 2 }, à: { fr: 2 }, ç: { fr: 2 }, ù: { fr: 2 }, û: { fr: 2 }, î: { fr: 2 }, ô: { fr: 2 },
  œ: { fr: 3 }, â: { fr: 2 }, ë: { fr: 1, nl: 1 }, é: { fr: 1.5, es: 0.5, nl: 0.3 },
};

const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.2;
/** Trigrams in more languages than this carry no signal worth counting. */
const TRIGRAM_MAX_SHARED = 2;
/** Below this much evidence for the winner, the message is too short to tell ("hi", "ok", "thanks"). */
const MIN_EVIDENCE = 1.6;
/** The winner must lead the runner-up by this share of its own score. */
const MIN_MARGIN = 0.3;
/** Evidence at which confidence stops growing with length. */
const FULL_EVIDENCE = 4;

const LANGS: readonly Language[] = SUPPORTED_LANGUAGES;

/** Lower-cased words of letters only; apostrophes split ("don't" → "don", "t"; "l'adresse" → "l", "adresse"). */
export function tokenize(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(/\p{L}+/gu) ?? [];
}

function trigramsOf(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  }
  return out;
}

/** feature → languages that have it; built once. */
function indexFeatures(perLang: Record<Language, readonly string[]>): Map<string, Language[]> {
  const index = new Map<string, Language[]>();
  for (const lang of LANGS) {
    for (const f of new Set(perLang[lang])) {
      const langs = index.get(f);
      if (langs) langs.push(lang);
      else index.set(f, [lang]);
    }
  }
  return index;
}

const WORD_INDEX = indexFeatures(
  Object.fromEntries(LANGS.map((l) => [l, tokenize(WORDS[l])])) as Record<Language, string[]>,
);
const TRIGRAM_INDEX = indexFeatures(
  Object.fromEntries(LANGS.map((l) => [l, trigramsOf(tokenize(SAMPLES[l]))])) as Record<Language, string[]>,
);

/** True when the word is a function word (or very common service word) in any supported language. */
export function isCommonWord(word: string): boolean {
  return WORD_INDEX.has(word.toLowerCase());
}

export function languageScores(text: string): Record<Language, number> {
  const scores = Object.fromEntries(LANGS.map((l) => [l, 0])) as Record<Language, number>;
  const words = tokenize(text);
  for (const w of words) {
    const langs = WORD_INDEX.get(w);
    if (langs) for (const l of langs) scores[l] += WORD_WEIGHT / langs.length;
  }
  for (const t of trigramsOf(words)) {
    const langs = TRIGRAM_INDEX.get(t);
    if (langs && langs.length <= TRIGRAM_MAX_SHARED) for (const l of langs) scores[l] += TRIGRAM_WEIGHT / langs.length;
  }
  for (const ch of text.normalize('NFC').toLowerCase()) {
    const weights = LETTERS[ch];
    if (weights) for (const [l, w] of Object.entries(weights) as [Language, number][]) scores[l] += w;
  }
  return scores;
}

export function detectLanguage(text: string): DetectedLanguage {
  const ranked = Object.entries(languageScores(text)).sort((a, b) => b[1] - a[1]) as [Language, number][];
  const [best, second] = ranked;
  if (!best || !second || best[1] < MIN_EVIDENCE) return { language: undefined, confidence: 0 };
  const margin = (best[1] - second[1]) / best[1];
  const confidence = round(margin * Math.min(1, best[1] / FULL_EVIDENCE));
  if (margin < MIN_MARGIN) return { language: undefined, confidence };
  return { language: best[0], confidence };
}

const TS_CONFIGS: Record<Language, TsConfig> = {
  en: 'english', da: 'danish', nl: 'dutch', de: 'german', fr: 'french', es: 'spanish',
};

/** Accepts a language code or a locale ('da', 'da-DK', 'pt_BR'); anything unsupported gets 'simple'. */
export function tsConfigFor(lang?: string): TsConfig {
  const code = toLanguage(lang);
  return code ? TS_CONFIGS[code] : 'simple';
}

/** The supported language of a code or locale, if any ('de-AT' → 'de', 'sv' → undefined). */
export function toLanguage(codeOrLocale?: string): Language | undefined {
  const primary = codeOrLocale?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.find((l) => l === primary);
}

export interface ReplyLanguageInput {
  text: string;
  /** The customer's earlier messages, newest last: decides when the current one is too short to tell. */
  history?: readonly string[];
  /** Browser or profile locale, e.g. 'da-DK'. */
  locale?: string;
  /** The agent's configured language; when unsupported, English is used. */
  agentDefault: string;
}

/** Message text, then recent customer messages, then the customer's locale, then the agent default. */
export function resolveReplyLanguage({ text, history = [], locale, agentDefault }: ReplyLanguageInput): Language {
  const fromText = detectLanguage(text).language;
  if (fromText) return fromText;
  for (let i = history.length - 1; i >= 0 && i >= history.length - 3; i--) {
    const fromHistory = detectLanguage(history[i] ?? '').language;
    if (fromHistory) return fromHistory;
  }
  return toLanguage(locale) ?? toLanguage(agentDefault) ?? 'en';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
