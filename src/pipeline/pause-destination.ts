import type { Logger } from '../shared/logger.js';
import type { DestinationPauses } from './ports.js';

/**
 * Records that a destination refuses everything (channel gone, bot removed, token revoked). The one
 * call that made the pause (on any worker, before any restart) says so, once, with what to do.
 */
export async function pauseDestination(pauses: DestinationPauses, logger: Logger, destinationId: string, reason: string, at: Date): Promise<void> {
  if (await pauses.pauseDestination(destinationId, reason, at)) {
    logger.error(
      { destination: destinationId, reason },
      'destination paused: its alerts wait in the outbox; fix the channel or token, then /wirewatch resume (or `wirewatch resume DESTINATION`)',
    );
  }
}
