import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteDatabase, openSqliteStores } from '../../src/storage/sqlite/index.js';
import { createSqliteStoryStore } from '../../src/storage/sqlite/story-store.js';
import { destinationPausesContract } from '../contracts/destination-pauses.contract.js';
import { feedStoreContract } from '../contracts/feeds.contract.js';
import { ingestStoreContract } from '../contracts/ingest.contract.js';
import { itemStoreContract } from '../contracts/items.contract.js';
import { outboxStoreContract } from '../contracts/outbox.contract.js';
import type { OpenStores } from '../contracts/stores.contract.js';
import { storyStoreContract } from '../contracts/stories.contract.js';
import { watchTermStoreContract } from '../contracts/watch-terms.contract.js';

const root = mkdtempSync(join(tmpdir(), 'wirewatch-sqlite-contract-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let opened = 0;
/** A fresh database file per test, in a folder that does not exist yet (the store creates it). */
const open: OpenStores = async () => {
  opened++;
  const stores = openSqliteStores(join(root, `case-${opened}`, 'wirewatch.db'));
  return { stores, close: () => stores.close() };
};

feedStoreContract('sqlite', open);
ingestStoreContract('sqlite', open);
outboxStoreContract('sqlite', open);
destinationPausesContract('sqlite', async () => {
  opened++;
  const file = join(root, `case-${opened}`, 'wirewatch.db');
  const handles = [openSqliteStores(file)];
  const [stores] = handles as [(typeof handles)[number]];
  return {
    stores,
    again: async () => {
      const another = openSqliteStores(file);
      handles.push(another);
      return another;
    },
    close: async () => {
      for (const handle of handles) await handle.close();
    },
  };
});
itemStoreContract('sqlite', open);
watchTermStoreContract('sqlite', open);
storyStoreContract('sqlite', async ({ maxItems }) => {
  opened++;
  const db = openSqliteDatabase(join(root, `case-${opened}`, 'wirewatch.db'));
  return {
    stories: createSqliteStoryStore(db, { maxItems }),
    pause: async (destinationId) => void db.prepare('INSERT INTO paused_destinations (destination_id, reason, paused_at) VALUES (?, ?, 0)').run(destinationId, 'test'),
    close: async () => void db.close(),
  };
});
