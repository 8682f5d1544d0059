/**
 * Where a message create is in a chat fake when a test's hook runs: `received` (the request is read,
 * nothing stored), `stored` (the platform has the message, no answer yet), `answered` (the answer
 * has been handed to the socket). Fault tests use it to kill the bot at an exact point of a send.
 */
export type CreateStage = 'received' | 'stored' | 'answered';

/** What the hook learns: the channel, and how many messages the fake holds in it right now. */
export interface CreateEvent {
  readonly channel: string;
  readonly stored: number;
}

/** Awaited by the fake before it goes on; `drop` cuts the connection there (nothing more is stored or answered). */
export type CreateHook = (stage: CreateStage, event: CreateEvent) => Promise<'drop' | void> | 'drop' | void;
