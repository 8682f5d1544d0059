import type { AlertCard } from './alert.js';

/**
 * What a command answers, before any platform touches it. Text is plain: each renderer escapes
 * it by construction for its platform, so no feed or user text can become a mention or a link.
 */
export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'link'; readonly url: string; readonly label: string };

export type ReplyBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'line'; readonly segments: readonly Segment[] }
  | { readonly kind: 'card'; readonly card: AlertCard }
  | { readonly kind: 'divider' };

/** A picture attached to a reply (e.g. stories per day); `alt` says in words what it shows. */
export interface ImageAttachment {
  readonly kind: 'image';
  readonly png: Uint8Array;
  readonly alt: string;
}

export interface Reply {
  readonly blocks: readonly ReplyBlock[];
  /** Shown only to the asking user where the platform can. */
  readonly ephemeral: boolean;
  /**
   * Pictures to attach, where the platform can (upload, attachment, file). Kept beside the blocks
   * rather than as a block kind so that renderers that only know text keep working unchanged.
   */
  readonly images?: readonly ImageAttachment[];
}

export const text = (value: string): Segment => ({ kind: 'text', text: value });
export const strong = (value: string): Segment => ({ kind: 'strong', text: value });
export const code = (value: string): Segment => ({ kind: 'code', text: value });
export const link = (url: string, label: string): Segment => ({ kind: 'link', url, label });

export function reply(blocks: ReplyBlock[], ephemeral = false): Reply {
  return { blocks, ephemeral };
}

export function line(...segments: Segment[]): ReplyBlock {
  return { kind: 'line', segments };
}

export function heading(value: string): ReplyBlock {
  return { kind: 'heading', text: value };
}
