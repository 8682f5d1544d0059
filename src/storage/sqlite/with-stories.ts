import type { StoryStore } from '../../pipeline/ports.js';
import { openSqliteDatabase } from './database.js';
import { openSqliteStores, type SqliteStores } from './index.js';
import { createSqliteStoryStore } from './story-store.js';

/**
 * Every SQLite port plus the story store. Stories use their own connection to the same file until
 * SqliteStores carries them (WAL; better-sqlite3 is synchronous, so the two connections never
 * interleave within this process); `close` closes both.
 */
export function openSqliteStoresWithStories(file: string): SqliteStores & { readonly stories: StoryStore } {
  const sqlite = openSqliteStores(file);
  const storyDb = openSqliteDatabase(file);
  return {
    ...sqlite,
    stories: createSqliteStoryStore(storyDb),
    async close(): Promise<void> {
      await sqlite.close();
      if (storyDb.open) storyDb.close();
    },
  };
}
