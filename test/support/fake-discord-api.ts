import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateHook } from './create-hook.js';
import { attachFakeDiscordGateway, type FakeDiscordGateway } from './fake-discord-gateway.js';

export type DiscordScript = { status: number; headers?: Record<string, string>; body: unknown } | 'commit-then-drop';

/** A multipart part Discord received beside payload_json (`files[0]`, …). */
export interface DiscordFilePart {
  readonly key: string;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface DiscordPosted {
  readonly id: string;
  readonly channel: string;
  readonly body: Record<string, unknown>;
  readonly files: readonly DiscordFilePart[];
}

/** An interaction's initial response that Discord accepted (POST /interactions/{id}/{token}/callback). */
export interface DiscordCallback {
  readonly interactionId: string;
  readonly token: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A follow-up message (POST /webhooks/{application}/{token}). */
export interface DiscordFollowUp {
  readonly applicationId: string;
  readonly token: string;
  readonly body: Record<string, unknown>;
  readonly files: readonly DiscordFilePart[];
}

type DiscordRequest = FakeDiscordApi['requests'][number];

export interface FakeDiscordApi {
  readonly apiUrl: string;
  readonly messages: DiscordPosted[];
  readonly requests: { method: string; path: string; authorization: string | undefined; body: unknown; files: readonly DiscordFilePart[] }[];
  /** Edits of interaction originals (PATCH /webhooks/{app}/{token}/messages/@original), files included. */
  readonly edits: { path: string; body: Record<string, unknown>; files: readonly DiscordFilePart[] }[];
  /** Accepted initial responses; a second one for the same interaction is refused (400, code 40060) as Discord does. */
  readonly callbacks: DiscordCallback[];
  readonly followUps: DiscordFollowUp[];
  /** The first request (already received, or the next to come) that `match` accepts; rejects after `timeoutMs`. */
  awaitRequest(match: (request: DiscordRequest) => boolean, timeoutMs?: number): Promise<DiscordRequest>;
  script(channel: string, ...answers: DiscordScript[]): void;
  /** Scripted answers for the next webhook edits (instead of 200). */
  scriptEdits(...answers: { status: number; body: unknown }[]): void;
  /** Scripted answers for the next interaction callbacks (instead of 204), e.g. a 404 code 10062 for an expired interaction. */
  scriptCallbacks(...answers: { status: number; body: unknown }[]): void;
  /** Scripted answers for the next Get Channel Messages (instead of the channel's messages), e.g. a 403 without Read Message History. */
  scriptHistory(...answers: { status: number; body: unknown }[]): void;
  /** A hook on every Create Message (see create-hook.ts); null removes it. */
  onCreate(hook: CreateHook | null): void;
  /** The gateway a bot process logs in to (GET /gateway/bot points at it). */
  readonly gateway: FakeDiscordGateway;
  close(): Promise<void>;
}

/** JSON, or multipart/form-data as @discordjs/rest sends files: `payload_json` plus `files[n]` parts. */
async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: DiscordFilePart[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: DiscordFilePart[] = [];
    let body: unknown = null;
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        if (key === 'payload_json') body = JSON.parse(value);
        continue;
      }
      files.push({ key, name: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  return { body: text ? JSON.parse(text) : null, files: [] };
}

/**
 * A loopback server speaking Discord REST v10 for what the bot uses: Create Message (honouring
 * nonce + enforce_nonce as Discord documents; multipart bodies with `files[n]` parts are recorded),
 * Get Channel Messages, interaction callbacks (204; a second one for the same interaction: 400 code
 * 40060), follow-ups and edits of originals, command registration, and GET /gateway/bot with a fake
 * gateway (fake-discord-gateway.ts) for a whole bot process. Answers carry bucket headers like Discord's.
 */
export async function startFakeDiscordApi(): Promise<FakeDiscordApi> {
  const messages: DiscordPosted[] = [];
  const requests: FakeDiscordApi['requests'] = [];
  const scripts = new Map<string, DiscordScript[]>();
  const edits: FakeDiscordApi['edits'] = [];
  const callbacks: DiscordCallback[] = [];
  const followUps: DiscordFollowUp[] = [];
  const callbackScripts: { status: number; body: unknown }[] = [];
  const waiters = new Set<(request: DiscordRequest) => void>();
  const editScripts: { status: number; body: unknown }[] = [];
  let nextId = 1_200_000_000_000_000_000n;
  let hook: CreateHook | null = null;
  const historyScripts: { status: number; body: unknown }[] = [];
  let gateway: FakeDiscordGateway | null = null;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      const { body, files } = await readBody(request);
      const received = { method: request.method ?? '', path, authorization: request.headers.authorization, body, files };
      requests.push(received);
      for (const waiter of [...waiters]) waiter(received);
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
        response
          .writeHead(status, { 'content-type': 'application/json', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '1', 'x-ratelimit-bucket': `bucket-${path}`, ...headers })
          .end(payload === null ? '' : JSON.stringify(payload));
      };
      const channelMatch = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path);
      if (channelMatch && request.method === 'POST') {
        const channel = channelMatch[1] ?? '';
        const data = body as Record<string, unknown>;
        const inChannel = (): number => messages.filter((message) => message.channel === channel).length;
        if (hook && (await hook('received', { channel, stored: inChannel() })) === 'drop') return void request.socket.destroy();
        const existing = data.enforce_nonce === true ? messages.find((message) => message.channel === channel && message.body.nonce === data.nonce) : undefined;
        if (existing) return reply(200, { id: existing.id, channel_id: channel, ...existing.body });
        const next = scripts.get(channel)?.shift();
        const store = (): DiscordPosted => {
          const message = { id: String(nextId++), channel, body: data, files };
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
        if (hook && (await hook('stored', { channel, stored: inChannel() })) === 'drop') return void request.socket.destroy();
        const answered = hook;
        if (answered) response.once('finish', () => void answered('answered', { channel, stored: inChannel() }));
        return reply(200, { id: message.id, channel_id: channel, ...data });
      }
      if (channelMatch && request.method === 'GET') {
        const scripted = historyScripts.shift();
        if (scripted) return reply(scripted.status, scripted.body);
        const found = messages.filter((message) => message.channel === channelMatch[1]).reverse().map((message) => ({ id: message.id, ...message.body }));
        return reply(200, found);
      }
      if (path === '/api/v10/gateway/bot' && request.method === 'GET' && gateway) return reply(200, gateway.info());
      if (/^\/api\/v10\/applications\/\d+\/(guilds\/\d+\/)?commands$/.test(path) && request.method === 'PUT') {
        return reply(200, (body as Record<string, unknown>[]).map((command, index) => ({ id: String(900 + index), ...command })));
      }
      if (path.startsWith('/api/v10/webhooks/') && request.method === 'PATCH') {
        const next = editScripts.shift();
        if (next) return reply(next.status, next.body);
        edits.push({ path, body: body as Record<string, unknown>, files });
        return reply(200, { id: '1', ...(body as Record<string, unknown>) });
      }
      const callback = /^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
      if (callback && request.method === 'POST') {
        const [, interactionId = '', token = ''] = callback;
        const scripted = callbackScripts.shift();
        if (scripted) return reply(scripted.status, scripted.body);
        if (callbacks.some((earlier) => earlier.interactionId === interactionId)) {
          return reply(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
        }
        callbacks.push({ interactionId, token, authorization: request.headers.authorization, body: body as Record<string, unknown> });
        // Discord answers 204 without a body (no with_response).
        return void response.writeHead(204).end();
      }
      const followUp = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
      if (followUp && request.method === 'POST') {
        const [, applicationId = '', token = ''] = followUp;
        followUps.push({ applicationId, token, body: body as Record<string, unknown>, files });
        return reply(200, { id: String(nextId++), ...(body as Record<string, unknown>) });
      }
      if (path.startsWith('/api/v10/interactions/') || path.startsWith('/api/v10/webhooks/')) return reply(200, request.method === 'POST' ? null : { id: '1' });
      return reply(404, { message: 'Unknown route', code: 0 });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway = attachFakeDiscordGateway(server, url);
  const attached = gateway;
  return {
    apiUrl: `${url}/api`,
    messages,
    requests,
    edits,
    callbacks,
    followUps,
    awaitRequest: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const already = requests.find(match);
        if (already) return resolve(already);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching Discord request within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (received: DiscordRequest): void => {
          if (!match(received)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(received);
        };
        waiters.add(waiter);
      }),
    scriptEdits: (...answers) => editScripts.push(...answers),
    scriptHistory: (...answers) => historyScripts.push(...answers),
    scriptCallbacks: (...answers) => callbackScripts.push(...answers),
    onCreate: (next) => {
      hook = next;
    },
    gateway: attached,
    script: (channel, ...answers) => scripts.set(channel, [...(scripts.get(channel) ?? []), ...answers]),
    close: () =>
      new Promise<void>((resolve) => {
        attached.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
