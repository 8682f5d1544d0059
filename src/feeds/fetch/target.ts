/**
 * Resolves a hop's host once, checks every address it resolves to, and pins the connection to
 * the checked address (the request's `lookup` returns it), so DNS rebinding between check and
 * connect is impossible (PortOS#1859). The socket's remote address is checked again on connect.
 */
import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { AppError } from '../../core/errors.js';
import { isBlockedAddress } from './address-guard.js';
import { addressKey, hostKey } from './url-policy.js';
import type { Allowlist } from './url-policy.js';

export interface Target {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: string;
}

export function targetPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** May we connect to `address` on `port` for `url`? Allowlisted URL host:port or IP:port pass. */
export function mayConnect(url: URL, address: string, port: string, allowlist: Allowlist): boolean {
  if (!isBlockedAddress(address)) return true;
  return allowlist.has(hostKey(url)) || allowlist.has(addressKey(address, port));
}

function blocked(url: URL, address: string): AppError {
  return new AppError('blocked_address', `${url.hostname} resolves to a private or reserved address`, {
    context: { host: url.hostname, address },
  });
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function resolveAll(hostname: string, signal: AbortSignal): Promise<LookupAddress[]> {
  try {
    return await abortable(lookup(hostname, { all: true, verbatim: true }), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new AppError('network_error', `could not resolve ${hostname}`, { cause: error });
  }
}

/** Every address must pass: one private record among public ones blocks the hop (case 22). */
export async function resolveTarget(url: URL, allowlist: Allowlist, signal: AbortSignal): Promise<Target> {
  const port = targetPort(url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  const addresses: LookupAddress[] = family === 0 ? await resolveAll(host, signal) : [{ address: host, family }];
  const first = addresses[0];
  if (first === undefined) throw new AppError('network_error', `${url.hostname} has no addresses`);
  for (const { address } of addresses) {
    if (!mayConnect(url, address, port, allowlist)) throw blocked(url, address);
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4, port };
}

/** A `lookup` that answers with the already-checked address and nothing else. */
export function pinnedLookup(target: Target): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

export { blocked as blockedAddressError };
