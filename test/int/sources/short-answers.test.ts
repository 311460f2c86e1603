import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ARTICLES } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

let sys: TestSystem;
let agentId: string;

const RETURN_WINDOW = {
  question: 'How long do I have to return an item?',
  answer: 'Until the end of January you have 60 days to return anything bought in December. Keep the receipt.',
  alternates: ['What is the return window?'],
};

beforeAll(async () => {
  sys = await startTestSystem('short-answers');
  agentId = await sys.createAgent({ articles: ALL_ARTICLES });
});
afterAll(async () => sys?.stop());

async function addShortAnswer(agent: string, body: Record<string, unknown>) {
  const res = await sys.request('POST', `/v1/agents/${agent}/short-answers`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; question: string; answer: string; alternates: string[]; enabled: boolean };
}

const ask = async (agent: string, text: string) => (await say(sys, agent, uniqueId('sa'), text)).body.reply;

describe('short answers', () => {
  it('a short answer wins over a similar article when the customer’s question is a paraphrase, given verbatim and cited as a short answer', async () => {
    const agent = await sys.createAgent({ articles: ALL_ARTICLES });
    const sa = await addShortAnswer(agent, RETURN_WINDOW);
    expect(sa).toMatchObject({ question: RETURN_WINDOW.question, answer: RETURN_WINDOW.answer, alternates: RETURN_WINDOW.alternates, enabled: true });

    const conv = uniqueId('paraphrase');
    const res = await say(sys, agent, conv, 'How many days do I have to return an item?');
    const { reply } = res.body;
    expect(reply.kind).toBe('answer');
    expect(reply.text).toContain(RETURN_WINDOW.answer);
    expect(reply.text).not.toMatch(/within 30 days of delivery/);
    expect(reply.sources).toEqual([expect.objectContaining({ id: sa.id, title: RETURN_WINDOW.question, kind: 'short_answer' })]);
    expect(reply.text).toMatch(/\(short answer\)/);
    const transcript = (await sys.request('GET', `/v1/agents/${agent}/conversations/${conv}`)).body.transcript;
    expect(transcript.at(-1).insights.triggers).toContain('short_answer');
  });

  it('a question about something else is still answered from the articles', async () => {
    const agent = await sys.createAgent({ articles: ALL_ARTICLES });
    await addShortAnswer(agent, RETURN_WINDOW);
    const reply = await ask(agent, 'How long does standard delivery take?');
    expect(reply.kind).toBe('answer');
    expect(reply.text).not.toContain(RETURN_WINDOW.answer);
    expect(reply.sources[0]).toMatchObject({ title: 'Shipping times and costs' });
  });

  it('are listed, changed, disabled and deleted, and answers follow', async () => {
    const sa = await addShortAnswer(agentId, { question: 'Do you gift wrap orders?', answer: 'Yes, gift wrapping is free at checkout.' });
    expect((await sys.request('GET', `/v1/agents/${agentId}/short-answers`)).body.shortAnswers).toEqual([expect.objectContaining({ id: sa.id })]);
    expect((await ask(agentId, 'Can you gift wrap my order?')).text).toContain('gift wrapping is free at checkout');

    const changed = await sys.request('PATCH', `/v1/agents/${agentId}/short-answers/${sa.id}`, { answer: 'No, we no longer gift wrap.' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: sa.id, question: 'Do you gift wrap orders?', answer: 'No, we no longer gift wrap.', enabled: true });
    const afterChange = await ask(agentId, 'Can you gift wrap my order?');
    expect(afterChange.text).toContain('No, we no longer gift wrap.');
    expect(afterChange.text).not.toContain('free at checkout');

    expect((await sys.request('PATCH', `/v1/agents/${agentId}/short-answers/${sa.id}`, { enabled: false })).body.enabled).toBe(false);
    expect((await ask(agentId, 'Can you gift wrap my order?')).text).not.toContain('we no longer gift wrap');

    expect((await sys.request('DELETE', `/v1/agents/${agentId}/short-answers/${sa.id}`)).status).toBe(204);
    expect((await sys.request('GET', `/v1/agents/${agentId}/short-answers/${sa.id}`)).status).toBe(404);
    expect((await sys.request('GET', `/v1/agents/${agentId}/sources?type=short_answer`)).body.sources).toEqual([]);
  });

  it.each([
    [{ answer: 'Yes.' }, 'question'],
    [{ question: 'Open on Sundays?' }, 'answer'],
    [{ question: 'Open on Sundays?', answer: '   ' }, 'answer'],
    [{ question: 'Open on Sundays?', answer: 'No.', alternates: ['ok', ''] }, 'alternates.1'],
    [{ question: 'Open on Sundays?', answer: 'No.', alternates: 'Sunday?' }, 'alternates'],
    [{ question: 'Open on Sundays?', answer: 'No.', colour: 'red' }, undefined],
  ])('refuses %j naming the field', async (body, field) => {
    const res = await sys.request('POST', `/v1/agents/${agentId}/short-answers`, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_request');
    if (field) expect(res.body.error.field).toBe(field);
  });

  it('a short answer is not found through another agent, nor is an article as a short answer', async () => {
    const sa = await addShortAnswer(agentId, { question: 'Do you have a shop in Odense?', answer: 'Not yet.' });
    const other = await sys.createAgent();
    expect((await sys.request('GET', `/v1/agents/${other}/short-answers/${sa.id}`)).status).toBe(404);
    expect((await sys.request('PATCH', `/v1/agents/${other}/short-answers/${sa.id}`, { enabled: false })).status).toBe(404);
    const article = (await sys.request('GET', `/v1/agents/${agentId}/sources?kind=article`)).body.sources[0];
    const res = await sys.request('GET', `/v1/agents/${agentId}/short-answers/${article.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.field).toBe('shortAnswerId');
  });
});
