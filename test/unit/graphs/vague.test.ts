import { describe, expect, it } from 'vitest';
import { isVague } from '../../../graphs/turn/vague.js';

describe('a question too vague to answer', () => {
  it.each(['help', 'Help!', 'problem', 'order', 'I have a problem with my order', 'hi', '?', 'hjælp', 'Jeg har et problem',
    'hulp', 'Hilfe', 'Ich habe eine Frage', 'aide', "j'ai un problème", 'ayuda', 'tengo un problema con mi pedido'])('is vague: %s', (text) => {
    expect(isVague(text)).toBe(true);
  });

  it.each(['Where is my order?', 'password', 'How long does delivery take?', 'Hvor er min pakke?', 'Wo ist meine Bestellung?',
    'I have a problem with my order, it arrived damaged and the box was open'])('is specific enough: %s', (text) => {
    expect(isVague(text)).toBe(false);
  });
});
