/**
 * Every store contract suite, run against Postgres (127.0.0.1:5432, database `test`, or
 * WIREWATCH_TEST_POSTGRES_URL). Each test gets its own schema, dropped after, so parallel test
 * files and CI runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { createPostgresStoryStore, openPostgresDatabase, openPostgresStores } from '../../src/storage/postgres/index.js';
import { dropSchema } from '../../src/storage/postgres/admin.js';
import { migrate } from '../../src/storage/postgres/migrations.js';
import { destinationPausesContract } from '../contracts/destination-pauses.contract.js';
import { feedStoreContract } from '../contracts/feeds.contract.js';
import { ingestStoreContract } from '../contracts/ingest.contract.js';
import { itemStoreContract } from '../contracts/items.contract.js';
import { outboxStoreContract } from '../contracts/outbox.contract.js';
import type { OpenStores } from '../contracts/stores.contract.js';
import { storyStoreContract } from '../contracts/stories.contract.js';
import { watchTermStoreContract } from '../contracts/watch-terms.contract.js';
import { POSTGRES_URL } from './postgres-url.js';

const run = `wwt_${process.pid}_${randomBytes(3).toString('hex')}`;
let opened = 0;

const open: OpenStores = async () => {
  const schema = `${run}_${++opened}`;
  const stores = await openPostgresStores(POSTGRES_URL, { schema, maxConnections: 4 });
  return {
    stores,
    close: async () => {
      await stores.close();
      await dropSchema(POSTGRES_URL, schema);
    },
  };
};

feedStoreContract('postgres', open);
ingestStoreContract('postgres', open);
outboxStoreContract('postgres', open);
destinationPausesContract('postgres', async () => {
  const schema = `${run}_${++opened}`;
  const handles = [await openPostgresStores(POSTGRES_URL, { schema, maxConnections: 4 })];
  const [stores] = handles as [(typeof handles)[number]];
  return {
    stores,
    again: async () => {
      const another = await openPostgresStores(POSTGRES_URL, { schema, maxConnections: 2 });
      handles.push(another);
      return another;
    },
    close: async () => {
      for (const handle of handles) await handle.close();
      await dropSchema(POSTGRES_URL, schema);
    },
  };
});
itemStoreContract('postgres', open);
watchTermStoreContract('postgres', open);
storyStoreContract('postgres', async ({ maxItems }) => {
  const schema = `${run}_${++opened}`;
  const db = openPostgresDatabase(POSTGRES_URL, { schema, maxConnections: 4 });
  await migrate(db);
  return {
    stories: createPostgresStoryStore(db, { maxItems }),
    pause: async (destinationId) => {
      await db.query('pause a destination', 'INSERT INTO paused_destinations (destination_id, reason, paused_at) VALUES ($1, $2, now())', [destinationId, 'test']);
    },
    close: async () => {
      await db.close();
      await dropSchema(POSTGRES_URL, schema);
    },
  };
});
