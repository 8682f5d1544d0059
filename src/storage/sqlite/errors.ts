import Database from 'better-sqlite3';
import { AppError } from '../../core/errors.js';

/**
 * Turns driver faults into AppErrors with stable codes, so the pipeline decides on `code` and never
 * on SQLite's message text. `retryable` tells the caller whether trying again later can help
 * (a lock held by another process) or not (a corrupt file).
 */
export function storageError(operation: string, thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const sqliteCode = thrown instanceof Database.SqliteError ? thrown.code : null;
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  const context = (retryable: boolean): Record<string, unknown> => ({ operation, sqliteCode, retryable });
  const options = (retryable: boolean): { context: Record<string, unknown>; cause: unknown } => ({
    context: context(retryable),
    cause: thrown,
  });

  if (sqliteCode === null) {
    // Not from SQLite: a closed connection (TypeError) or a bug; nothing to retry.
    return new AppError('storage_error', `storage failed to ${operation}: ${detail}`, options(false));
  }
  if (sqliteCode.startsWith('SQLITE_FULL')) {
    return new AppError('storage_full', `storage is full, could not ${operation}: nothing of it was written`, options(true));
  }
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) {
    return new AppError(
      'storage_error',
      `storage is busy (another process holds the write lock), could not ${operation}; will retry`,
      options(true),
    );
  }
  if (sqliteCode.startsWith('SQLITE_READONLY')) {
    return new AppError('storage_error', `the database file is read-only, could not ${operation}`, options(false));
  }
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB') {
    return new AppError(
      'storage_error',
      `the database file is corrupt or not a SQLite database (${sqliteCode}), could not ${operation}`,
      options(false),
    );
  }
  if (sqliteCode.startsWith('SQLITE_CANTOPEN')) {
    return new AppError('storage_error', `the database file cannot be opened, could not ${operation}`, options(false));
  }
  return new AppError('storage_error', `storage failed to ${operation} (${sqliteCode}): ${detail}`, options(false));
}

/** Runs synchronous driver work and rethrows any fault as an AppError naming the operation. */
export function guard<T>(operation: string, work: () => T): T {
  try {
    return work();
  } catch (thrown) {
    throw storageError(operation, thrown);
  }
}
