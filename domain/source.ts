/** Knowledge sources: how one was given, what it is for, where its sync stands. Stored in rows and filtered on by the API. */
import { z } from 'zod';

/** How a source was given: pasted content (text, markdown, html), a file, a URL, a crawled site, a short answer. */
export const SOURCE_TYPES = ['text', 'markdown', 'html', 'file', 'url', 'site', 'short_answer'] as const;
export const SourceType = z.enum(SOURCE_TYPES);
export type SourceType = z.infer<typeof SourceType>;

/** What a source is to the people who run the agent; filterable, and shown with citations. */
export const SOURCE_KINDS = ['article', 'website_page', 'landing_page', 'blog_post', 'file', 'url', 'short_answer'] as const;
export const SourceKind = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKind>;
/** Kinds a caller may give a source; short answers are made only through their own route. */
export const ContentKind = SourceKind.exclude(['short_answer']);
export type ContentKind = z.infer<typeof ContentKind>;

/** 'ready' searchable, 'empty' nothing to search in it; the sync states are set by URL and site sources. */
export const SOURCE_STATUSES = ['pending', 'syncing', 'ready', 'empty', 'failed'] as const;
export const SourceStatus = z.enum(SOURCE_STATUSES);
export type SourceStatus = z.infer<typeof SourceStatus>;
