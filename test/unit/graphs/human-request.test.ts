import { describe, expect, it } from 'vitest';
import { detectHumanRequest } from '../../../graphs/turn/human-request.js';

describe('a request for a person', () => {
  it.each([
    'can I talk to a human',
    'Can I speak to someone please?',
    'I want a real person',
    "I'd like to speak with an agent.",
    'human please',
    'Agent!',
    'jeg vil gerne tale med et menneske',
    'Kan jeg snakke med en medarbejder?',
    'ik wil een medewerker spreken',
    'Kan ik met iemand praten?',
    'ich möchte mit einem Mitarbeiter sprechen',
    'Mitarbeiter bitte',
    'Ich moechte mit einem Menschen sprechen',
    'je veux parler à un conseiller',
    "Je voudrais parler a quelqu'un",
    'quiero hablar con una persona',
    '¿Puedo hablar con un agente?',
    'My order is late. Can I talk to a human?',
  ])('is recognised: %s', (text) => {
    expect(detectHumanRequest(text).requested).toBe(true);
  });

  it.each([
    'How do I add a staff member to my account?',
    'Do I need a staff account to order?',
    'Can a person pick up my order for me?',
    'The delivery agent left my parcel outside',
    'Hvor er min pakke?',
    'Wo ist meine Bestellung?',
    'Personne ne répond au téléphone du magasin, où est ma commande ?',
    'How long does standard delivery take?',
  ])('is not read into an ordinary question: %s', (text) => {
    expect(detectHumanRequest(text).requested).toBe(false);
  });

  it('says which words matched', () => {
    expect(detectHumanRequest('quiero hablar con una persona').evidence).toBe('hablar … persona');
  });
});
