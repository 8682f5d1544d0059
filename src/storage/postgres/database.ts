import pg from 'pg';
import { AppError } from '../../core/errors.js';
import { isRetryable, storageError } from './errors.js';

export interface PostgresOptions {
  /** Put every table in this schema (created if missing): a test run or a tenant gets its own. */
  readonly schema?: string;
  /** Pool size per process (default 10). */
  readonly maxConnections?: number;
  /** Shown in pg_stat_activity: which worker holds which connection. */
  readonly applicationName?: string;
  /** A story takes at most this many reports (config stories.maxItems; default 200). */
  readonly storyMaxItems?: number;
  /** Connection faults (Postgres restart, terminated backend) are retried this many times (default 8). */
  readonly retries?: number;
  /** Told about faults on idle connections and about retries, for the log. */
  readonly onWarning?: (message: string, error: unknown) => void;
}

export interface PostgresDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** The settings a dedicated connection (the relay lock) needs to reach the same database and schema. */
  readonly clientConfig: pg.ClientConfig;
  /** One statement, retried on connection faults. */
  query<Row extends pg.QueryResultRow>(operation: string, text: string, values?: unknown[]): Promise<Row[]>;
  /** `work` inside BEGIN … COMMIT on one connection; the whole transaction is retried on connection faults. */
  transaction<T>(operation: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** bigint ids and counts come back as numbers: every id we make fits in 2^53. */
function typeOverrides(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  return types;
}

/** `postgres://…?schema=NAME`: the schema is ours, not libpq's, so it is taken out of the URL. */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new AppError('config_invalid', 'WIREWATCH_DATABASE_URL is not a valid postgres:// URL', { cause });
  }
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A connection pool to one database and schema. Every operation retries connection faults with
 * backoff (about 15 s in all by default), which is what lets workers ride out a Postgres restart:
 * the pool drops broken connections and opens new ones. Each operation is written to be safe to
 * run twice (upserts, `ON CONFLICT DO NOTHING`, state changes guarded by the current state), since
 * a COMMIT whose answer was lost may have happened.
 */
export function openPostgresDatabase(url: string, options: PostgresOptions = {}): PostgresDatabase {
  const parsed = parseDatabaseUrl(url);
  const schema = options.schema ?? parsed.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new AppError('config_invalid', `invalid Postgres schema name "${schema}"`);
  const clientConfig: pg.ClientConfig = {
    connectionString: parsed.connectionString,
    options: `-c search_path=${schema}`,
    application_name: (options.applicationName ?? 'wirewatch').slice(0, 63),
    connectionTimeoutMillis: 5000,
    types: typeOverrides(),
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.maxConnections ?? 10, idleTimeoutMillis: 30_000 });
  const warn = options.onWarning ?? (() => {});
  // An idle connection whose backend is terminated emits 'error' on the pool; unhandled, it would
  // crash the process. The pool has already dropped it; the next checkout opens a new one.
  pool.on('error', (error) => warn('an idle database connection failed; it will be replaced', error));
  const retries = options.retries ?? 8;

  async function withRetry<T>(operation: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (thrown) {
        if (attempt >= retries || !isRetryable(thrown)) throw storageError(operation, thrown);
        const wait = Math.min(2000, 100 * 2 ** attempt);
        warn(`database unavailable, retrying "${operation}" in ${wait} ms (attempt ${attempt + 1}/${retries})`, thrown);
        await delay(wait);
      }
    }
  }

  return {
    pool,
    schema,
    clientConfig,
    query: (operation, text, values) => withRetry(operation, async () => (await pool.query(text, values)).rows),
    transaction: (operation, work) =>
      withRetry(operation, async () => {
        const client = await pool.connect();
        let failure: unknown;
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (thrown) {
          failure = thrown;
          await client.query('ROLLBACK').catch(() => {});
          throw thrown;
        } finally {
          // A connection that failed under us is destroyed, not put back in the pool.
          client.release(failure !== undefined && isRetryable(failure) ? (failure as Error) : undefined);
        }
      }),
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}
