/**
 * Questions for `npm run eval` written for this project: realistic questions to the demo help centre
 * (knowledge/demo) with the article titles that answer them, questions written against a passage that
 * does not answer them (another place, date, person or number than the text's; a "why" it never
 * explains), and clarify-then-pick conversations. A sample of what customers ask, not a target: never
 * edit the demo articles to make a figure here look better.
 */

export interface DemoQuestion {
  question: string;
  lang: 'en' | 'da' | 'nl' | 'de';
  /** Titles any of which is a right first source; empty when the question should be clarified. */
  titles: string[];
}

export interface AdversarialQuestion {
  question: string;
  lang: 'en' | 'da' | 'nl' | 'de';
  /** The passage the question was written against (an xquad document id, or a demo article title). */
  against: string;
  /** The span a careless reader would quote as the answer. */
  tempting: string;
}

export interface PickConversation {
  question: string;
  lang: 'en' | 'da';
  /** The topic the customer picks when the agent offers it. */
  pick: string;
  /** What an answer to the original question from that topic says. */
  says: string;
}

const SHIPPING = 'Shipping and delivery';
const PICKUP = 'Click and collect in our stores';
const RETURNS = 'Returns and refunds';
const ACCOUNT = 'Your account and password';
const PAYMENT = 'Payment methods';
const TRACKING = 'Tracking your order';
const GIFT = 'Gift cards';
const CONTACT = 'Contact and opening hours';
const CARE = 'Product care';
const SIZING = 'Size guide';
const WARRANTY = 'Warranty and repairs';
const INTERNATIONAL = 'International orders';
const LEVERING = 'Levering og fragt';
const RETURNERING = 'Returnering og refundering';
const VERSAND = 'Versand und Lieferung nach Deutschland';

export const DEMO_QUESTIONS: DemoQuestion[] = [
  { question: 'How long does shipping take?', lang: 'en', titles: [SHIPPING] },
  { question: 'Can I pick up my order in a store?', lang: 'en', titles: [PICKUP] },
  { question: 'How much does shipping cost?', lang: 'en', titles: [SHIPPING] },
  { question: 'Do you ship to the UK?', lang: 'en', titles: [INTERNATIONAL] },
  { question: 'How do I return an item?', lang: 'en', titles: [RETURNS] },
  { question: 'How long does it take to get my refund?', lang: 'en', titles: [RETURNS] },
  { question: 'I forgot my password', lang: 'en', titles: [ACCOUNT] },
  { question: 'How do I delete my account?', lang: 'en', titles: [ACCOUNT] },
  { question: 'Which payment methods do you accept?', lang: 'en', titles: [PAYMENT] },
  { question: 'Can I pay with MobilePay?', lang: 'en', titles: [PAYMENT] },
  { question: 'When will my card be charged?', lang: 'en', titles: [PAYMENT] },
  { question: 'Where is my order?', lang: 'en', titles: [TRACKING] },
  { question: 'Can I still cancel my order?', lang: 'en', titles: [TRACKING] },
  { question: 'How long is a gift card valid?', lang: 'en', titles: [GIFT] },
  { question: 'Can I use two gift cards on one order?', lang: 'en', titles: [GIFT] },
  { question: 'What are your opening hours?', lang: 'en', titles: [CONTACT] },
  { question: 'How do I wash my rain jacket?', lang: 'en', titles: [CARE] },
  { question: 'How do I find the right size for hiking boots?', lang: 'en', titles: [SIZING] },
  { question: 'What does the warranty cover?', lang: 'en', titles: [WARRANTY] },
  { question: 'Can you repair a broken zip?', lang: 'en', titles: [WARRANTY] },
  { question: 'Is express delivery available for tents?', lang: 'en', titles: [SHIPPING] },
  { question: 'Do I have to pay customs on an order to Norway?', lang: 'en', titles: [INTERNATIONAL] },
  { question: 'What does the order status Packing mean?', lang: 'en', titles: [TRACKING] },
  { question: 'Can someone else collect my order for me?', lang: 'en', titles: [PICKUP] },
  { question: 'Can I return boots I have worn outside?', lang: 'en', titles: [RETURNS] },
  { question: 'My parcel says delivered but I cannot find it', lang: 'en', titles: [TRACKING] },
  { question: 'Hvor lang tid tager levering?', lang: 'da', titles: [LEVERING] },
  { question: 'Hvad koster fragt?', lang: 'da', titles: [LEVERING] },
  { question: 'Hvordan returnerer jeg en vare?', lang: 'da', titles: [RETURNERING] },
  { question: 'Hvornår får jeg mine penge tilbage?', lang: 'da', titles: [RETURNERING] },
  { question: 'Kan jeg hente min ordre i en af jeres butikker?', lang: 'da', titles: [PICKUP] },
  { question: 'Hvor længe er et gavekort gyldigt?', lang: 'da', titles: [GIFT] },
  { question: 'Hoe lang duurt de verzending?', lang: 'nl', titles: [SHIPPING] },
  { question: 'Kan ik mijn bestelling ophalen in de winkel?', lang: 'nl', titles: [PICKUP] },
  { question: 'Hoe kan ik een artikel retourneren?', lang: 'nl', titles: [RETURNS] },
  { question: 'Welke betaalmethoden accepteren jullie?', lang: 'nl', titles: [PAYMENT] },
  { question: 'Hoe lang is een cadeaubon geldig?', lang: 'nl', titles: [GIFT] },
  { question: 'Wie lange dauert der Versand nach Deutschland?', lang: 'de', titles: [VERSAND] },
  { question: 'Was kostet der Versand nach Deutschland?', lang: 'de', titles: [VERSAND] },
  { question: 'Wie lange ist ein Gutschein gültig?', lang: 'de', titles: [GIFT] },
  { question: 'Kann ich mit PayPal bezahlen?', lang: 'de', titles: [PAYMENT] },
  // Too vague to answer: a clarifying question helps here.
  { question: 'help', lang: 'en', titles: [] },
  { question: 'I have a question about my order', lang: 'en', titles: [] },
  { question: 'How much does it cost?', lang: 'en', titles: [] },
];

/** Written against a demo article that shares their words but does not answer them. */
export const DEMO_ADVERSARIAL: AdversarialQuestion[] = [
  { question: 'Who is the CEO of Fjeldspor?', lang: 'en', against: CONTACT, tempting: 'Fjeldspor ApS' },
  { question: 'When was Fjeldspor founded?', lang: 'en', against: CONTACT, tempting: 'Fjeldspor ApS' },
  { question: 'What are the opening hours of your store in Odense?', lang: 'en', against: CONTACT, tempting: 'Monday to Friday 10:00 to 18:00' },
  { question: 'How much does shipping to Norway cost?', lang: 'en', against: SHIPPING, tempting: '8 EUR' },
  { question: 'When does your winter sale start?', lang: 'en', against: SHIPPING, tempting: 'allow one extra day' },
  { question: 'Why do you ship with PostNord and not with DAO?', lang: 'en', against: SHIPPING, tempting: 'We ship with PostNord and GLS' },
  { question: 'What is the maximum weight of a parcel you ship?', lang: 'en', against: SHIPPING, tempting: 'bulky items' },
  { question: 'How much does it cost to repair a ski binding?', lang: 'en', against: WARRANTY, tempting: '250 DKK' },
  { question: 'At what temperature should I wash a wool sweater?', lang: 'en', against: CARE, tempting: '30 to 40 °C' },
  { question: 'When does the Copenhagen store open on Christmas Eve?', lang: 'en', against: CONTACT, tempting: '10:00 to 18:00' },
  { question: 'How many loyalty points do I get per purchase?', lang: 'en', against: GIFT, tempting: '100 to 5,000 DKK' },
  { question: 'Who designed the Fjeldspor logo?', lang: 'en', against: CONTACT, tempting: 'Fjeldspor ApS' },
  { question: 'How long does the tracking link stay valid?', lang: 'en', against: TRACKING, tempting: 'a few hours' },
  { question: 'Why is Klarna not available in Finland?', lang: 'en', against: PAYMENT, tempting: 'Denmark, Sweden, Norway and Germany' },
  { question: 'Hvad koster fragt til Norge?', lang: 'da', against: LEVERING, tempting: '39 kroner' },
  { question: 'Hvornår blev Fjeldspor grundlagt?', lang: 'da', against: LEVERING, tempting: 'Aarhus' },
  { question: 'Wie is de directeur van Fjeldspor?', lang: 'nl', against: CONTACT, tempting: 'Fjeldspor ApS' },
  { question: 'Can I return sale items?', lang: 'en', against: RETURNS, tempting: 'Items must be unused' },
];

/** Written against an English xquad paragraph: a swapped entity, date or number, or an unexplained why. */
export const XQUAD_ADVERSARIAL: AdversarialQuestion[] = [
  { question: 'How many points did the Panthers defense give up in 2017?', lang: 'en', against: 'xquad-en-a00p00', tempting: '308' },
  { question: 'In what year did the United Kingdom ban corporal punishment in schools?', lang: 'en', against: 'xquad-en-a05p00', tempting: '1977' },
  { question: 'How many species of ctenophores live in fresh water?', lang: 'en', against: 'xquad-en-a17p00', tempting: '100–150' },
  { question: 'In what year did the medical faculty of London report to the king of England?', lang: 'en', against: 'xquad-en-a20p00', tempting: '1345' },
  { question: 'Who was the second director of the V&A?', lang: 'en', against: 'xquad-en-a23p00', tempting: 'Henry Cole' },
  { question: 'What was the population of Jacksonville in 1968?', lang: 'en', against: 'xquad-en-a32p00', tempting: '853,382' },
  { question: 'Who chaired the IPCC in 1975?', lang: 'en', against: 'xquad-en-a38p00', tempting: 'Bert Bolin' },
  { question: 'What share of the gross domestic product of developing countries does construction make up?', lang: 'en', against: 'xquad-en-a29p00', tempting: 'six to nine percent' },
  { question: 'Who designed the University of Chicago football stadium?', lang: 'en', against: 'xquad-en-a35p00', tempting: 'Henry Ives Cobb' },
  { question: 'Why are pharmacy technicians in the UK paid less than pharmacists?', lang: 'en', against: 'xquad-en-a26p00', tempting: 'health care professional' },
  { question: 'How many elements did Aristotle believe the celestial sphere contained?', lang: 'en', against: 'xquad-en-a47p00', tempting: 'four' },
  { question: 'Who headed the ad-hoc committee on the launch vehicle in July 1965?', lang: 'en', against: 'xquad-en-a14p00', tempting: 'Nicholas E. Golovin' },
  { question: 'Why is a nuclear reactor rarely used as the heat source of a steam engine?', lang: 'en', against: 'xquad-en-a11p00', tempting: 'nuclear reactor' },
  { question: 'Which standard does Sky use for its radio broadcasts?', lang: 'en', against: 'xquad-en-a08p00', tempting: 'MPEG-2' },
  { question: 'How many castles are there between Bingen and Bonn?', lang: 'en', against: 'xquad-en-a41p00', tempting: 'many castles' },
];

/** A question the agent may clarify, then the customer names one of the offered topics. */
export const DEMO_PICKS: PickConversation[] = [
  { question: 'How much does it cost?', lang: 'en', pick: SHIPPING, says: '39 DKK' },
  { question: 'How long does it take?', lang: 'en', pick: RETURNS, says: 'working days' },
  { question: 'How do I use my card?', lang: 'en', pick: GIFT, says: '16-digit code' },
  { question: 'What are the opening hours?', lang: 'en', pick: CONTACT, says: 'Monday to Friday' },
  { question: 'Hvad koster det?', lang: 'da', pick: LEVERING, says: '39 kroner' },
];
