import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedRoute {
  status?: number;
  contentType?: string;
  body: string | Buffer;
}

/** A real HTTP server on 127.0.0.1 whose routes a test rewrites between polls; answers 304 on a matching ETag. */
export interface TestFeedServer {
  readonly url: string;
  readonly port: number;
  readonly requests: { path: string; ifNoneMatch: string | null }[];
  set(path: string, route: FeedRoute): void;
  close(): Promise<void>;
}

export async function startTestFeedServer(): Promise<TestFeedServer> {
  const routes = new Map<string, FeedRoute>();
  const requests: TestFeedServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    const ifNoneMatch = request.headers['if-none-match'] ?? null;
    requests.push({ path, ifNoneMatch });
    const route = routes.get(path);
    if (!route) {
      response.writeHead(404).end('not found');
      return;
    }
    const body = typeof route.body === 'string' ? Buffer.from(route.body, 'utf8') : route.body;
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (ifNoneMatch === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(route.status ?? 200, {
      'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
      etag,
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    set: (path, route) => routes.set(path, route),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RssItem {
  title: string;
  link: string;
  description: string;
  pubDate: string;
  guid?: string;
}

const escapeXml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function rss(title: string, items: readonly RssItem[]): string {
  const body = items
    .map(
      (item) =>
        `<item><title>${escapeXml(item.title)}</title><link>${escapeXml(item.link)}</link>` +
        `<guid>${escapeXml(item.guid ?? item.link)}</guid><pubDate>${new Date(item.pubDate).toUTCString()}</pubDate>` +
        `<description>${escapeXml(item.description)}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(title)}</title><link>https://example.org/</link>\n${body}\n</channel></rss>`;
}
