import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DiscordScript = { status: number; headers?: Record<string, string>; body: unknown } | 'commit-then-drop';

export interface DiscordPosted {
  readonly id: string;
  readonly channel: string;
  readonly body: Record<string, unknown>;
}

export interface FakeDiscordApi {
  readonly apiUrl: string;
  readonly messages: DiscordPosted[];
  readonly requests: { method: string; path: string; authorization: string | undefined; body: unknown }[];
  script(channel: string, ...answers: DiscordScript[]): void;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : null;
}

/**
 * A loopback server speaking Discord REST v10 for what the bot uses: Create Message (honouring
 * nonce + enforce_nonce as Discord documents), Get Channel Messages, interaction callbacks, webhook
 * edits and command registration. Answers carry bucket headers like Discord's.
 */
export async function startFakeDiscordApi(): Promise<FakeDiscordApi> {
  const messages: DiscordPosted[] = [];
  const requests: FakeDiscordApi['requests'] = [];
  const scripts = new Map<string, DiscordScript[]>();
  let nextId = 1_200_000_000_000_000_000n;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      const body = await readJson(request);
      requests.push({ method: request.method ?? '', path, authorization: request.headers.authorization, body });
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
        response
          .writeHead(status, { 'content-type': 'application/json', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '1', 'x-ratelimit-bucket': `bucket-${path}`, ...headers })
          .end(payload === null ? '' : JSON.stringify(payload));
      };
      const channelMatch = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path);
      if (channelMatch && request.method === 'POST') {
        const channel = channelMatch[1] ?? '';
        const data = body as Record<string, unknown>;
        const existing = data.enforce_nonce === true ? messages.find((message) => message.channel === channel && message.body.nonce === data.nonce) : undefined;
        if (existing) return reply(200, { id: existing.id, channel_id: channel, ...existing.body });
        const next = scripts.get(channel)?.shift();
        const store = (): DiscordPosted => {
          const message = { id: String(nextId++), channel, body: data };
          messages.push(message);
          return message;
        };
        if (next === 'commit-then-drop') {
          store();
          request.socket.destroy();
          return;
        }
        if (next) return reply(next.status, next.body, next.headers);
        const message = store();
        return reply(200, { id: message.id, channel_id: channel, ...data });
      }
      if (channelMatch && request.method === 'GET') {
        const found = messages.filter((message) => message.channel === channelMatch[1]).reverse().map((message) => ({ id: message.id, ...message.body }));
        return reply(200, found);
      }
      if (/^\/api\/v10\/applications\/\d+\/(guilds\/\d+\/)?commands$/.test(path) && request.method === 'PUT') {
        return reply(200, (body as Record<string, unknown>[]).map((command, index) => ({ id: String(900 + index), ...command })));
      }
      if (path.startsWith('/api/v10/interactions/') || path.startsWith('/api/v10/webhooks/')) return reply(200, request.method === 'POST' ? null : { id: '1' });
      return reply(404, { message: 'Unknown route', code: 0 });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${url}/api`,
    messages,
    requests,
    script: (channel, ...answers) => scripts.set(channel, [...(scripts.get(channel) ?? []), ...answers]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
