import { AppError } from '../../core/errors.js';

/**
 * SQLSTATE classes and codes after which the same statement can simply run again: the connection
 * went away (Postgres restarted, a backend was terminated, the network blipped), or Postgres chose
 * this transaction as a victim (serialization failure, deadlock). Everything else is a bug or a
 * bad input, and retrying it would only repeat the failure.
 */
const RETRYABLE_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown (pg_terminate_backend, fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
]);

/** Node socket errors that mean "no connection right now". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function codeOf(thrown: unknown): string | null {
  if (typeof thrown !== 'object' || thrown === null || !('code' in thrown)) return null;
  const code = (thrown as { code: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** Whether trying the same operation again, on a fresh connection, can succeed. */
export function isRetryable(thrown: unknown): boolean {
  if (thrown instanceof AppError) return thrown.context.retryable === true;
  const code = codeOf(thrown);
  if (code !== null && (RETRYABLE_CODES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return true;
  // pg reports a socket closed under a query without a code.
  const message = thrown instanceof Error ? thrown.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|Connection ended/i.test(message);
}

/**
 * Turns driver faults into AppErrors with stable codes, as the SQLite store does: the pipeline
 * decides on `code` and `retryable`, never on Postgres's message text.
 */
export function storageError(operation: string, thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const sqlState = codeOf(thrown);
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  const retryable = isRetryable(thrown);
  const options = { context: { operation, sqlState, retryable }, cause: thrown };
  if (sqlState === '53100') {
    return new AppError('storage_full', `the database disk is full, could not ${operation}: nothing of it was written`, {
      ...options,
      context: { ...options.context, retryable: true },
    });
  }
  if (retryable) {
    return new AppError('storage_error', `the database is unreachable or busy, could not ${operation}: ${detail}`, options);
  }
  return new AppError('storage_error', `storage failed to ${operation}${sqlState ? ` (${sqlState})` : ''}: ${detail}`, options);
}
