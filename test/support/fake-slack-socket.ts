import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/** What the app sent back over the socket for one envelope: `{ envelope_id, payload? }`. */
export interface SlackSocketAck {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

export interface FakeSlackSocket {
  /** apps.connections.open's answer: a one-time `ws://…/link/?ticket=…` URL on the fake's own port. */
  open(): string;
  /** Sockets that got their `hello` and are still open. */
  connections(): number;
  /** Sends one envelope (`{ envelope_id, type, payload, accepts_response_payload }`) to the newest socket. */
  send(envelope: Record<string, unknown>): void;
  readonly acks: SlackSocketAck[];
  /** Frames from the app that were not acks (kept so a test can see a protocol slip). */
  readonly strays: string[];
  /** Cuts every socket: upgraded sockets outlive the HTTP server's own connection tracking. */
  close(): void;
}

const APP_ID = 'A0FAKESOCK';

/**
 * Socket Mode's websocket side on an existing loopback HTTP server: a ticketed upgrade on /link/,
 * `hello` at once (as Slack does), envelopes on demand, and every ack the app sends back recorded.
 */
export function attachSlackSocket(server: Server, baseUrl: () => string): FakeSlackSocket {
  const tickets = new Set<string>();
  const open: WebSocket[] = [];
  const acks: SlackSocketAck[] = [];
  const strays: string[] = [];
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      open.push(ws);
      ws.on('close', () => {
        if (open.includes(ws)) open.splice(open.indexOf(ws), 1);
      });
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? '' : String(data);
        try {
          const frame = JSON.parse(text) as Partial<SlackSocketAck>;
          if (typeof frame.envelope_id === 'string') return void acks.push(frame as SlackSocketAck);
        } catch {
          // recorded below
        }
        strays.push(text);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: open.length, debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 }, connection_info: { app_id: APP_ID } }));
    });
  });
  return {
    open: () => {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `${baseUrl().replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${APP_ID}`;
    },
    connections: () => open.length,
    send: (envelope) => {
      const socket = open.at(-1);
      if (!socket) throw new Error('no Socket Mode connection is open');
      socket.send(JSON.stringify(envelope));
    },
    acks,
    strays,
    close: () => {
      for (const socket of [...open]) socket.terminate();
      sockets.close();
    },
  };
}
