import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/types.js';
import { DEFAULT_THRESHOLDS } from '../../../graphs/turn/relevance.js';
import { createOfflineEmbedder } from '../../../knowledge/embedders/offline.js';
import type { ShortAnswerContent } from '../../../knowledge/short-answers.js';
import { agentWithKnowledge, askAgent } from './helpers.js';

// A note-taking app's help centre, written for this test: articles that name the product and its notes
// everywhere, and short answers whose questions each turn on a rarer word (PDF, Windows, Mac).
const ARTICLES = [
  {
    title: 'Getting started with Notely',
    content: `# Getting started with Notely

## Your first note
Open Notely and press New note. Give the note a title and start typing; Notely saves every note as you write.

## Notebooks
Keep related notes together in a notebook. Drag a note onto a notebook in the sidebar to move it there.

## Finding a note
Type in the search bar at the top to find any note by its title or text.`,
  },
  {
    title: 'Your Notely account',
    content: `# Your Notely account

## Signing in
Sign in to Notely with your email address and password to see your notes on every device.

## Changing your password
Open Settings, choose Account and then Change password. Notely signs you out on your other devices.`,
  },
  {
    title: 'Sharing and printing notes',
    content: `# Sharing and printing notes

## Sharing a note
Open the note and press Share to invite people by email. They can read the note; give them edit rights to let them change it.

## Printing a note
Open the note and choose File, then Print.`,
  },
];

const EXPORT_PDF: ShortAnswerContent = { question: 'How do I export a note as a PDF?', answer: 'Open the note and choose File › Export › PDF.' };
const WINDOWS_APP: ShortAnswerContent = { question: 'Is there a Notely app for Windows?', answer: 'Yes: download it from notely.example/windows.' };
const MAC_APP: ShortAnswerContent = { question: 'Is there a Notely app for Mac?', answer: 'Yes: get it from the Mac App Store.' };

const embedder = createOfflineEmbedder();
let db: Db;
let agentId: string;

beforeAll(async () => {
  ({ db, agentId } = await agentWithKnowledge(embedder, { name: 'Short answer matching test', articles: ARTICLES, shortAnswers: [EXPORT_PDF, WINDOWS_APP, MAC_APP] }));
});
afterAll(async () => { await db?.close(); });

const ask = (text: string) => askAgent(db, embedder, { id: agentId, defaultLanguage: 'en' }, text);

const allShortAnswers = [EXPORT_PDF, WINDOWS_APP, MAC_APP].map((sa) => sa.answer);

describe('short answers match paraphrases (offline embedder)', () => {
  it.each([
    'Is there a way to get a PDF export of a note I wrote?',
    'Could I export one of my notes to PDF?',
  ])('a question in other words that keeps the rare terms gets the stored answer: "%s"', async (question) => {
    const result = await ask(question);
    expect(result.reply?.text).toContain(EXPORT_PDF.answer);
    expect(result.reply?.sources).toEqual([expect.objectContaining({ title: EXPORT_PDF.question, kind: 'short_answer' })]);
    expect(result.insights.triggers).toEqual(['short_answer']);
  });

  it('a question on the same subject that shares only its common words is answered from the articles', async () => {
    const result = await ask('How do I print a note?');
    expect(result.reply?.kind).toBe('answer');
    expect(result.reply?.text).not.toContain(EXPORT_PDF.answer);
    expect(result.reply?.sources[0]?.title).toBe('Sharing and printing notes');
    expect(result.insights.triggers).not.toContain('short_answer');
  });

  it.each([
    'Is there a Notely app for Linux?',
    'Is there an app for Windows and Mac?',
  ])('a question that matches two stored questions about equally gets neither answer: "%s"', async (question) => {
    const result = await ask(question);
    for (const answer of allShortAnswers) expect(result.reply?.text).not.toContain(answer);
    expect(result.insights.triggers).not.toContain('short_answer');
    // Each would pass on its own match: it is the tie that holds them back.
    expect(result.insights.scores.shortAnswerMatch).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.shortAnswerMin);
    expect(result.insights.scores.shortAnswerLead).toBeLessThan(DEFAULT_THRESHOLDS.shortAnswerLead);
  });
});
