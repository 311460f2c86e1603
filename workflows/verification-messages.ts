/**
 * What the agent says while it verifies a customer's email with a one-time code, in every supported
 * language: pure data, so the workflow uses it without an activity. The address is always masked
 * (`a…@example.com`): the transcript need not spell it out. No text here ever holds a code.
 */
import { baseLanguage, maskEmail } from '../domain/verification-code.js';

/** Why a code no longer works. */
export type DeadCode = 'expired' | 'too_many_attempts';

interface VerificationMessages {
  codeSent: (to: string) => string;
  confirmed: string;
  wrong: string;
  dead: Record<DeadCode, string>;
  /** After `dead`: a new code went out. */
  resent: (to: string) => string;
  /** After `dead`: no new code went out by itself. */
  askAgain: string;
  notSent: string;
}

const MESSAGES: Record<string, VerificationMessages> = {
  en: {
    codeSent: (to) => `To do that I need to confirm your email address. I've sent a 6-digit code to ${to}; please reply with it.`,
    confirmed: 'Thanks, your email address is confirmed.',
    wrong: "That code doesn't match. Please check it and try again.",
    dead: { expired: 'That code has expired.', too_many_attempts: 'That was too many tries, so that code no longer works.' },
    resent: (to) => `I've sent you a new one to ${to}; please reply with it.`,
    askAgain: "Just ask again and I'll send you a new one.",
    notSent: "I couldn't send a code to your email address, so a person from our team will take over.",
  },
  da: {
    codeSent: (to) => `For at gøre det skal jeg bekræfte din e-mailadresse. Jeg har sendt en 6-cifret kode til ${to}; svar venligst med den.`,
    confirmed: 'Tak, din e-mailadresse er bekræftet.',
    wrong: 'Den kode passer ikke. Tjek den, og prøv igen.',
    dead: { expired: 'Den kode er udløbet.', too_many_attempts: 'Det var for mange forsøg, så den kode virker ikke længere.' },
    resent: (to) => `Jeg har sendt dig en ny til ${to}; svar venligst med den.`,
    askAgain: 'Spørg bare igen, så sender jeg dig en ny.',
    notSent: 'Jeg kunne ikke sende en kode til din e-mailadresse, så en fra vores team tager over.',
  },
  nl: {
    codeSent: (to) => `Daarvoor moet ik je e-mailadres bevestigen. Ik heb een code van 6 cijfers naar ${to} gestuurd; stuur die hier terug.`,
    confirmed: 'Bedankt, je e-mailadres is bevestigd.',
    wrong: 'Die code klopt niet. Controleer hem en probeer het opnieuw.',
    dead: { expired: 'Die code is verlopen.', too_many_attempts: 'Dat waren te veel pogingen, dus die code werkt niet meer.' },
    resent: (to) => `Ik heb je een nieuwe naar ${to} gestuurd; stuur die hier terug.`,
    askAgain: 'Vraag het gewoon opnieuw, dan stuur ik je een nieuwe.',
    notSent: 'Ik kon geen code naar je e-mailadres sturen, dus iemand van ons team neemt het over.',
  },
  de: {
    codeSent: (to) => `Dafür muss ich deine E-Mail-Adresse bestätigen. Ich habe einen 6-stelligen Code an ${to} geschickt; bitte antworte damit.`,
    confirmed: 'Danke, deine E-Mail-Adresse ist bestätigt.',
    wrong: 'Dieser Code stimmt nicht. Bitte prüfe ihn und versuch es noch einmal.',
    dead: { expired: 'Dieser Code ist abgelaufen.', too_many_attempts: 'Das waren zu viele Versuche, deshalb gilt dieser Code nicht mehr.' },
    resent: (to) => `Ich habe dir einen neuen an ${to} geschickt; bitte antworte damit.`,
    askAgain: 'Frag einfach noch einmal, dann schicke ich dir einen neuen.',
    notSent: 'Ich konnte keinen Code an deine E-Mail-Adresse schicken, deshalb übernimmt jemand aus unserem Team.',
  },
  fr: {
    codeSent: (to) => `Pour cela, je dois confirmer votre adresse e-mail. Je vous ai envoyé un code à 6 chiffres à ${to} ; merci de me le renvoyer ici.`,
    confirmed: 'Merci, votre adresse e-mail est confirmée.',
    wrong: 'Ce code ne correspond pas. Vérifiez-le et réessayez.',
    dead: { expired: 'Ce code a expiré.', too_many_attempts: "Il y a eu trop d'essais, ce code n'est donc plus valable." },
    resent: (to) => `Je vous en ai envoyé un nouveau à ${to} ; merci de me le renvoyer ici.`,
    askAgain: 'Il suffit de refaire votre demande et je vous en enverrai un nouveau.',
    notSent: "Je n'ai pas pu envoyer de code à votre adresse e-mail ; un membre de notre équipe va donc prendre le relais.",
  },
  es: {
    codeSent: (to) => `Para hacerlo necesito confirmar tu dirección de correo electrónico. He enviado un código de 6 dígitos a ${to}; respóndeme con él.`,
    confirmed: 'Gracias, tu dirección de correo electrónico está confirmada.',
    wrong: 'Ese código no coincide. Revísalo e inténtalo de nuevo.',
    dead: { expired: 'Ese código ha caducado.', too_many_attempts: 'Has hecho demasiados intentos, así que ese código ya no sirve.' },
    resent: (to) => `Te he enviado uno nuevo a ${to}; respóndeme con él.`,
    askAgain: 'Vuelve a pedirlo y te enviaré uno nuevo.',
    notSent: 'No he podido enviar un código a tu dirección de correo electrónico, así que una persona de nuestro equipo se hará cargo.',
  },
};

type Text = { text: string; language: string };

function builtIn(language: string): { language: string; m: VerificationMessages } {
  const l = baseLanguage(language);
  const m = MESSAGES[l];
  return m ? { language: l, m } : { language: 'en', m: MESSAGES.en! };
}

/** A code went to the customer's address (shown masked): "…I've sent a 6-digit code to a…@example.com; please reply with it." */
export function verificationCodeSentText(email: string, language: string): Text {
  const { language: l, m } = builtIn(language);
  return { text: m.codeSent(maskEmail(email)), language: l };
}

/** The code was right: the customer is verified for the address. */
export function verificationConfirmedText(language: string): Text {
  const { language: l, m } = builtIn(language);
  return { text: m.confirmed, language: l };
}

/** The code was wrong (an attempt counted; more are left). */
export function verificationWrongCodeText(language: string): Text {
  const { language: l, m } = builtIn(language);
  return { text: m.wrong, language: l };
}

/**
 * The code expired or had too many tries. With `resentTo`, a new code went to that address ("…I've sent
 * you a new one to a…@example.com"); without, the customer is asked to ask again.
 */
export function verificationCodeDeadText(why: DeadCode, language: string, resentTo?: string): Text {
  const { language: l, m } = builtIn(language);
  return { text: `${m.dead[why]} ${resentTo ? m.resent(maskEmail(resentTo)) : m.askAgain}`, language: l };
}

/** No code could be sent (any SendRefusal, or the send failed for good): a person takes over. */
export function verificationNotSentText(language: string): Text {
  const { language: l, m } = builtIn(language);
  return { text: m.notSent, language: l };
}
