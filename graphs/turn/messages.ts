/**
 * Every fixed sentence the agent says, in every supported language. `Record<Language, TurnMessages>`
 * makes a missing language or a missing message a type error. Titles and topics are interpolated
 * already quoted by `quote`, so each language uses its own quotation marks.
 */
import type { Language } from '../../knowledge/types.js';

export interface TurnMessages {
  /** Top candidates are close but from different topics; `topics` is already joined by `list`. */
  clarifyTopics(p: { topics: string }): string;
  /** The question is too vague to answer; `topics` suggests what it might be about, when anything matched. */
  clarifyVague(p: { topics?: string }): string;
  handoffRequested(): string;
  handoffAfterMisses(): string;
  rephrase(): string;
  /** The best passage does not state what was asked: say so and offer a person (a yes hands off). */
  notStated(): string;
  /** The customer sent something other than text (a photo, a voice note): only text can be read. */
  textOnly(): string;
  /** An action needs an input; `description` is the input's own description ("your order number"). */
  askInput(p: { description: string }): string;
  /** The value given for an input is not valid; `given` is already quoted. */
  invalidInput(p: { description: string; given: string }): string;
  /** The action needs a verified customer, and this conversation cannot verify them: a person takes over. */
  verifyFirst(): string;
  /** The inputs could not be gathered after several tries: a person takes over. */
  inputsGaveUp(): string;
  /** Said while the action runs (replaced by its result). */
  checking(): string;
  /** A contact property the customer asked about; `property` and `value` already readable/quoted. */
  propertyIs(p: { property: string; value: string }): string;
  propertyUnknown(p: { property: string }): string;
  /** The customer asked for or about their account data without being verified as its owner. */
  verifyToShare(): string;
  /** Confirms a change the customer asked for before it is written; `value` already quoted. */
  confirmUpdate(p: { property: string; value: string }): string;
  updated(p: { property: string; value: string }): string;
  notUpdated(p: { property: string }): string;
  /** Buying intent: before the first lead question. */
  leadIntro(): string;
  /** Every lead question answered: sales takes over. */
  leadHandoff(): string;
  foundIn(p: { title: string }): string;
  foundInOtherLanguage(p: { title: string; language: string }): string;
  found(): string;
  /** Introduces a curated short answer, given verbatim; `question` is its question, already quoted. */
  shortAnswerIntro(p: { question: string }): string;
  /** The same, for a short answer written in another language than the reply's (`language` as named here). */
  shortAnswerIntroOtherLanguage(p: { question: string; language: string }): string;
  /** Marks a short answer in the source list ("[1] Title (short answer)"). */
  shortAnswerLabel: string;
  /** Heading of the numbered source list, with its colon. */
  sourcesLabel: string;
  /** Names of languages, as written in this language ("the article is in …"). */
  languageNames: Record<Language, string>;
  quote(text: string): string;
  /** "A, B or C" in this language. */
  list(items: readonly string[]): string;
}

function joinWith(items: readonly string[], or: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${or} ${items.at(-1)}`;
}

export const MESSAGES: Record<Language, TurnMessages> = {
  en: {
    clarifyTopics: ({ topics }) => `I want to be sure I give you the right answer. Is your question about ${topics}?`,
    clarifyVague: ({ topics }) => topics
      ? `Could you tell me a little more about what you need help with? For example, is it about ${topics}?`
      : 'Could you tell me a little more about what you need help with? A few words about your question help me find the right answer.',
    handoffRequested: () => "Of course. I'm passing the conversation to a member of our team, who will take over here as soon as possible.",
    handoffAfterMisses: () => "I'm sorry, I couldn't find an answer to that. A member of our team will take over the conversation and get back to you as soon as possible.",
    rephrase: () => "I'm sorry, I couldn't find anything about that. Could you rephrase your question or add a few details?",
    notStated: () => "I'm sorry, I couldn't find that in our help articles. Would you like me to pass your question to a member of our team?",
    textOnly: () => "Sorry, I can only read text messages, so I couldn't see what you sent. Could you write your question in a message?",
    askInput: (p) => `To do that, I need ${p.description}. Could you send it to me?`,
    invalidInput: (p) => `Sorry, ${p.given} doesn't look right for ${p.description}. Could you check it and send it again?`,
    verifyFirst: () => "To do that, I first need to confirm who you are, and I can't do that in this conversation. I'm passing it to a member of our team, who will help you as soon as possible.",
    inputsGaveUp: () => "I'm sorry, I couldn't get the details I need. A member of our team will take over the conversation and help you as soon as possible.",
    checking: () => "One moment, I'm checking that for you.",
    propertyIs: (p) => `Your ${p.property} is ${p.value}.`,
    propertyUnknown: (p) => `I don't have your ${p.property} on record.`,
    verifyToShare: () => "I can only look at or change your account details once I know it's you. Please sign in on our site, or ask for a member of our team.",
    confirmUpdate: (p) => `Should I change your ${p.property} to ${p.value}? Please answer yes or no.`,
    updated: (p) => `Done: your ${p.property} is now ${p.value}.`,
    notUpdated: (p) => `All right, I've left your ${p.property} as it was.`,
    leadIntro: () => 'Happy to help with that. A few quick questions first, so the right person can get back to you:',
    leadHandoff: () => 'Thank you! I\'m passing this to our sales team, who will get back to you here shortly.',
    foundIn: ({ title }) => `Here is what I found in ${title}:`,
    foundInOtherLanguage: ({ title, language }) => `Here is what I found in ${title} (the article is in ${language}):`,
    found: () => 'Here is what I found:',
    shortAnswerIntro: ({ question }) => `Here is our answer to ${question}:`,
    shortAnswerIntroOtherLanguage: ({ question, language }) => `Here is our answer to ${question} (written in ${language}):`,
    shortAnswerLabel: 'short answer',
    sourcesLabel: 'Sources:',
    languageNames: { en: 'English', da: 'Danish', nl: 'Dutch', de: 'German', fr: 'French', es: 'Spanish' },
    quote: (t) => `“${t}”`,
    list: (items) => joinWith(items, 'or'),
  },
  da: {
    clarifyTopics: ({ topics }) => `Jeg vil gerne være sikker på at give dig det rigtige svar. Handler dit spørgsmål om ${topics}?`,
    clarifyVague: ({ topics }) => topics
      ? `Vil du fortælle lidt mere om, hvad du har brug for hjælp til? Handler det for eksempel om ${topics}?`
      : 'Vil du fortælle lidt mere om, hvad du har brug for hjælp til? Et par ord om dit spørgsmål hjælper mig med at finde det rigtige svar.',
    handoffRequested: () => 'Selvfølgelig. Jeg giver samtalen videre til en af vores medarbejdere, som tager over her hurtigst muligt.',
    handoffAfterMisses: () => 'Beklager, jeg kunne ikke finde et svar på det. En af vores medarbejdere tager over og vender tilbage til dig hurtigst muligt.',
    rephrase: () => 'Beklager, jeg kunne ikke finde noget om det. Vil du prøve at formulere spørgsmålet på en anden måde eller tilføje et par detaljer?',
    notStated: () => 'Beklager, det kunne jeg ikke finde i vores hjælpeartikler. Vil du have, at jeg giver dit spørgsmål videre til en af vores medarbejdere?',
    textOnly: () => 'Beklager, jeg kan kun læse tekstbeskeder, så jeg kunne ikke se, hvad du sendte. Vil du skrive dit spørgsmål i en besked?',
    askInput: (p) => `For at gøre det har jeg brug for ${p.description}. Vil du sende det til mig?`,
    invalidInput: (p) => `Beklager, ${p.given} ser ikke ud til at passe som ${p.description}. Vil du tjekke det og sende det igen?`,
    verifyFirst: () => 'For at gøre det skal jeg først bekræfte, hvem du er, og det kan jeg ikke her i samtalen. Jeg sender samtalen videre til en fra vores team, som hjælper dig hurtigst muligt.',
    inputsGaveUp: () => 'Beklager, jeg kunne ikke få de oplysninger, jeg har brug for. En fra vores team tager over og hjælper dig hurtigst muligt.',
    checking: () => 'Et øjeblik, jeg tjekker det for dig.',
    propertyIs: (p) => `Din ${p.property} er ${p.value}.`,
    propertyUnknown: (p) => `Jeg har ikke din ${p.property} registreret.`,
    verifyToShare: () => 'Jeg kan først se eller ændre dine kontooplysninger, når jeg ved, at det er dig. Log ind på vores side, eller bed om en fra vores team.',
    confirmUpdate: (p) => `Skal jeg ændre din ${p.property} til ${p.value}? Svar venligst ja eller nej.`,
    updated: (p) => `Sådan: din ${p.property} er nu ${p.value}.`,
    notUpdated: (p) => `Helt i orden, jeg har ladet din ${p.property} være, som den var.`,
    leadIntro: () => 'Det hjælper jeg gerne med. Først et par hurtige spørgsmål, så den rette person kan vende tilbage til dig:',
    leadHandoff: () => 'Tak! Jeg sender det videre til vores salgsteam, som vender tilbage til dig her snarest.',
    foundIn: ({ title }) => `Her er, hvad jeg fandt i ${title}:`,
    foundInOtherLanguage: ({ title, language }) => `Her er, hvad jeg fandt i ${title} (artiklen er på ${language}):`,
    found: () => 'Her er, hvad jeg fandt:',
    shortAnswerIntro: ({ question }) => `Her er vores svar på ${question}:`,
    shortAnswerIntroOtherLanguage: ({ question, language }) => `Her er vores svar på ${question} (skrevet på ${language}):`,
    shortAnswerLabel: 'kort svar',
    sourcesLabel: 'Kilder:',
    languageNames: { en: 'engelsk', da: 'dansk', nl: 'nederlandsk', de: 'tysk', fr: 'fransk', es: 'spansk' },
    quote: (t) => `»${t}«`,
    list: (items) => joinWith(items, 'eller'),
  },
  nl: {
    clarifyTopics: ({ topics }) => `Ik wil zeker weten dat ik u het juiste antwoord geef. Gaat uw vraag over ${topics}?`,
    clarifyVague: ({ topics }) => topics
      ? `Kunt u iets meer vertellen over waarmee ik u kan helpen? Gaat het bijvoorbeeld over ${topics}?`
      : 'Kunt u iets meer vertellen over waarmee ik u kan helpen? Met een paar woorden over uw vraag kan ik het juiste antwoord vinden.',
    handoffRequested: () => 'Natuurlijk. Ik geef het gesprek door aan een medewerker van ons team, die het hier zo snel mogelijk overneemt.',
    handoffAfterMisses: () => 'Het spijt me, ik kon daar geen antwoord op vinden. Een medewerker van ons team neemt het gesprek over en komt zo snel mogelijk bij u terug.',
    rephrase: () => 'Het spijt me, ik kon daar niets over vinden. Kunt u uw vraag anders formuleren of wat meer details geven?',
    notStated: () => 'Het spijt me, dat kon ik niet vinden in onze helpartikelen. Wilt u dat ik uw vraag doorgeef aan een medewerker van ons team?',
    textOnly: () => 'Sorry, ik kan alleen tekstberichten lezen, dus ik kon niet zien wat u stuurde. Kunt u uw vraag in een bericht typen?',
    askInput: (p) => `Om dat te doen heb ik ${p.description} nodig. Kunt u dat naar mij sturen?`,
    invalidInput: (p) => `Sorry, ${p.given} lijkt niet te kloppen als ${p.description}. Kunt u het controleren en opnieuw sturen?`,
    verifyFirst: () => 'Om dat te doen moet ik eerst bevestigen wie u bent, en dat kan ik niet in dit gesprek. Ik geef het gesprek door aan iemand van ons team, die u zo snel mogelijk helpt.',
    inputsGaveUp: () => 'Sorry, ik kon niet de gegevens krijgen die ik nodig heb. Iemand van ons team neemt het gesprek over en helpt u zo snel mogelijk.',
    checking: () => 'Een moment, ik zoek het voor u op.',
    propertyIs: (p) => `Uw ${p.property} is ${p.value}.`,
    propertyUnknown: (p) => `Ik heb uw ${p.property} niet in ons systeem.`,
    verifyToShare: () => 'Ik kan uw accountgegevens pas bekijken of wijzigen als ik weet dat u het bent. Log in op onze site, of vraag naar iemand van ons team.',
    confirmUpdate: (p) => `Zal ik uw ${p.property} wijzigen in ${p.value}? Antwoord alstublieft met ja of nee.`,
    updated: (p) => `Klaar: uw ${p.property} is nu ${p.value}.`,
    notUpdated: (p) => `Goed, ik heb uw ${p.property} gelaten zoals het was.`,
    leadIntro: () => 'Daar help ik graag bij. Eerst een paar korte vragen, zodat de juiste persoon contact met u opneemt:',
    leadHandoff: () => 'Dank u! Ik geef dit door aan ons salesteam, dat hier snel contact met u opneemt.',
    foundIn: ({ title }) => `Dit heb ik gevonden in ${title}:`,
    foundInOtherLanguage: ({ title, language }) => `Dit heb ik gevonden in ${title} (het artikel is in het ${language}):`,
    found: () => 'Dit heb ik gevonden:',
    shortAnswerIntro: ({ question }) => `Dit is ons antwoord op ${question}:`,
    shortAnswerIntroOtherLanguage: ({ question, language }) => `Dit is ons antwoord op ${question} (geschreven in het ${language}):`,
    shortAnswerLabel: 'kort antwoord',
    sourcesLabel: 'Bronnen:',
    languageNames: { en: 'Engels', da: 'Deens', nl: 'Nederlands', de: 'Duits', fr: 'Frans', es: 'Spaans' },
    quote: (t) => `‘${t}’`,
    list: (items) => joinWith(items, 'of'),
  },
  de: {
    clarifyTopics: ({ topics }) => `Ich möchte sichergehen, dass ich Ihnen die richtige Antwort gebe. Geht es bei Ihrer Frage um ${topics}?`,
    clarifyVague: ({ topics }) => topics
      ? `Können Sie mir etwas mehr darüber sagen, wobei ich Ihnen helfen kann? Geht es zum Beispiel um ${topics}?`
      : 'Können Sie mir etwas mehr darüber sagen, wobei ich Ihnen helfen kann? Ein paar Worte zu Ihrer Frage helfen mir, die richtige Antwort zu finden.',
    handoffRequested: () => 'Selbstverständlich. Ich gebe das Gespräch an jemanden aus unserem Team weiter, der hier so schnell wie möglich übernimmt.',
    handoffAfterMisses: () => 'Das tut mir leid, dazu konnte ich keine Antwort finden. Jemand aus unserem Team übernimmt das Gespräch und meldet sich so schnell wie möglich bei Ihnen.',
    rephrase: () => 'Das tut mir leid, dazu konnte ich nichts finden. Können Sie Ihre Frage anders formulieren oder ein paar Details ergänzen?',
    notStated: () => 'Das tut mir leid, das konnte ich in unseren Hilfeartikeln nicht finden. Soll ich Ihre Frage an jemanden aus unserem Team weitergeben?',
    textOnly: () => 'Entschuldigung, ich kann nur Textnachrichten lesen und konnte daher nicht sehen, was Sie geschickt haben. Könnten Sie Ihre Frage als Nachricht schreiben?',
    askInput: (p) => `Dafür brauche ich ${p.description}. Könnten Sie mir das schicken?`,
    invalidInput: (p) => `Entschuldigung, ${p.given} scheint als ${p.description} nicht zu stimmen. Könnten Sie es prüfen und noch einmal schicken?`,
    verifyFirst: () => 'Dafür muss ich zuerst bestätigen, wer Sie sind, und das kann ich in diesem Gespräch nicht. Ich gebe das Gespräch an jemanden aus unserem Team weiter, der Ihnen so bald wie möglich hilft.',
    inputsGaveUp: () => 'Entschuldigung, ich konnte die nötigen Angaben nicht bekommen. Jemand aus unserem Team übernimmt das Gespräch und hilft Ihnen so bald wie möglich.',
    checking: () => 'Einen Moment, ich sehe für Sie nach.',
    propertyIs: (p) => `Ihr ${p.property} ist ${p.value}.`,
    propertyUnknown: (p) => `Zu ${p.property} habe ich bei Ihnen nichts gespeichert.`,
    verifyToShare: () => 'Ihre Kontodaten kann ich erst ansehen oder ändern, wenn ich weiß, dass Sie es sind. Bitte melden Sie sich auf unserer Seite an oder fragen Sie nach jemandem aus unserem Team.',
    confirmUpdate: (p) => `Soll ich ${p.property} auf ${p.value} ändern? Bitte antworten Sie mit ja oder nein.`,
    updated: (p) => `Erledigt: ${p.property} ist jetzt ${p.value}.`,
    notUpdated: (p) => `In Ordnung, ich habe ${p.property} so gelassen, wie es war.`,
    leadIntro: () => 'Dabei helfe ich gern. Zuerst ein paar kurze Fragen, damit sich die richtige Person bei Ihnen meldet:',
    leadHandoff: () => 'Danke! Ich gebe das an unser Vertriebsteam weiter, das sich hier bald bei Ihnen meldet.',
    foundIn: ({ title }) => `Das habe ich in ${title} gefunden:`,
    foundInOtherLanguage: ({ title, language }) => `Das habe ich in ${title} gefunden (der Artikel ist auf ${language}):`,
    found: () => 'Das habe ich gefunden:',
    shortAnswerIntro: ({ question }) => `Hier ist unsere Antwort auf ${question}:`,
    shortAnswerIntroOtherLanguage: ({ question, language }) => `Hier ist unsere Antwort auf ${question} (auf ${language} verfasst):`,
    shortAnswerLabel: 'Kurzantwort',
    sourcesLabel: 'Quellen:',
    languageNames: { en: 'Englisch', da: 'Dänisch', nl: 'Niederländisch', de: 'Deutsch', fr: 'Französisch', es: 'Spanisch' },
    quote: (t) => `„${t}“`,
    list: (items) => joinWith(items, 'oder'),
  },
  fr: {
    clarifyTopics: ({ topics }) => `Je voudrais être sûr de vous donner la bonne réponse. Votre question porte-t-elle sur ${topics} ?`,
    clarifyVague: ({ topics }) => topics
      ? `Pourriez-vous m'en dire un peu plus sur ce dont vous avez besoin ? S'agit-il par exemple de ${topics} ?`
      : "Pourriez-vous m'en dire un peu plus sur ce dont vous avez besoin ? Quelques mots sur votre question m'aideront à trouver la bonne réponse.",
    handoffRequested: () => 'Bien sûr. Je transmets la conversation à un membre de notre équipe, qui prendra le relais ici dès que possible.',
    handoffAfterMisses: () => "Je suis désolé, je n'ai pas trouvé de réponse à cette question. Un membre de notre équipe va prendre le relais et vous répondra dès que possible.",
    rephrase: () => "Je suis désolé, je n'ai rien trouvé à ce sujet. Pourriez-vous reformuler votre question ou ajouter quelques détails ?",
    notStated: () => "Je suis désolé, je n'ai pas trouvé cela dans nos articles d'aide. Voulez-vous que je transmette votre question à un membre de notre équipe ?",
    textOnly: () => "Désolé, je ne peux lire que les messages texte, je n'ai donc pas pu voir ce que vous avez envoyé. Pourriez-vous écrire votre question dans un message ?",
    askInput: (p) => `Pour cela, j'ai besoin de ${p.description}. Pourriez-vous me l'envoyer ?`,
    invalidInput: (p) => `Désolé, ${p.given} ne semble pas correct pour ${p.description}. Pourriez-vous vérifier et le renvoyer ?`,
    verifyFirst: () => "Pour cela, je dois d'abord confirmer votre identité, ce que je ne peux pas faire dans cette conversation. Je la transmets à un membre de notre équipe, qui vous aidera dès que possible.",
    inputsGaveUp: () => "Désolé, je n'ai pas pu obtenir les informations nécessaires. Un membre de notre équipe va prendre le relais et vous aider dès que possible.",
    checking: () => 'Un instant, je vérifie cela pour vous.',
    propertyIs: (p) => `Votre ${p.property} est ${p.value}.`,
    propertyUnknown: (p) => `Je n'ai pas votre ${p.property} dans nos fichiers.`,
    verifyToShare: () => "Je ne peux consulter ou modifier les informations de votre compte qu'une fois sûr que c'est vous. Connectez-vous sur notre site, ou demandez un membre de notre équipe.",
    confirmUpdate: (p) => `Dois-je changer votre ${p.property} en ${p.value} ? Merci de répondre oui ou non.`,
    updated: (p) => `C'est fait : votre ${p.property} est maintenant ${p.value}.`,
    notUpdated: (p) => `Très bien, j'ai laissé votre ${p.property} tel quel.`,
    leadIntro: () => 'Avec plaisir. D\'abord quelques questions rapides, pour que la bonne personne vous recontacte :',
    leadHandoff: () => 'Merci ! Je transmets votre demande à notre équipe commerciale, qui vous répondra ici très bientôt.',
    foundIn: ({ title }) => `Voici ce que j'ai trouvé dans ${title} :`,
    foundInOtherLanguage: ({ title, language }) => `Voici ce que j'ai trouvé dans ${title} (l'article est en ${language}) :`,
    found: () => "Voici ce que j'ai trouvé :",
    shortAnswerIntro: ({ question }) => `Voici notre réponse à ${question} :`,
    shortAnswerIntroOtherLanguage: ({ question, language }) => `Voici notre réponse à ${question} (rédigée en ${language}) :`,
    shortAnswerLabel: 'réponse courte',
    sourcesLabel: 'Sources :',
    languageNames: { en: 'anglais', da: 'danois', nl: 'néerlandais', de: 'allemand', fr: 'français', es: 'espagnol' },
    quote: (t) => `« ${t} »`,
    list: (items) => joinWith(items, 'ou'),
  },
  es: {
    clarifyTopics: ({ topics }) => `Quiero asegurarme de darle la respuesta correcta. ¿Su pregunta es sobre ${topics}?`,
    clarifyVague: ({ topics }) => topics
      ? `¿Podría contarme un poco más sobre lo que necesita? Por ejemplo, ¿se trata de ${topics}?`
      : '¿Podría contarme un poco más sobre lo que necesita? Unas palabras sobre su pregunta me ayudarán a encontrar la respuesta correcta.',
    handoffRequested: () => 'Por supuesto. Paso la conversación a una persona de nuestro equipo, que le atenderá aquí lo antes posible.',
    handoffAfterMisses: () => 'Lo siento, no he encontrado una respuesta a eso. Una persona de nuestro equipo se hará cargo de la conversación y le responderá lo antes posible.',
    rephrase: () => 'Lo siento, no he encontrado nada sobre eso. ¿Podría reformular su pregunta o añadir algunos detalles?',
    notStated: () => 'Lo siento, no he encontrado eso en nuestros artículos de ayuda. ¿Quiere que pase su pregunta a una persona de nuestro equipo?',
    textOnly: () => 'Lo siento, solo puedo leer mensajes de texto, así que no he podido ver lo que ha enviado. ¿Podría escribir su pregunta en un mensaje?',
    askInput: (p) => `Para hacerlo necesito ${p.description}. ¿Podría enviármelo?`,
    invalidInput: (p) => `Lo siento, ${p.given} no parece correcto como ${p.description}. ¿Podría comprobarlo y enviarlo de nuevo?`,
    verifyFirst: () => 'Para hacerlo, primero tengo que confirmar su identidad, y no puedo hacerlo en esta conversación. Paso la conversación a un miembro de nuestro equipo, que le ayudará lo antes posible.',
    inputsGaveUp: () => 'Lo siento, no he podido obtener los datos que necesito. Un miembro de nuestro equipo continuará la conversación y le ayudará lo antes posible.',
    checking: () => 'Un momento, lo estoy comprobando.',
    propertyIs: (p) => `Su ${p.property} es ${p.value}.`,
    propertyUnknown: (p) => `No tengo registrado su ${p.property}.`,
    verifyToShare: () => 'Solo puedo consultar o cambiar los datos de su cuenta cuando sé que es usted. Inicie sesión en nuestro sitio o pida hablar con alguien de nuestro equipo.',
    confirmUpdate: (p) => `¿Cambio su ${p.property} a ${p.value}? Responda sí o no, por favor.`,
    updated: (p) => `Hecho: su ${p.property} ahora es ${p.value}.`,
    notUpdated: (p) => `De acuerdo, he dejado su ${p.property} como estaba.`,
    leadIntro: () => 'Con gusto le ayudo. Primero unas preguntas rápidas, para que la persona adecuada le responda:',
    leadHandoff: () => '¡Gracias! Paso esto a nuestro equipo de ventas, que le responderá aquí en breve.',
    foundIn: ({ title }) => `Esto es lo que he encontrado en ${title}:`,
    foundInOtherLanguage: ({ title, language }) => `Esto es lo que he encontrado en ${title} (el artículo está en ${language}):`,
    found: () => 'Esto es lo que he encontrado:',
    shortAnswerIntro: ({ question }) => `Esta es nuestra respuesta a ${question}:`,
    shortAnswerIntroOtherLanguage: ({ question, language }) => `Esta es nuestra respuesta a ${question} (redactada en ${language}):`,
    shortAnswerLabel: 'respuesta breve',
    sourcesLabel: 'Fuentes:',
    languageNames: { en: 'inglés', da: 'danés', nl: 'neerlandés', de: 'alemán', fr: 'francés', es: 'español' },
    quote: (t) => `«${t}»`,
    // "o" becomes "u" before a word starting with an o sound.
    list: (items) => joinWith(items, /^[«"“]?h?o/i.test(items.at(-1) ?? '') ? 'u' : 'o'),
  },
};

export function messagesFor(language: Language): TurnMessages {
  return MESSAGES[language];
}

/** Quoted topics joined as a list: “Gift cards” or “Loyalty card”. */
export function topicList(language: Language, topics: readonly string[]): string {
  const m = MESSAGES[language];
  return m.list(topics.map((t) => m.quote(t)));
}
