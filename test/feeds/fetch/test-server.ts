/** A real node:http server on 127.0.0.1 that counts what reaches it. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  readonly port: number;
  /** `host:port` for allowPrivate. */
  readonly hostPort: string;
  url(path?: string): string;
  readonly stats: {
    connections: number;
    requests: IncomingMessage[];
    inFlight: number;
    maxInFlight: number;
    closedSockets: number;
  };
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const stats = { connections: 0, requests: [] as IncomingMessage[], inFlight: 0, maxInFlight: 0, closedSockets: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    stats.requests.push(req);
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.on('close', () => {
      stats.inFlight -= 1;
    });
    handler(req, res);
  });
  server.on('connection', (socket) => {
    stats.connections += 1;
    sockets.add(socket);
    socket.on('close', () => {
      stats.closedSockets += 1;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hostPort: `127.0.0.1:${port}`,
    url: (path = '/feed.xml') => `http://127.0.0.1:${port}${path}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';

export const UA = 'wirewatch-test/0.1 (+https://github.com/wirewatch/wirewatch)';

export function text(body: Uint8Array): string {
  return Buffer.from(body).toString('utf8');
}
