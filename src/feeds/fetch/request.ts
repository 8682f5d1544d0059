/**
 * One HTTP GET to one checked target: no agent pool (no keep-alive, no proxy: HTTP(S)_PROXY is
 * never read), the lookup pinned to the checked address, and a header deadline.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { AppError } from '../../core/errors.js';
import { blockedAddressError, mayConnect, pinnedLookup } from './target.js';
import type { Target } from './target.js';
import type { Allowlist } from './url-policy.js';

export interface RequestLimits {
  readonly signal: AbortSignal;
  /**
   * Connect + TLS + response headers must finish within this. A true SYN blackhole cannot be
   * made on loopback (the kernel accepts for any listener), so the timer also covers the wait
   * for headers; a server that accepts and never answers trips it the same way.
   */
  readonly connectTimeoutMs: number;
  readonly allowlist: Allowlist;
}

function connectTimeout(target: Target, ms: number): AppError {
  return new AppError('connect_timeout', `no response headers from ${target.url.hostname} within ${ms} ms`, {
    context: { host: target.url.hostname, ms },
  });
}

/** Resolves with the response once headers arrive; rejects with the socket/request error. */
export function openResponse(
  target: Target,
  headers: OutgoingHttpHeaders,
  limits: RequestLimits,
): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const client = target.url.protocol === 'https:' ? https : http;
    let req: http.ClientRequest;
    try {
      req = client.request({
        protocol: target.url.protocol,
        hostname: target.url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port,
        path: `${target.url.pathname}${target.url.search}`,
        method: 'GET',
        headers,
        agent: false,
        lookup: pinnedLookup(target),
        signal: limits.signal,
      });
    } catch (error) {
      // Node throws synchronously for some bad inputs (e.g. header characters): keep it a value.
      reject(error);
      return;
    }
    const timer = setTimeout(() => req.destroy(connectTimeout(target, limits.connectTimeoutMs)), limits.connectTimeoutMs);
    req.on('socket', (socket) => {
      // Belt and braces: the lookup is pinned, but check what the socket actually reached.
      socket.once('connect', () => {
        const remote = socket.remoteAddress;
        if (remote === undefined || !mayConnect(target.url, remote, target.port, limits.allowlist)) {
          req.destroy(blockedAddressError(target.url, remote ?? 'unknown'));
        }
      });
    });
    req.once('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    // `on`, not `once`: a late error after the response (deadline abort) must not go unhandled.
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

/** Drops a response we will not read (redirects, errors): the body may be endless. */
export function discard(res: IncomingMessage): void {
  res.on('error', () => undefined);
  res.destroy();
}
