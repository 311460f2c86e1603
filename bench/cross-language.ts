/**
 * `npm run bench:cross-language [-- --limit N]`: does a question find its answer in another language when
 * its own has none? Retrieval with the language bridge off and on (knowledge/bridge.ts), hit@1:
 *
 * - demo: the Fjeldspor help centre (English articles, plus Danish shipping and returns and German
 *   shipping), asked in Danish, Dutch, German, French and Spanish about topics with no article in that
 *   language (shipping in Dutch, French and Spanish; accepted: any shipping article). "wrong own language"
 *   counts the top passage coming from an article in the customer's language that is not an accepted one:
 *   the failure the bridge must remove. The questions are written here for this bench.
 * - xquad: the German and Spanish questions (N per language, default 200) against the English paragraphs
 *   alone (Wikipedia vocabulary is not support vocabulary: this shows what the bridge does not reach), and
 *   against their own language's paragraphs, the control that the bridge costs nothing there.
 * Asserts nothing: the figures are read by people.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAgent } from '../db/agents.js';
import { openDb } from '../db/open.js';
import type { Db } from '../db/types.js';
import { loadDemo } from '../knowledge/demo/load.js';
import { createEmbedder } from '../knowledge/embedders/index.js';
import { ingestSource } from '../knowledge/ingest.js';
import { detectLanguage } from '../knowledge/language.js';
import { createRetriever } from '../knowledge/retrieve.js';
import type { Embedder } from '../knowledge/types.js';
import { loadConfig } from '../workers/config.js';
import { evenSample } from './retrieval-metrics.js';

const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');

const SHIPPING = ['Shipping and delivery', 'Levering og fragt', 'Versand und Lieferung nach Deutschland'];
const RETURNS = ['Returns and refunds', 'Returnering og refundering'];
const ACCOUNT = ['Your account and password'];
const PICKUP = ['Click and collect in our stores'];
const PAYMENT = ['Payment methods'];
const GIFT = ['Gift cards'];
const CARE = ['Product care'];
const TRACKING = ['Tracking your order'];
const CONTACT = ['Contact and opening hours'];
const WARRANTY = ['Warranty and repairs'];
const SIZING = ['Size guide'];
const INTERNATIONAL = ['International orders'];

/** [question, titles accepted at rank 1] */
const DEMO_QUESTIONS: readonly (readonly [string, readonly string[]])[] = [
  ['Kan jeg hente min ordre i jeres butik?', PICKUP],
  ['Jeg har glemt min adgangskode, hvad gør jeg?', ACCOUNT],
  ['Hvor længe er et gavekort gyldigt?', GIFT],
  ['Hvilke betalingsmetoder tager I imod?', PAYMENT],
  ['Hvordan vasker jeg min skaljakke?', CARE],
  ['Hvordan kan jeg spore min ordre?', TRACKING],
  ['Hvad er jeres åbningstider i butikken?', CONTACT],
  ['Hvordan laver jeg en reklamation på min jakke?', WARRANTY],
  ['Hvilken størrelse sko skal jeg vælge?', SIZING],
  ['Hoe lang duurt de verzending?', SHIPPING],
  ['Wat kost de verzending naar Nederland?', SHIPPING],
  ['Kan ik mijn geld terugkrijgen als ik iets retourneer?', RETURNS],
  ['Ik ben mijn wachtwoord vergeten', ACCOUNT],
  ['Kan ik betalen met een creditcard?', PAYMENT],
  ['Kan ik mijn bestelling ophalen in de winkel?', PICKUP],
  ['Wie lange ist ein Gutschein gültig?', GIFT],
  ['Ich habe mein Passwort vergessen', ACCOUNT],
  ['Kann ich meine Bestellung im Geschäft abholen?', PICKUP],
  ['Wie mache ich einen Garantieanspruch geltend?', WARRANTY],
  ['Welche Größe soll ich bei Wanderschuhen wählen?', SIZING],
  ['Combien de temps prend la livraison ?', SHIPPING],
  ['Comment retourner un article et être remboursé ?', RETURNS],
  ["J'ai oublié mon mot de passe", ACCOUNT],
  ['Quels moyens de paiement acceptez-vous ?', PAYMENT],
  ['Comment laver ma veste imperméable ?', CARE],
  ['¿Cuánto tarda el envío?', SHIPPING],
  ['¿Cómo puedo devolver un producto?', RETURNS],
  ['Olvidé mi contraseña', ACCOUNT],
  ['¿Puedo recoger mi pedido en la tienda?', PICKUP],
  ['¿Tengo que pagar aduana en un pedido internacional?', INTERNATIONAL],
];

interface Outcome { hit: number; wrongOwnLanguage: number; none: number; total: number }

async function demo(db: Db, embedder: Embedder, bridge: boolean, verbose: boolean): Promise<Outcome> {
  const retriever = createRetriever({ db, embedder, bridge });
  const out: Outcome = { hit: 0, wrongOwnLanguage: 0, none: 0, total: DEMO_QUESTIONS.length };
  for (const [question, accepted] of DEMO_QUESTIONS) {
    const language = detectLanguage(question).language;
    const top = (await retriever.retrieve({ agentId: 'demo', text: question, limit: 5, ...(language ? { language } : {}) }))
      .find((p) => !p.shortAnswer);
    if (!top) out.none++;
    else if (accepted.includes(top.title)) out.hit++;
    else if (top.language === language) out.wrongOwnLanguage++;
    if (verbose) console.log(`  ${bridge ? 'on ' : 'off'} ${accepted.includes(top?.title ?? '') ? '✓' : '✗'} [${language ?? '?'}] ${question} → ${top?.title ?? '(nothing)'} (${top?.language ?? ''})`);
  }
  return out;
}

interface XquadDoc { id: string; title: string; text: string; lang: string }
interface XquadQuestion { id: string; question: string; gold_doc_ids: string[]; lang: string }

async function readJsonl<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

/** One agent holding xquad's paragraphs in `docLang`; source id → document id. */
async function ingestXquad(db: Db, embedder: Embedder, docs: readonly XquadDoc[], docLang: string) {
  const agent = await createAgent(db, { name: `bench xquad ${docLang}`, defaultLanguage: docLang });
  const docOf = new Map<string, string>();
  for (const [i, d] of docs.filter((x) => x.lang === docLang).entries()) {
    const { id } = await ingestSource(db, embedder, { agentId: agent.id, type: 'text', title: d.title, content: d.text });
    docOf.set(id, d.id);
    if (i % 40 === 39) process.stderr.write(`ingesting xquad ${docLang}: ${i + 1}\n`);
  }
  return { agentId: agent.id, docOf };
}

/**
 * hit@1 with the bridge off and on, for German and Spanish questions: against the English paragraphs
 * (cross-language) and, as a control that the bridge costs nothing where the language has its answer,
 * against the paragraphs in the question's own language.
 */
async function xquad(db: Db, embedder: Embedder, limit: number): Promise<{ label: string; off: number; on: number }[]> {
  const docs = await readJsonl<XquadDoc>(join(DATA_DIR, 'xquad/documents.jsonl'));
  const questions = await readJsonl<XquadQuestion>(join(DATA_DIR, 'xquad/questions.jsonl'));
  const english = await ingestXquad(db, embedder, docs, 'en');
  const out: { label: string; off: number; on: number }[] = [];
  for (const lang of ['de', 'es']) {
    const own = evenSample(questions.filter((q) => q.lang === lang), limit);
    const native = await ingestXquad(db, embedder, docs, lang);
    for (const [label, kb, docLang] of [[`${lang} → en`, english, 'en'], [`${lang} → ${lang} (control)`, native, lang]] as const) {
      const hits = [0, 0];
      for (const [k, bridge] of [false, true].entries()) {
        const retriever = createRetriever({ db, embedder, bridge });
        for (const q of own) {
          const gold = q.gold_doc_ids.map((g) => g.replace(/^xquad-[a-z]{2}-/, `xquad-${docLang}-`));
          const [top] = await retriever.retrieve({ agentId: kb.agentId, text: q.question, limit: 1 });
          if (top && gold.includes(kb.docOf.get(top.sourceId) ?? '')) hits[k]!++;
        }
      }
      out.push({ label, off: hits[0]! / own.length, on: hits[1]! / own.length });
    }
  }
  return out;
}

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(0)}%`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { limit: { type: 'string', default: '200' }, verbose: { type: 'boolean', default: false }, 'skip-xquad': { type: 'boolean', default: false } } });
  const config = loadConfig({ ...process.env, DEMO: 'false' });
  const embedder = createEmbedder(config);
  const db = await openDb({ memory: true, embeddingDimensions: embedder.dimensions });
  try {
    await loadDemo(db, embedder);
    console.log(`customer-agent cross-language bench — embedder ${embedder.model}`);
    console.log(`\ndemo: ${DEMO_QUESTIONS.length} questions in da/nl/de/fr/es whose answer is only in another language`);
    console.log(`  ${'bridge'.padEnd(8)} ${'hit@1'.padStart(7)} ${'wrong own language'.padStart(19)} ${'nothing'.padStart(8)}`);
    for (const bridge of [false, true]) {
      const o = await demo(db, embedder, bridge, values.verbose);
      console.log(`  ${(bridge ? 'on' : 'off').padEnd(8)} ${pct(o.hit, o.total).padStart(7)} ${pct(o.wrongOwnLanguage, o.total).padStart(19)} ${pct(o.none, o.total).padStart(8)}`);
    }
    if (!values['skip-xquad']) {
      const limit = Number(values.limit);
      const x = await xquad(db, embedder, limit);
      console.log(`\nxquad: ${limit} German and ${limit} Spanish questions, hit@1`);
      for (const r of x) console.log(`  ${r.label.padEnd(22)} bridge off ${(r.off * 100).toFixed(1).padStart(5)}%  on ${(r.on * 100).toFixed(1).padStart(5)}%`);
    }
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
