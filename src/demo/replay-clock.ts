/**
 * The demo's virtual clock: `replaySeconds` of real time sweep the virtual window [from, to], so a
 * year of crisis coverage unfolds in under a minute while the poller runs on real time.
 */
import { AppError } from '../core/errors.js';

export interface ReplayWindow {
  readonly from: Date;
  readonly to: Date;
  /** Real seconds to sweep the window; 0 (or less) means the replay is already over. */
  readonly replaySeconds: number;
}

export type VirtualClock = () => Date;

export function checkReplayWindow(window: ReplayWindow): void {
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new AppError('config_invalid', 'demo replay window needs valid from and to dates');
  }
  if (from > to) {
    throw new AppError('config_invalid', 'demo replay window ends before it starts', {
      context: { from: window.from.toISOString(), to: window.to.toISOString() },
    });
  }
  if (!Number.isFinite(window.replaySeconds)) {
    throw new AppError('config_invalid', 'demo replay duration must be a finite number of seconds');
  }
}

/** Virtual now = from + (elapsed / replaySeconds) × (to − from), clamped to [from, to]. */
export function createVirtualClock(window: ReplayWindow, realNow: () => number): VirtualClock {
  checkReplayWindow(window);
  const from = window.from.getTime();
  const to = window.to.getTime();
  const startedAt = realNow();
  return () => {
    if (window.replaySeconds <= 0) return new Date(to);
    const elapsed = Math.max(0, realNow() - startedAt) / 1000;
    const fraction = Math.min(1, elapsed / window.replaySeconds);
    return new Date(from + Math.floor(fraction * (to - from)));
  };
}
