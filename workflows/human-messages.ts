/**
 * What the workflow itself says around a handoff, in every supported language: pure data, so the workflow
 * uses it without an activity. An agent's own texts (handoff settings `messages`) replace these.
 */
import { pick } from '../domain/handoff-defaults.js';
import type { HandoffSettings, PerLanguage } from '../domain/handoff.js';

interface HumanMessages {
  unavailable: string;
  stillWaiting: string;
  delayed: (minutes: number) => string;
  /** Outside the deployment's hours, the agent answers when they start. */
  away: string;
  /** Outside the deployment's hours, straight to the team. */
  awayHandoff: string;
  /** An action (a call to the business's systems) failed for good: a person takes over. */
  actionFailed: string;
  /** The agent is paused: the conversation went to the team, and a person will answer. */
  agentPaused: string;
  /** An action was drafted for a person's approval. */
  approvalRequested: string;
  approvalRejected: string;
  approvalExpired: string;
}

const MESSAGES: Record<string, HumanMessages> = {
  en: {
    unavailable: "I'm sorry, nobody from our team can take over right now. I'll keep helping you here as well as I can.",
    stillWaiting: 'Thank you for waiting. Everyone on our team is busy at the moment; the next available person will reply here as soon as possible.',
    delayed: (m) => `If this doesn't solve it, a member of our team will take over in about ${m} minute${m === 1 ? '' : 's'}. Until then I'm happy to keep helping.`,
    away: "We're away right now. Your message is safe with us, and you'll get an answer here as soon as we're back.",
    awayHandoff: "We're away right now. Your message has gone to our team, and a person will reply here as soon as we're back.",
    actionFailed: "I'm sorry, I couldn't complete that right now: our system didn't answer as expected. I'm passing the conversation to a member of our team, who will help you as soon as possible.",
    agentPaused: 'Thanks for your message. It has gone to our team, and a person will reply here as soon as possible.',
    approvalRequested: "I've asked our team to approve this. I'll let you know here as soon as they have.",
    approvalRejected: "Our team looked at your request and couldn't approve it this time. If you have questions about it, just write here.",
    approvalExpired: "I'm sorry, our team couldn't look at your request in time, so I haven't done it. Just ask again here whenever you like.",
  },
  da: {
    unavailable: 'Beklager, der er ingen fra vores team, der kan tage over lige nu. Jeg hjælper dig gerne videre her, så godt jeg kan.',
    stillWaiting: 'Tak fordi du venter. Alle i vores team er optaget lige nu; den næste ledige medarbejder svarer dig her hurtigst muligt.',
    delayed: (m) => `Hvis det ikke løser det, tager en fra vores team over om cirka ${m} minut${m === 1 ? '' : 'ter'}. Indtil da hjælper jeg gerne.`,
    away: 'Vi er ikke til stede lige nu. Din besked er modtaget, og du får svar her, så snart vi er tilbage.',
    awayHandoff: 'Vi er ikke til stede lige nu. Din besked er sendt videre til vores team, og en medarbejder svarer dig her, så snart vi er tilbage.',
    actionFailed: 'Beklager, jeg kunne ikke gennemføre det lige nu: vores system svarede ikke som forventet. Jeg sender samtalen videre til en fra vores team, som hjælper dig hurtigst muligt.',
    agentPaused: 'Tak for din besked. Den er sendt videre til vores team, og en medarbejder svarer dig her hurtigst muligt.',
    approvalRequested: 'Jeg har bedt vores team om at godkende det. Jeg giver dig besked her, så snart de har.',
    approvalRejected: 'Vores team har set på din anmodning og kunne ikke godkende den denne gang. Skriv endelig her, hvis du har spørgsmål.',
    approvalExpired: 'Beklager, vores team nåede ikke at se på din anmodning i tide, så jeg har ikke udført den. Spørg bare igen her, når du vil.',
  },
  nl: {
    unavailable: 'Sorry, er is op dit moment niemand van ons team beschikbaar om het over te nemen. Ik help je hier graag verder zo goed als ik kan.',
    stillWaiting: 'Bedankt voor je geduld. Iedereen in ons team is op dit moment bezet; de eerstvolgende medewerker reageert hier zo snel mogelijk.',
    delayed: (m) => `Als dit het niet oplost, neemt iemand van ons team het over in ongeveer ${m} minu${m === 1 ? 'ut' : 'ten'}. Tot die tijd help ik je graag.`,
    away: 'We zijn er op dit moment niet. Je bericht is goed ontvangen en je krijgt hier antwoord zodra we terug zijn.',
    awayHandoff: 'We zijn er op dit moment niet. Je bericht is doorgestuurd naar ons team en een medewerker reageert hier zodra we terug zijn.',
    actionFailed: 'Sorry, dat lukte me nu niet: ons systeem reageerde niet zoals verwacht. Ik geef het gesprek door aan iemand van ons team, die je zo snel mogelijk helpt.',
    agentPaused: 'Bedankt voor je bericht. Het is doorgestuurd naar ons team en een medewerker reageert hier zo snel mogelijk.',
    approvalRequested: 'Ik heb ons team gevraagd dit goed te keuren. Ik laat het je hier weten zodra dat gebeurd is.',
    approvalRejected: 'Ons team heeft je verzoek bekeken en kon het deze keer niet goedkeuren. Heb je er vragen over, schrijf dan gerust hier.',
    approvalExpired: 'Sorry, ons team kon je verzoek niet op tijd bekijken, dus ik heb het niet uitgevoerd. Vraag het gerust opnieuw hier.',
  },
  de: {
    unavailable: 'Entschuldigung, gerade kann niemand aus unserem Team übernehmen. Ich helfe dir hier gern weiter, so gut ich kann.',
    stillWaiting: 'Danke für deine Geduld. Alle in unserem Team sind gerade beschäftigt; die nächste freie Person antwortet dir hier so bald wie möglich.',
    delayed: (m) => `Falls das nicht hilft, übernimmt in etwa ${m} Minute${m === 1 ? '' : 'n'} jemand aus unserem Team. Bis dahin helfe ich gern weiter.`,
    away: 'Wir sind gerade nicht erreichbar. Deine Nachricht ist angekommen, und du bekommst hier eine Antwort, sobald wir zurück sind.',
    awayHandoff: 'Wir sind gerade nicht erreichbar. Deine Nachricht ist an unser Team gegangen, und eine Person antwortet dir hier, sobald wir zurück sind.',
    actionFailed: 'Entschuldigung, das hat gerade nicht geklappt: unser System hat nicht wie erwartet geantwortet. Ich gebe das Gespräch an jemanden aus unserem Team weiter, der dir so bald wie möglich hilft.',
    agentPaused: 'Danke für deine Nachricht. Sie ist an unser Team gegangen, und eine Person antwortet dir hier so bald wie möglich.',
    approvalRequested: 'Ich habe unser Team gebeten, das freizugeben. Ich sage dir hier Bescheid, sobald das geschehen ist.',
    approvalRejected: 'Unser Team hat deine Anfrage geprüft und konnte sie diesmal nicht freigeben. Wenn du Fragen dazu hast, schreib einfach hier.',
    approvalExpired: 'Entschuldigung, unser Team konnte deine Anfrage nicht rechtzeitig prüfen, deshalb habe ich sie nicht ausgeführt. Frag hier einfach noch einmal.',
  },
  fr: {
    unavailable: "Désolé, personne de notre équipe ne peut prendre le relais pour le moment. Je continue à vous aider ici du mieux que je peux.",
    stillWaiting: "Merci de votre patience. Toute notre équipe est occupée pour le moment ; la prochaine personne disponible vous répondra ici dès que possible.",
    delayed: (m) => `Si cela ne résout pas votre problème, un membre de notre équipe prendra le relais dans environ ${m} minute${m === 1 ? '' : 's'}. D'ici là, je reste à votre disposition.`,
    away: 'Nous sommes absents pour le moment. Votre message est bien reçu et vous aurez une réponse ici dès notre retour.',
    awayHandoff: 'Nous sommes absents pour le moment. Votre message a été transmis à notre équipe et une personne vous répondra ici dès notre retour.',
    actionFailed: "Désolé, je n'ai pas pu terminer cela pour le moment : notre système n'a pas répondu comme prévu. Je transmets la conversation à un membre de notre équipe, qui vous aidera dès que possible.",
    agentPaused: 'Merci pour votre message. Il a été transmis à notre équipe et une personne vous répondra ici dès que possible.',
    approvalRequested: "J'ai demandé à notre équipe de l'approuver. Je vous tiens au courant ici dès que c'est fait.",
    approvalRejected: "Notre équipe a examiné votre demande et n'a pas pu l'approuver cette fois. Si vous avez des questions, écrivez-nous ici.",
    approvalExpired: "Désolé, notre équipe n'a pas pu examiner votre demande à temps, je ne l'ai donc pas effectuée. N'hésitez pas à redemander ici.",
  },
  es: {
    unavailable: 'Lo siento, ahora mismo nadie de nuestro equipo puede atenderte. Seguiré ayudándote aquí lo mejor que pueda.',
    stillWaiting: 'Gracias por esperar. Todo nuestro equipo está ocupado en este momento; la próxima persona disponible te responderá aquí lo antes posible.',
    delayed: (m) => `Si esto no lo resuelve, una persona de nuestro equipo se hará cargo en unos ${m} minuto${m === 1 ? '' : 's'}. Mientras tanto, sigo aquí para ayudarte.`,
    away: 'Ahora mismo no estamos disponibles. Hemos recibido tu mensaje y tendrás una respuesta aquí en cuanto volvamos.',
    awayHandoff: 'Ahora mismo no estamos disponibles. Tu mensaje ha llegado a nuestro equipo y una persona te responderá aquí en cuanto volvamos.',
    actionFailed: 'Lo siento, no he podido completarlo ahora mismo: nuestro sistema no respondió como esperaba. Paso la conversación a una persona de nuestro equipo, que te ayudará lo antes posible.',
    agentPaused: 'Gracias por tu mensaje. Ha llegado a nuestro equipo y una persona te responderá aquí lo antes posible.',
    approvalRequested: 'He pedido a nuestro equipo que lo apruebe. Te avisaré aquí en cuanto lo hagan.',
    approvalRejected: 'Nuestro equipo ha revisado tu solicitud y esta vez no ha podido aprobarla. Si tienes preguntas, escríbenos aquí.',
    approvalExpired: 'Lo siento, nuestro equipo no pudo revisar tu solicitud a tiempo, así que no la he realizado. Puedes volver a pedirlo aquí cuando quieras.',
  },
};

function builtIn(language: string): { language: string; m: HumanMessages } {
  const m = MESSAGES[language];
  return m ? { language, m } : { language: 'en', m: MESSAGES.en! };
}

/** The `stay` reply: the agent's own text in this language if it has one, else the built-in one. */
export function unavailableText(settings: HandoffSettings, language: string): { text: string; language: string } {
  const own = pick(settings.messages?.unavailable, language) ?? pick(settings.unavailableMessage, language);
  return own ? { text: own, language } : (({ language: l, m }) => ({ text: m.unavailable, language: l }))(builtIn(language));
}

export function stillWaitingText(settings: HandoffSettings, language: string): { text: string; language: string } {
  const own = pick(settings.messages?.stillWaiting, language);
  return own ? { text: own, language } : (({ language: l, m }) => ({ text: m.stillWaiting, language: l }))(builtIn(language));
}

export function delayedText(settings: HandoffSettings, language: string, delaySeconds: number): { text: string; language: string } {
  const own = pick(settings.messages?.delayed, language);
  const minutes = Math.max(1, Math.round(delaySeconds / 60));
  return own ? { text: own, language } : (({ language: l, m }) => ({ text: m.delayed(minutes), language: l }))(builtIn(language));
}

/** Outside the deployment's hours: its own away text (one for all languages, or this language's), else the built-in one. */
export function awayText(own: PerLanguage | string | undefined, language: string, handoff: boolean): { text: string; language: string } {
  const mine = handoff ? undefined : pick(own, language);
  if (mine) return { text: mine, language };
  const { language: l, m } = builtIn(language);
  return { text: handoff ? m.awayHandoff : m.away, language: l };
}

/** An action failed for good (the business's system refused or did not answer): honest, and a person takes over. */
export function actionFailedText(language: string): { text: string; language: string } {
  const { language: l, m } = builtIn(language);
  return { text: m.actionFailed, language: l };
}

/**
 * A paused agent's conversation went to the team: the agent's own handoff text in this language if it has
 * one (handoff settings `messages.handoff`), else the built-in one.
 */
export function agentPausedText(settings: HandoffSettings, language: string): { text: string; language: string } {
  const own = pick(settings.messages?.handoff, language);
  return own ? { text: own, language } : (({ language: l, m }) => ({ text: m.agentPaused, language: l }))(builtIn(language));
}

/** What the customer is told about an action drafted for a person's approval. */
export function approvalText(what: 'requested' | 'rejected' | 'expired', language: string): { text: string; language: string } {
  const { language: l, m } = builtIn(language);
  return { text: what === 'requested' ? m.approvalRequested : what === 'rejected' ? m.approvalRejected : m.approvalExpired, language: l };
}

/** Whether the customer says the problem is solved (cancels a delayed handoff); all languages at once. */
export function saysSolved(text: string): boolean {
  const t = text.toLowerCase().replace(/ø/g, 'o').replace(/æ/g, 'ae').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return /\b(that|it|this) (solved|fixed|answered|helped)\b|\b(problem|issue) (is )?(solved|resolved|fixed)\b|\bno (need|longer need)\b.*\b(human|person|agent|anyone)\b|\ball (good|sorted|set)\b|\bnever ?mind\b/.test(t)
    || /\b(det|problemet) (er )?(lost|klaret)\b|\bdet hjalp\b|\bhet is opgelost\b|\bdat hielp\b|\b(hat sich|ist) erledigt\b|\bdas hat geholfen\b|\bc ?est (regle|resolu)\b|\bca m ?a aide\b|\b(esta|ya esta) resuelto\b|\beso me ayudo\b/.test(t.replace(/[’']/g, ' '));
}
