import type { Logger } from '../shared/logger.js';

/**
 * A long-running process logs a promise rejection nobody awaited instead of exiting on it (Node's
 * default): such a rejection comes from a library's own background work, e.g. discord.js parsing a
 * gateway event it does not understand, or a chat SDK's start-up call, and the feeds, the outbox and
 * the other platforms must go on. Programming errors still surface: the log line has the stack.
 */
export function logUnhandledRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    logger.error({ err: { message: error.message, stack: error.stack } }, 'unhandled promise rejection (logged; wirewatch keeps running)');
  });
}
