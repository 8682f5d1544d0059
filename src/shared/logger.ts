import { pino } from 'pino';

/** Structured logs go to stderr, always: stdout belongs to `--json` output and command results. */
export type Logger = pino.Logger;

/** Keys whose values are never written, wherever they appear in a log object. */
const REDACT = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  '*.token',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
];

export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that writes nothing: the default for pure code paths and tests that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
