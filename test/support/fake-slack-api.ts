import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateHook } from './create-hook.js';
import { attachSlackSocket, type FakeSlackSocket } from './fake-slack-socket.js';

/** One scripted answer for a channel's next chat.postMessage. `commit-then-drop`: store the message, then cut the connection. */
export type SlackScript = { status?: number; headers?: Record<string, string>; body: Record<string, unknown> } | 'commit-then-drop';

export interface SlackPosted {
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly blocks: unknown[] | null;
  readonly metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
  readonly thread_ts: string | null;
  readonly raw: Record<string, unknown>;
}

/** A file as Slack saw it: announced (getUploadURLExternal), its bytes (upload URL), and where it was shared. */
export interface SlackUpload {
  readonly fileId: string;
  readonly filename: string;
  readonly length: number;
  readonly altText: string | null;
  bytes: Buffer | null;
  uploadAuthorization: string | undefined;
  sharedIn: { channel: string; threadTs: string | null; title: string | null } | null;
}

export interface FakeSlackApi {
  readonly url: string;
  readonly apiUrl: string;
  readonly posted: SlackPosted[];
  readonly calls: { method: string; authorization: string | undefined; body: Record<string, unknown> }[];
  readonly responses: { path: string; body: Record<string, unknown> }[];
  script(channel: string, ...answers: SlackScript[]): void;
  /** Scripted answers for the next calls of a method other than chat.postMessage (e.g. files.completeUploadExternal). */
  scriptMethod(method: string, ...answers: { status?: number; body: Record<string, unknown> }[]): void;
  /** The next answers of response_url hooks (e.g. 400 invalid_blocks), in order; then 200 ok. */
  scriptHook(...answers: { status?: number; body: Record<string, unknown> }[]): void;
  /** HTTP statuses for the next byte uploads (to the upload URL). */
  scriptUpload(...statuses: number[]): void;
  readonly uploads: SlackUpload[];
  admins: Set<string>;
  /** A hook on every chat.postMessage (see create-hook.ts); null removes it. */
  onCreate(hook: CreateHook | null): void;
  /** Socket Mode: apps.connections.open (app token only) hands out URLs to this websocket. */
  readonly socket: FakeSlackSocket;
  close(): Promise<void>;
}

async function readRaw(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readRaw(request)).toString('utf8');
  if ((request.headers['content-type'] ?? '').includes('json')) return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    try {
      out[key] = ['blocks', 'metadata', 'attachments', 'files'].includes(key) ? JSON.parse(value) : value;
    } catch {
      out[key] = value;
    }
  }
  return out;
}

/**
 * A loopback server speaking the Slack Web API shapes the bot uses (chat.postMessage,
 * conversations.history, users.info, the external file upload: files.getUploadURLExternal, the
 * upload URL itself, files.completeUploadExternal), response_url hooks, and Socket Mode's
 * auth.test + apps.connections.open with the websocket behind it (fake-slack-socket.ts).
 */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const posted: SlackPosted[] = [];
  const calls: FakeSlackApi['calls'] = [];
  const responses: FakeSlackApi['responses'] = [];
  const scripts = new Map<string, SlackScript[]>();
  const admins = new Set<string>();
  const uploads: SlackUpload[] = [];
  const methodScripts = new Map<string, { status?: number; body: Record<string, unknown> }[]>();
  const hookScripts: { status?: number; body: Record<string, unknown> }[] = [];
  const uploadStatuses: number[] = [];
  let hook: CreateHook | null = null;
  let clock = 1_700_000_000;
  let url = '';
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      };
      if (path.startsWith('/upload/v1/')) {
        const upload = uploads.find((candidate) => candidate.fileId === path.slice('/upload/v1/'.length));
        const bytes = await readRaw(request);
        const status = uploadStatuses.shift() ?? 200;
        if (!upload) return reply(404, { ok: false });
        if (status === 200) {
          upload.bytes = bytes;
          upload.uploadAuthorization = request.headers.authorization;
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? `OK - ${bytes.length}` : 'failed');
        return;
      }
      const body = await readBody(request);
      if (path.startsWith('/hooks/')) {
        responses.push({ path, body });
        const scripted = hookScripts.shift();
        return reply(scripted?.status ?? 200, scripted?.body ?? { ok: true });
      }
      const method = path.replace(/^\/api\//, '');
      calls.push({ method, authorization: request.headers.authorization, body });
      const scripted = methodScripts.get(method)?.shift();
      if (scripted) return reply(scripted.status ?? 200, scripted.body);
      if (method === 'files.getUploadURLExternal') {
        const fileId = `F${String(uploads.length + 1).padStart(10, '0')}`;
        uploads.push({ fileId, filename: String(body.filename), length: Number(body.length), altText: typeof body.alt_text === 'string' ? body.alt_text : null, bytes: null, uploadAuthorization: undefined, sharedIn: null });
        return reply(200, { ok: true, upload_url: `${url}/upload/v1/${fileId}`, file_id: fileId });
      }
      if (method === 'files.completeUploadExternal') {
        const files = Array.isArray(body.files) ? (body.files as { id?: string; title?: string }[]) : [];
        const found = files.map((file) => uploads.find((upload) => upload.fileId === file.id));
        if (found.some((upload) => !upload?.bytes)) return reply(200, { ok: false, error: 'file_upload_not_found' });
        found.forEach((upload, index) => {
          if (upload) upload.sharedIn = { channel: String(body.channel_id ?? ''), threadTs: typeof body.thread_ts === 'string' ? body.thread_ts : null, title: files[index]?.title ?? null };
        });
        return reply(200, { ok: true, files: files.map((file) => ({ id: file.id, title: file.title })) });
      }
      if (method === 'chat.postMessage') {
        const channel = String(body.channel);
        const inChannel = (): number => posted.filter((message) => message.channel === channel).length;
        if (hook && (await hook('received', { channel, stored: inChannel() })) === 'drop') return void request.socket.destroy();
        const next = scripts.get(channel)?.shift();
        const store = (): SlackPosted => {
          const message: SlackPosted = {
            channel,
            ts: `${clock++}.000100`,
            text: String(body.text ?? ''),
            blocks: (body.blocks as unknown[] | undefined) ?? null,
            metadata: (body.metadata as SlackPosted['metadata']) ?? null,
            thread_ts: typeof body.thread_ts === 'string' ? body.thread_ts : null,
            raw: body,
          };
          posted.push(message);
          return message;
        };
        if (next === 'commit-then-drop') {
          store();
          request.socket.destroy();
          return;
        }
        if (next) return reply(next.status ?? 200, next.body, next.headers);
        const message = store();
        if (hook && (await hook('stored', { channel, stored: inChannel() })) === 'drop') return void request.socket.destroy();
        const answered = hook;
        if (answered) response.once('finish', () => void answered('answered', { channel, stored: inChannel() }));
        return reply(200, { ok: true, channel, ts: message.ts, message: { text: message.text, ts: message.ts } });
      }
      if (method === 'conversations.history') {
        const messages = posted.filter((message) => message.channel === body.channel).reverse().map((message) => ({ type: 'message', ts: message.ts, text: message.text, metadata: message.metadata ?? undefined }));
        return reply(200, { ok: true, messages, has_more: false });
      }
      if (method === 'auth.test') {
        // Slack's documented example answer for a bot token.
        return reply(200, { ok: true, url: 'https://subarachnoid.slack.com/', team: 'Subarachnoid Workspace', user: 'bot', team_id: 'T0G9PQBBK', user_id: 'W23456789', bot_id: 'BZYBOTHED' });
      }
      if (method === 'apps.connections.open') {
        if (!(request.headers.authorization ?? '').startsWith('Bearer xapp-')) return reply(200, { ok: false, error: 'not_allowed_token_type' });
        return reply(200, { ok: true, url: socket.open() });
      }
      if (method === 'users.info') {
        const user = String(body.user);
        return reply(200, { ok: true, user: { id: user, is_admin: admins.has(user), is_owner: false } });
      }
      return reply(200, { ok: false, error: 'unknown_method' });
    })();
  });
  const socket = attachSlackSocket(server, () => url);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    uploads,
    scriptHook: (...answers) => void hookScripts.push(...answers),
    scriptMethod: (method, ...answers) => methodScripts.set(method, [...(methodScripts.get(method) ?? []), ...answers]),
    scriptUpload: (...statuses) => uploadStatuses.push(...statuses),
    apiUrl: `${url}/api/`,
    posted,
    calls,
    responses,
    admins,
    onCreate: (next) => {
      hook = next;
    },
    script: (channel, ...answers) => scripts.set(channel, [...(scripts.get(channel) ?? []), ...answers]),
    socket,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
