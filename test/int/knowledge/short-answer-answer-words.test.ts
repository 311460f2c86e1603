import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/types.js';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import type { ShortAnswerContent } from '../../../knowledge/short-answers.js';
import { agentWithKnowledge, askAgent } from './helpers.js';

// A to-do app's help centre, written for this test: one article, and short answers whose answers name
// things in other words than their questions do ("dark mode" is switched on as a "theme").
const ARTICLE = {
  title: 'Using Tasklet',
  content: `# Using Tasklet

## Lists
Create a list with New list and add tasks to it. Drag a task to reorder it.

## Reminders
Open a task and press the bell to be reminded of it at a time you choose.`,
};

const DARK_MODE: ShortAnswerContent = {
  question: 'How do I turn on dark mode?',
  answer: 'Open Settings › Appearance and pick the Night theme: black background, grey text.',
};
const EXPORT_CSV: ShortAnswerContent = {
  question: 'How do I export my tasks to CSV?',
  answer: 'Open Settings › Data and press Export: you get a spreadsheet file with every task.',
};
const SHARE_LIST: ShortAnswerContent = {
  question: 'Can I share a list with my family?',
  answer: 'Yes: open the list, press Share and invite them by email.',
};
const SHORT_ANSWERS = [DARK_MODE, EXPORT_CSV, SHARE_LIST];

const embedder = createOfflineEmbedder();
let db: Db;
let agentId: string;

beforeAll(async () => {
  ({ db, agentId } = await agentWithKnowledge(embedder, { name: 'Short answer words test', articles: [ARTICLE], shortAnswers: SHORT_ANSWERS }));
});
afterAll(async () => { await db?.close(); });

const ask = (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'en' }, text);

describe('short answers match a paraphrase that names the thing as the answer does', () => {
  it('a paraphrase using the answer\'s word for the same thing gets the short answer', async () => {
    const result = await ask('How do I turn on the night theme?');
    expect(result.reply?.text).toContain(DARK_MODE.answer);
    expect(result.insights.triggers).toEqual(['short_answer']);
  });

  it('a different question about the same product gets no short answer', async () => {
    const result = await ask('How do I turn on reminders?');
    for (const sa of SHORT_ANSWERS) expect(result.reply?.text ?? '').not.toContain(sa.answer);
    expect(result.insights.triggers).not.toContain('short_answer');
  });
});
