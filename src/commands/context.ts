import type { Destination } from '../core/alert.js';
import type { Reply } from '../core/reply.js';
import type { DestinationPauses } from '../pipeline/ports.js';
import type { QueryDeps } from '../pipeline/queries.js';

/** Who asks, where, and when. Platforms fill `canConfigure` from their own permission model. */
export interface CommandContext {
  readonly destination: Destination;
  readonly user: { readonly id: string; readonly name: string; readonly canConfigure: boolean };
  readonly now: Date;
}

export type CommandDeps = QueryDeps & {
  /** Destinations paused by a delivery error, for /wirewatch status and resume; without it those say so. */
  readonly pauses?: DestinationPauses;
};

export interface CommandDefinition {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  run(args: string, context: CommandContext, deps: CommandDeps): Promise<Reply>;
}
