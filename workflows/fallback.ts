/**
 * The reply of last resort, when the turn itself keeps failing (a provider down, the database gone):
 * the customer is never left silent. Pure data, so the workflow can use it without an activity.
 */
const FALLBACK: Record<string, string> = {
  en: "Sorry, I'm having trouble answering right now. I've passed your message to our team and a person will get back to you.",
  da: 'Beklager, jeg har problemer med at svare lige nu. Jeg har sendt din besked videre til vores team, og en medarbejder vender tilbage til dig.',
  nl: 'Sorry, ik kan je nu even niet goed helpen. Ik heb je bericht doorgestuurd naar ons team en een medewerker neemt contact met je op.',
  de: 'Entschuldigung, ich kann gerade nicht antworten. Ich habe deine Nachricht an unser Team weitergegeben, und eine Person meldet sich bei dir.',
  fr: "Désolé, je n'arrive pas à répondre pour le moment. J'ai transmis votre message à notre équipe et une personne vous recontactera.",
  es: 'Lo siento, ahora mismo no puedo responder. He pasado tu mensaje a nuestro equipo y una persona se pondrá en contacto contigo.',
};

export function fallbackReplyText(locale: string | undefined): { text: string; language: string } {
  const lang = (locale ?? 'en').slice(0, 2).toLowerCase();
  const text = FALLBACK[lang];
  return text ? { text, language: lang } : { text: FALLBACK.en as string, language: 'en' };
}
