import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** An extra endpoint on the same port (POST /slack/events, POST /discord/interactions); it answers every method itself. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** /healthz gives up on the store after this long: a probe must hear 503 quickly, not hang with Postgres. */
export const HEALTH_TIMEOUT_MS = 2_000;

/** Resolves with the report, or with a failed one when `health` throws or outlives `timeoutMs`. */
async function boundedHealth(health: () => Promise<HealthReport>, timeoutMs: number): Promise<HealthReport> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<HealthReport>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: { error: `health check timed out after ${timeoutMs} ms` } }), timeoutMs);
  });
  try {
    return await Promise.race([health().catch((error: unknown) => ({ ok: false, detail: { error: String(error) } })), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One HTTP port for the process: GET /healthz (200 with a small JSON body while the store answers,
 * 503 when it fails or is slower than `healthTimeoutMs`), GET /metrics (Prometheus text), and the
 * chat platforms' endpoints passed in `routes`. A deployment then publishes one port and one probe.
 * /healthz and /metrics change nothing; routed endpoints carry their own authentication (signatures).
 */
export async function startObservabilityServer(options: {
  port: number;
  host: string;
  metrics: Metrics;
  health: () => Promise<HealthReport>;
  routes?: ReadonlyMap<string, RouteHandler>;
  healthTimeoutMs?: number;
}): Promise<ObservabilityServer> {
  const routes = options.routes ?? new Map<string, RouteHandler>();
  const healthTimeoutMs = options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const answer = async (): Promise<void> => {
      const route = routes.get(path);
      if (route) {
        await route(request, response);
      } else if (path !== '/healthz' && path !== '/metrics') {
        const known = ['/healthz', '/metrics', ...routes.keys()].join(', ');
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: try ${known}\n`);
      } else if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/healthz') {
        const report = await boundedHealth(options.health, healthTimeoutMs);
        response.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: report.ok ? 'ok' : 'unavailable', ...report.detail }));
      } else {
        const { contentType, body } = await options.metrics.render();
        response.writeHead(200, { 'content-type': contentType }).end(body);
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
