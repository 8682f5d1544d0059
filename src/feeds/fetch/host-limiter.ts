/**
 * Bounded concurrency: at most `perHost` fetches to one host and `total` overall (miniflux worker
 * pool, MonitoRSS host limiter). Waiters are served in arrival order, skipping those whose host
 * is full, and leave the queue when their signal aborts.
 */
export type Release = () => void;

export interface HostLimiter {
  acquire(host: string, signal?: AbortSignal): Promise<Release>;
}

interface Waiter {
  readonly host: string;
  readonly grant: (release: Release) => void;
}

export function createHostLimiter(perHost: number, total: number): HostLimiter {
  const activeByHost = new Map<string, number>();
  let active = 0;
  const queue: Waiter[] = [];

  function take(host: string): Release {
    active += 1;
    activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active -= 1;
      const left = (activeByHost.get(host) ?? 1) - 1;
      if (left === 0) activeByHost.delete(host);
      else activeByHost.set(host, left);
      pump();
    };
  }

  function hasRoom(host: string): boolean {
    return active < total && (activeByHost.get(host) ?? 0) < perHost;
  }

  function pump(): void {
    for (let i = 0; i < queue.length && active < total; ) {
      const waiter = queue[i];
      if (waiter !== undefined && hasRoom(waiter.host)) {
        queue.splice(i, 1);
        waiter.grant(take(waiter.host));
      } else {
        i += 1;
      }
    }
  }

  return {
    acquire(host, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<Release>((resolve, reject) => {
        const onAbort = (): void => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          host,
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        queue.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
        pump();
      });
    },
  };
}
