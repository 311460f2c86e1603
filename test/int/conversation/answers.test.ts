import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ARTICLES } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

let sys: TestSystem;
let agentId: string;

beforeAll(async () => {
  sys = await startTestSystem('answers');
  agentId = await sys.createAgent({ articles: ALL_ARTICLES });
});
afterAll(async () => sys?.stop());

describe('a customer asking the agent', () => {
  it('gets an answer quoted from the matching article, with that article as its numbered source', async () => {
    const conv = uniqueId('answer');
    const res = await say(sys, agentId, conv, 'How long does standard delivery take?');
    expect(res.status).toBe(200);
    const { reply, conversation } = res.body;
    expect(reply.kind).toBe('answer');
    expect(reply.language).toBe('en');
    expect(reply.text).toMatch(/2 to 4 working days/);
    expect(reply.text).toMatch(/\[1\]/);
    expect(reply.sources[0]).toMatchObject({ title: 'Shipping times and costs', url: 'https://help.example.test/shipping' });
    expect(reply.confidence).toBeGreaterThan(0.4);
    expect(conversation).toEqual({ id: conv, status: 'open' });
  });

  it('sees the transcript with the reply, its sources and why the agent answered', async () => {
    const conv = uniqueId('transcript');
    await say(sys, agentId, conv, 'How do I reset my password?');
    const res = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('open');
    const [question, answer] = res.body.transcript;
    expect(question).toMatchObject({ role: 'customer', text: 'How do I reset my password?' });
    expect(answer.role).toBe('agent');
    expect(answer.text).toMatch(/Forgot password/);
    expect(answer.sources[0].title).toBe('Resetting your password');
    expect(answer.insights.path).toEqual(expect.arrayContaining(['retrieve']));
    expect(answer.insights.reason).toBeTruthy();
    expect(answer.insights.candidates.length).toBeGreaterThan(0);
  });

  it('is handed to a person at once when asking for one', async () => {
    const conv = uniqueId('human');
    const res = await say(sys, agentId, conv, 'Can I talk to a human please?');
    expect(res.body.reply.kind).toBe('handoff');
    expect(res.body.conversation.status).toBe('handoff_requested');
    const transcript = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
    expect(transcript.body.status).toBe('handoff_requested');
    expect(transcript.body.transcript[1].insights.triggers).toContain('human_requested');
  });

  it('is asked to rephrase after one miss and handed off after the second', async () => {
    const conv = uniqueId('misses');
    const first = await say(sys, agentId, conv, 'Do you sell replacement parts for vintage harpsichords?');
    expect(first.body.reply.kind).not.toBe('handoff');
    expect(first.body.conversation.status).toBe('open');
    const second = await say(sys, agentId, conv, 'What about tuning forks for marimbas?');
    expect(second.body.reply.kind).toBe('handoff');
    expect(second.body.conversation.status).toBe('handoff_requested');
  });

  it('asking in Danish gets a Danish answer from the Danish article', async () => {
    const conv = uniqueId('danish');
    const res = await say(sys, agentId, conv, 'Hvor lang tid tager levering i Danmark?');
    expect(res.body.reply.kind).toBe('answer');
    expect(res.body.reply.language).toBe('da');
    expect(res.body.reply.text).toMatch(/1 til 2 hverdage/);
    expect(res.body.reply.sources[0].title).toBe('Levering og fragt');
  });

  it('a Danish request for a person is answered in Danish', async () => {
    const res = await say(sys, agentId, uniqueId('danish-human'), 'Jeg vil gerne tale med et menneske');
    expect(res.body.reply.kind).toBe('handoff');
    expect(res.body.reply.language).toBe('da');
  });

  it('an ambiguous question gets a clarifying question naming the candidate topics', async () => {
    const res = await say(sys, agentId, uniqueId('clarify'), 'How do I use my card at checkout?');
    expect(res.body.reply.kind).toBe('clarify');
    expect(res.body.reply.text).toMatch(/Gift card/i);
    expect(res.body.reply.text).toMatch(/Loyalty card/i);
  });

  it('pages alike but for one rare term are told apart by it, not clarified', async () => {
    const guides = await sys.createAgent({
      name: 'Assembly guides',
      articles: Array.from({ length: 10 }, (_, i) => ({
        type: 'markdown' as const,
        title: `Assembly guide ${i + 1}`,
        content: `# Assembly guide ${i + 1}\n\nIn assembly step ${i + 1}, tighten bolt number ${i + 101} by hand before fitting the wheels.\n`,
      })),
    });
    const res = await say(sys, guides, uniqueId('rare-term'), 'Which bolt do I tighten in assembly step 7?');
    expect(res.body.reply.kind).toBe('answer');
    expect(res.body.reply.text).toMatch(/bolt number 107/);
    expect(res.body.reply.sources[0].title).toBe('Assembly guide 7');
  });
});
