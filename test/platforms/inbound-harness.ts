import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CommandDeps } from '../../src/commands/context.js';
import { loadProfiles } from '../../src/config/profile.js';
import { createScorer } from '../../src/scoring/index.js';
import type { SqliteStores } from '../../src/storage/sqlite/index.js';
import { REPO_ROOT } from '../support/app-config.js';

let scorer: ReturnType<typeof createScorer> | null = null;

/** The shipped profiles, loaded once per test file. */
export function commandDepsFor(stores: SqliteStores): CommandDeps {
  scorer ??= createScorer(loadProfiles(path.join(REPO_ROOT, 'config/profiles')));
  return { items: stores.items, feeds: stores.feeds, watchTerms: stores.watchTerms, scorer };
}

/** Serves one handler on 127.0.0.1 and posts raw bytes to it. */
export async function serve(handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<{
  post(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; type: string | null; text: string }>;
  close(): Promise<void>;
}> {
  const server: Server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    async post(body, headers) {
      const response = await fetch(url, { method: 'POST', body, headers });
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
