import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

export interface HealthReport {
  readonly ok: boolean;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface ObservabilityServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz (200 with a small JSON body while the store answers, 503 when it does not) and
 * GET /metrics (Prometheus text). Nothing else: no state changes over HTTP.
 */
export async function startObservabilityServer(options: {
  port: number;
  host: string;
  metrics: Metrics;
  health: () => Promise<HealthReport>;
}): Promise<ObservabilityServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const answer = async (): Promise<void> => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/healthz') {
        const report = await options.health().catch((error: unknown) => ({ ok: false, detail: { error: String(error) } }));
        response.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: report.ok ? 'ok' : 'unavailable', ...report.detail }));
      } else if (path === '/metrics') {
        const { contentType, body } = await options.metrics.render();
        response.writeHead(200, { 'content-type': contentType }).end(body);
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
      }
    };
    answer().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
