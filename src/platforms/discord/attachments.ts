import { createHash } from 'node:crypto';
import type { RawFile } from 'discord.js';
import type { Destination } from '../../core/alert.js';
import { truncate } from '../../core/chat-text.js';
import type { Reply } from '../../core/reply.js';
import { escapeWithin } from './markdown.js';
import { DISCORD_LIMITS, type DiscordMessage } from './render.js';

/** A picture to send as a multipart part (`files[n]`), named by an `attachments` entry in the JSON. */
export interface DiscordFile {
  readonly name: string;
  readonly data: Uint8Array;
  readonly contentType: 'image/png';
}

/** A message and the files that travel beside its JSON; `files` never goes into a JSON body. */
export type DiscordOutgoing = DiscordMessage & {
  attachments?: { id: number; filename: string; description: string }[];
  readonly files?: readonly DiscordFile[];
};

/** Discord's limit is 10 attachments per message; alt text (description) at most 1 024 characters. */
const MAX_FILES = 10;

/** The reply's pictures as attachments of `message` (Discord shows them under the text, alt text kept). */
export function withImages(message: DiscordMessage, reply: Reply): DiscordOutgoing {
  const images = (reply.images ?? []).slice(0, MAX_FILES);
  if (images.length === 0) return message;
  const files = images.map((image, index): DiscordFile => ({ name: `chart-${index + 1}.png`, data: image.png, contentType: 'image/png' }));
  const attachments = images.map((image, index) => ({ id: index, filename: files[index]?.name ?? '', description: truncate(image.alt, 1_024) }));
  return { ...message, attachments, files };
}

/** The JSON body (payload_json) and the @discordjs/rest parts, `files[0]`, `files[1]`, … */
export function splitFiles(outgoing: DiscordOutgoing): { body: DiscordMessage & { attachments?: unknown[] }; files: RawFile[] | undefined } {
  const { files, ...body } = outgoing;
  if (!files || files.length === 0) return { body, files: undefined };
  return { body, files: files.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType })) };
}

/** The same message without its pictures and with a note saying why, so the text still goes out. */
export function withoutImages(outgoing: DiscordOutgoing, error: string): DiscordMessage {
  const { files: _files, attachments: _attachments, ...message } = outgoing;
  const note = `*The chart could not be attached (${escapeWithin(error, 200)}); the text is complete.*`;
  const content = message.content && message.content !== '…' ? `${truncate(message.content, DISCORD_LIMITS.content - note.length - 1)}\n${note}` : note;
  return { ...message, content };
}

/**
 * Nonce of an unprompted reply: a caller's stable key when it gives one (`deliveryKey`, e.g. a
 * digest key), else a hash of the destination and the exact content, so REST's own retry of the
 * same body returns the first message instead of posting a second. ≤ 25 characters.
 */
export function replyNonce(destination: Destination, outgoing: DiscordOutgoing, key: string | null): string {
  if (key) {
    const clean = key.replace(/[^\w-]/g, '');
    // A longer key is hashed rather than cut, so two keys alike in their first 25 characters stay apart.
    if (clean.length > 0 && clean.length <= 25) return clean;
    return `wwk-${createHash('sha256').update(key).digest('base64url').slice(0, 21)}`;
  }
  const hash = createHash('sha256').update(`${destination.id}\u0000${destination.channel}\u0000`);
  const { files, ...body } = outgoing;
  hash.update(JSON.stringify(body));
  for (const file of files ?? []) hash.update(file.data);
  return `wwr-${hash.digest('base64url').slice(0, 21)}`;
}
