import type { Migration } from './index.js';

/**
 * Every kind of source (files, URLs, crawled sites, short answers), pages that belong to a crawled
 * site, what re-sync needs to skip unchanged pages, and where in a file a chunk came from.
 */
export const sourceSync: Migration = {
  version: 3,
  name: 'source_sync',
  sql: () => `
    ALTER TABLE sources DROP CONSTRAINT IF EXISTS sources_type_check;
    ALTER TABLE sources ADD CONSTRAINT sources_type_check
      CHECK (type IN ('text', 'markdown', 'html', 'file', 'url', 'site', 'short_answer'));
    -- A crawled site is one source; each of its pages is a child source, deleted with it.
    ALTER TABLE sources ADD COLUMN parent_id text REFERENCES sources(id) ON DELETE CASCADE;
    ALTER TABLE sources ADD COLUMN etag text;
    ALTER TABLE sources ADD COLUMN last_modified text;
    ALTER TABLE sources ADD COLUMN fetched_at timestamptz;
    ALTER TABLE sources ADD COLUMN error text;
    CREATE INDEX sources_parent_idx ON sources (parent_id) WHERE parent_id IS NOT NULL;

    -- Where in its source a chunk is: 'page 3', 'slide 2', 'sheet Orders', shown with the citation.
    ALTER TABLE chunks ADD COLUMN location text;
  `,
};
