import { describe, expect, it } from 'vitest';
import { ACTION, ANSWER, DECIDE, HANDOFF, INTAKE, RETRIEVE } from '../../../graphs/turn/names.js';
import { createTurnGraph, runTurn } from '../../../graphs/turn/graph.js';
import { createExtractiveResponder } from '../../../graphs/turn/responders/extractive.js';
import { buildWorld } from './support/world.js';

describe('the turn graph', () => {
  it('answers a clear question by quoting the matching passage and citing it as [1]', async () => {
    const { ask } = buildWorld();
    const result = await ask('How long does standard delivery take?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.language).toBe('en');
    expect(result.reply.text).toMatch(/Standard delivery takes 2 to 4 working days within the EU\. .*\[1\]/);
    expect(result.reply.text).toMatch(/Sources:\n\[1\] Shipping times and costs – https:\/\/help\.example\.test\/shipping/);
    expect(result.reply.sources).toHaveLength(1);
    expect(result.reply.sources[0]).toMatchObject({ id: 'shipping', title: 'Shipping times and costs', url: 'https://help.example.test/shipping' });
    expect(result.reply.confidence).toBeGreaterThan(0.5);
    expect(result.reply.confidence).toBeLessThanOrEqual(1);
    expect(result.insights.path).toEqual([INTAKE, ACTION, RETRIEVE, DECIDE, ANSWER]);
    expect(result.insights.triggers).toEqual(['confident_match']);
    expect(result.insights.responder).toBe('extractive');
    expect(result.insights.reason).toMatch(/^confident_match: /);
    expect(result.insights.candidates[0]).toMatchObject({ sourceId: 'shipping', heading: 'Delivery times' });
    expect(result.insights.scores).toMatchObject({ retrieveMs: 5, answerMs: 5, actionsAvailable: 0 });
    expect(result.intent).toEqual({});
    expect(result.missStreak).toBe(0);
  });

  it('resets the miss streak once something relevant is found', async () => {
    const { ask } = buildWorld();
    const result = await ask('How do I reset my password?', { missStreak: 1 });
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.text).toMatch(/Forgot password/);
    expect(result.missStreak).toBe(0);
  });

  it('asks which topic is meant when the top candidates come from different sources, naming both', async () => {
    const { ask } = buildWorld();
    const result = await ask('How do I use my card at checkout?');
    expect(result.reply.kind).toBe('clarify');
    expect(result.reply.text).toContain('“Gift cards” or “Loyalty card”');
    expect(result.reply.sources).toEqual([]);
    expect(result.reply.confidence).toBeLessThanOrEqual(0.5);
    expect(result.insights.triggers).toEqual(['ambiguous_top_candidates']);
    expect(result.insights.path).toEqual([INTAKE, ACTION, RETRIEVE, DECIDE]);
    expect(result.insights.responder).toBe('fixed_message');
  });

  it('answers a photo or a voice note with a fixed request for text, in the conversation\'s language, without searching', async () => {
    const { ask } = buildWorld();
    const result = await ask('[image]', { missStreak: 1 });
    expect(result.reply).toMatchObject({ kind: 'clarify', language: 'en', sources: [], confidence: 1 });
    expect(result.reply.text).toMatch(/only read text messages/);
    expect(result.insights.path).toEqual([INTAKE]);
    expect(result.insights.triggers).toEqual(['unsupported_message:image']);
    expect(result.insights.responder).toBe('fixed_message');
    expect(result.missStreak).toBe(1);
    const danish = await ask('[audio]', { history: [{ role: 'customer', text: 'Hvor er min pakke henne?' }, { role: 'agent', text: '…' }] });
    expect(danish.reply).toMatchObject({ kind: 'clarify', language: 'da' });
    expect(danish.reply.text).toMatch(/kun læse tekstbeskeder/);
  });

  it('reads brackets around other words as a question', async () => {
    const { ask } = buildWorld();
    const result = await ask('[shipping] How long does standard delivery take?');
    expect(result.reply.kind).toBe('answer');
  });

  it('asks for more detail when the question is a single generic word', async () => {
    const { ask } = buildWorld();
    for (const text of ['help', 'Hjælp!', 'problem', 'Bestellung']) {
      const result = await ask(text);
      expect(result.reply.kind, text).toBe('clarify');
      expect(result.insights.triggers, text).toEqual(['vague_question']);
      expect(result.missStreak, text).toBe(0);
    }
  });

  it('suggests topics when a vague question matches some', async () => {
    const { ask } = buildWorld();
    const result = await ask('order');
    expect(result.reply.text).toMatch(/For example, is it about “Shipping times and costs”\?/);
  });

  it.each([
    ['Can I talk to a human?', 'en', /a member of our team/],
    ['jeg vil gerne tale med et menneske', 'da', /medarbejdere/],
    ['ich möchte mit einem Mitarbeiter sprechen', 'de', /jemanden aus unserem Team/],
    ['je veux parler à un conseiller', 'fr', /un membre de notre équipe/],
    ['quiero hablar con una persona', 'es', /una persona de nuestro equipo/],
    ['ik wil een medewerker spreken', 'nl', /een medewerker van ons team/],
  ])('hands off at once, without searching, when asked for a person: %s', async (text, language, said) => {
    const { ask, retriever } = buildWorld();
    const result = await ask(text);
    expect(result.reply.kind).toBe('handoff');
    expect(result.reply.language).toBe(language);
    expect(result.reply.text).toMatch(said);
    expect(result.intent).toEqual({ handoff: { reason: 'human_requested' } });
    expect(result.insights.triggers).toEqual(['human_requested']);
    expect(result.insights.path).toEqual([INTAKE, HANDOFF]);
    expect(retriever.queries).toHaveLength(0);
  });

  it('asks to rephrase after the first miss and hands off after the second', async () => {
    const { ask } = buildWorld();
    const first = await ask('Do you sell replacement parts for vintage harpsichords?');
    expect(first.reply.kind).toBe('clarify');
    expect(first.reply.text).toMatch(/Could you rephrase your question/);
    expect(first.insights.triggers).toEqual(['first_miss']);
    expect(first.intent).toEqual({});
    expect(first.missStreak).toBe(1);

    const second = await ask('What about tuning forks for marimbas?', { missStreak: first.missStreak });
    expect(second.reply.kind).toBe('handoff');
    expect(second.reply.text).toMatch(/couldn't find an answer.*A member of our team will take over/);
    expect(second.intent).toEqual({ handoff: { reason: 'second_miss' } });
    expect(second.insights.triggers).toEqual(['second_miss']);
    expect(second.insights.path).toEqual([INTAKE, ACTION, RETRIEVE, DECIDE, HANDOFF]);
    expect(second.missStreak).toBe(0);
  });

  it('answers a Danish question in Danish, with Danish fixed text', async () => {
    const { ask, retriever } = buildWorld();
    const result = await ask('Hvor lang tid tager levering i Danmark?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.language).toBe('da');
    // The duration asked for leads.
    expect(result.reply.text).toMatch(/^Her er, hvad jeg fandt i »Levering og fragt«:\nLevering i Danmark tager normalt 1 til 2 hverdage\./);
    expect(result.reply.text).toMatch(/Kilder:\n\[1\] Levering og fragt/);
    expect(retriever.queries[0]).toMatchObject({ agentId: 'agent-1', language: 'da' });
  });

  it('asks a Danish customer to rephrase in Danish', async () => {
    const { ask } = buildWorld();
    const result = await ask('Sælger I reservedele til cembaloer?');
    expect(result.reply.language).toBe('da');
    expect(result.reply.text).toMatch(/^Beklager, jeg kunne ikke finde noget om det/);
  });

  it('quotes an English article to a Danish customer under a Danish lead-in that names the article language', async () => {
    const { ask } = buildWorld();
    const result = await ask('Hvordan nulstiller jeg min password?');
    expect(result.reply.kind).toBe('answer');
    expect(result.reply.language).toBe('da');
    expect(result.reply.text).toMatch(/^Her er, hvad jeg fandt i »Resetting your password« \(artiklen er på engelsk\):\nClick "Forgot password"/);
  });

  it('falls back to the customer locale, then the agent default, when the message is too short to tell', async () => {
    const { ask } = buildWorld();
    expect((await ask('ok', { customer: { locale: 'de-AT' } })).reply.language).toBe('de');
    const agent = { id: 'agent-1', name: 'Butik', defaultLanguage: 'da' };
    expect((await ask('ok', { agent })).reply.language).toBe('da');
    expect((await ask('ok')).reply.language).toBe('en');
  });

  it('keeps the language of the conversation for a short follow-up', async () => {
    const { ask } = buildWorld();
    const result = await ask('ok', { history: [{ role: 'customer', text: 'Hvor er min pakke henne?' }, { role: 'agent', text: '…' }] });
    expect(result.reply.language).toBe('da');
  });

  it('gives every result a confidence between 0 and 1', async () => {
    const { ask } = buildWorld();
    for (const text of ['How much does express shipping cost?', 'help', 'Can I talk to a human?', 'xyzzy plugh']) {
      const { reply } = await ask(text);
      expect(reply.confidence, text).toBeGreaterThanOrEqual(0);
      expect(reply.confidence, text).toBeLessThanOrEqual(1);
    }
  });

  it('replaces a reply that cites nothing it was given with the extractive quote', async () => {
    const careless = { name: 'careless', answer: async () => ({ text: 'Delivery is quick [8].', citations: [8] }) };
    const { ask } = buildWorld({ responder: careless });
    const result = await ask('How long does standard delivery take?');
    expect(result.reply.text).toMatch(/2 to 4 working days within the EU\. .*\[1\]/);
    expect(result.reply.text).not.toContain('[8]');
    expect(result.insights.responder).toBe('extractive');
    expect(result.insights.triggers).toContain('no_valid_citation');
  });

  it('lets a retrieval failure fail the turn, so the activity retries it', async () => {
    const retriever = { retrieve: async () => { throw new Error('database unavailable'); } };
    const graph = createTurnGraph({ retriever, responder: createExtractiveResponder(), clock: () => new Date(0) });
    await expect(runTurn(graph, {
      agent: { id: 'a', name: 'Shop', defaultLanguage: 'en' }, message: { id: 'm', text: 'Where is my parcel?' }, history: [], missStreak: 0,
    })).rejects.toThrow('database unavailable');
  });
});
