import { afterEach, describe, expect, it } from 'vitest';
import { startObservabilityServer, type HealthReport, type ObservabilityServer } from '../../src/observability/http-server.js';
import { createMetrics } from '../../src/observability/metrics.js';

const metrics = createMetrics({ dueFeeds: async () => 3, outboxDepth: async () => 2, outboxOldestAt: async () => null });

describe('observability server: /healthz under a store that does not answer', () => {
  let server: ObservabilityServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const start = async (health: () => Promise<HealthReport>): Promise<string> => {
    server = await startObservabilityServer({ port: 0, host: '127.0.0.1', metrics, health, healthTimeoutMs: 200 });
    return `http://127.0.0.1:${server.port}`;
  };

  it('answers 503 within its own timeout when the health check hangs (Postgres down: pg retries for ~15 s)', async () => {
    const base = await start(() => new Promise<HealthReport>(() => {}));
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1_500) });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unavailable', error: expect.stringContaining('timed out') });
  });

  it('answers 503 when the health check fails, 200 when it passes', async () => {
    let failing = true;
    const base = await start(async () => {
      if (failing) throw new Error('connection refused');
      return { ok: true, detail: { pending: 0 } };
    });
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', error: expect.stringContaining('connection refused') });
    failing = false;
    const up = await fetch(`${base}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ok', pending: 0 });
  });
});
