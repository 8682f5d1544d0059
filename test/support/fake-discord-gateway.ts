import { createHash } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface FakeDiscordGateway {
  /** What GET /gateway/bot answers: the socket URL, one shard, sessions to spare. */
  readonly info: () => Record<string, unknown>;
  /** IDENTIFYs received (each one answered with READY). */
  readonly identified: () => number;
  /**
   * Sends one dispatch (op 0, e.g. INTERACTION_CREATE) to every session that got READY, with that
   * session's next sequence number; returns how many sessions it went to.
   */
  dispatch(event: string, data: unknown): number;
  /** Cuts every open gateway socket (they outlive the HTTP server's own connections). */
  close(): void;
}

/** One unfragmented server frame (servers never mask). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let head: Buffer;
  if (length < 126) head = Buffer.from([0x80 | opcode, length]);
  else if (length < 65_536) head = Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]);
  else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** The complete frames at the front of `buffer` (client frames are masked), and what is left over. */
function readFrames(buffer: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const first = buffer[offset] ?? 0;
    const second = buffer[offset + 1] ?? 0;
    let length = second & 0x7f;
    let at = offset + 2;
    if (length === 126) {
      if (buffer.length < at + 2) break;
      length = buffer.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      if (buffer.length < at + 8) break;
      length = Number(buffer.readBigUInt64BE(at));
      at += 8;
    }
    const maskAt = at;
    if (second & 0x80) at += 4;
    if (buffer.length < at + length) break;
    const payload = Buffer.from(buffer.subarray(at, at + length));
    if (second & 0x80) for (let index = 0; index < length; index++) payload[index] = (payload[index] ?? 0) ^ (buffer[maskAt + (index % 4)] ?? 0);
    frames.push({ opcode: first & 0x0f, payload });
    offset = at + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/**
 * Just enough of Discord's gateway (v10, JSON, uncompressed) for the real discord.js client to log
 * in, stay connected and leave: HELLO, READY (no guilds) for IDENTIFY, RESUMED for RESUME, ACKs for
 * heartbeats, the closing handshake, and the dispatches a test sends (`dispatch`). RFC 6455 framing
 * by hand on the HTTP server's `upgrade` (the repository has no WebSocket server library), at
 * `/gateway` of the same loopback server.
 */
export function attachFakeDiscordGateway(server: Server, baseUrl: string): FakeDiscordGateway {
  const url = `${baseUrl.replace(/^http/, 'ws')}/gateway`;
  const sockets = new Set<Duplex>();
  /** Sessions past READY, each with its own sequence (Discord numbers dispatches per session). */
  const sessions = new Map<Duplex, (event: string, data: unknown) => void>();
  let identified = 0;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const key = request.headers['sec-websocket-key'];
    if (!(request.url ?? '').startsWith('/gateway') || typeof key !== 'string') return void socket.destroy();
    const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      sessions.delete(socket);
    });
    let sequence = 0;
    const send = (payload: Record<string, unknown>): void => void socket.write(frame(1, Buffer.from(JSON.stringify(payload))));
    send({ op: 10, s: null, t: null, d: { heartbeat_interval: 45_000 } });
    let pending = head;
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const { opcode, payload } of frames) {
        if (opcode === 8) return void socket.end(frame(8, payload.subarray(0, 2)));
        if (opcode === 9) socket.write(frame(10, payload));
        if (opcode !== 1) continue;
        const { op } = JSON.parse(payload.toString('utf8')) as { op: number };
        if (op === 1) send({ op: 11, s: null, t: null, d: null });
        if (op === 6) send({ op: 0, s: ++sequence, t: 'RESUMED', d: {} });
        if (op === 2) {
          identified++;
          const user = { id: '100000000000000001', username: 'wirewatch', discriminator: '0', global_name: null, avatar: null, bot: true };
          const d = { v: 10, user, guilds: [], session_id: `session-${identified}`, resume_gateway_url: url, shard: [0, 1], application: { id: '100000000000000002', flags: 0 } };
          send({ op: 0, s: ++sequence, t: 'READY', d });
          sessions.set(socket, (event, data) => send({ op: 0, s: ++sequence, t: event, d: data }));
        }
      }
    });
  });
  return {
    info: () => ({ url, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }),
    identified: () => identified,
    dispatch: (event, data) => {
      for (const deliver of sessions.values()) deliver(event, data);
      return sessions.size;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
