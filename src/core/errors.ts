/**
 * Faults with a stable machine-readable code. Expected outcomes (304, 404, not-a-feed) are values
 * elsewhere (see FetchOutcome); an AppError is what gets recorded on a feed's record or shown to a
 * user by the one top-level handler of each entry point.
 */
export type ErrorCode =
  // network and fetch
  | 'bad_url'
  | 'bad_scheme'
  | 'blocked_address'
  | 'too_many_redirects'
  | 'insecure_redirect'
  | 'timeout'
  | 'connect_timeout'
  | 'too_large'
  | 'bad_encoding'
  | 'network_error'
  | 'http_error'
  // content
  | 'empty_body'
  | 'not_a_feed'
  | 'invalid_xml'
  | 'parse_timeout'
  | 'parse_crash'
  // configuration and input
  | 'config_invalid'
  | 'profile_invalid'
  | 'bad_input'
  | 'not_found'
  | 'forbidden'
  // storage and delivery
  | 'storage_error'
  | 'storage_full'
  | 'delivery_failed'
  | 'destination_unavailable'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.context = options.context ?? {};
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError, keeping the original as `cause`. */
export function toAppError(value: unknown, fallback: ErrorCode = 'internal'): AppError {
  if (value instanceof AppError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new AppError(fallback, message, { cause: value });
}
