import type { ImageAttachment, Reply } from '../../core/reply.js';
import { classifySlackError } from './delivery-errors.js';
import { escapeWithin } from './mrkdwn.js';
import type { SlackWebClient } from './web-client.js';

export type ImageShareOutcome = { readonly kind: 'shared'; readonly files: readonly string[] } | { readonly kind: 'failed'; readonly error: string };

/** Shares a reply's pictures into a channel (optionally in a thread); never throws. */
export type ShareImages = (channel: string, images: readonly ImageAttachment[], threadTs?: string) => Promise<ImageShareOutcome>;

/** Slack's own limit is 1 GB; a chart is a few KB, so anything big is a bug, not a chart. */
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * The upload URL comes from an API answer: bytes go only to Slack's files host or to the origin
 * the bot was configured to call (a proxy, or the loopback fake in tests), and never with the token.
 */
export function uploadUrlAllowed(apiUrl: string, url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' && parsed.hostname === 'files.slack.com') || parsed.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

/** The line that goes out instead of a picture that could not be attached (already escaped mrkdwn). */
export function imageNote(error: string): string {
  return `_The chart could not be attached (${escapeWithin(error, 200)}); the text above is complete._`;
}

/**
 * Slack's external upload, step by step rather than `filesUploadV2`: that helper sends the bot token
 * to whatever `upload_url` the answer names and uploads all files in parallel without a deadline.
 * 1. files.getUploadURLExternal per image, 2. POST the raw bytes to the checked URL (10 s),
 * 3. one files.completeUploadExternal that shares them all in the channel (alt text kept).
 */
export function createImageSharer(client: SlackWebClient, options: { timeoutMs?: number } = {}): ShareImages {
  return async (channel, images, threadTs) => {
    try {
      const uploaded: { id: string; title: string }[] = [];
      for (const [index, image] of images.entries()) {
        if (image.png.byteLength === 0 || image.png.byteLength > MAX_BYTES) return { kind: 'failed', error: 'picture too large' };
        const filename = `chart-${index + 1}.png`;
        const target = await client.files.getUploadURLExternal({ filename, length: image.png.byteLength, alt_text: image.alt.slice(0, 1_000) });
        if (!target.upload_url || !target.file_id) return { kind: 'failed', error: 'Slack gave no upload URL' };
        if (!uploadUrlAllowed(client.slackApiUrl, target.upload_url)) return { kind: 'failed', error: 'upload URL is not Slack’s' };
        const response = await fetch(target.upload_url, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: image.png,
          redirect: 'error',
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        if (!response.ok) return { kind: 'failed', error: `upload answered HTTP ${response.status}` };
        uploaded.push({ id: target.file_id, title: image.alt.slice(0, 250) || filename });
      }
      const [first, ...rest] = uploaded;
      if (!first) return { kind: 'shared', files: [] };
      await client.files.completeUploadExternal({ files: [first, ...rest], channel_id: channel, ...(threadTs ? { thread_ts: threadTs } : {}) });
      return { kind: 'shared', files: uploaded.map((file) => file.id) };
    } catch (thrown) {
      if (thrown instanceof Error && thrown.name === 'TimeoutError') return { kind: 'failed', error: 'upload timed out' };
      return { kind: 'failed', error: classifySlackError(thrown).error };
    }
  };
}

/**
 * After a command's text answer went out: its pictures into the channel, or a note to the asker.
 * A Slack file cannot be ephemeral, so a private answer's pictures are not shared with everyone.
 */
export async function shareReplyImages(share: ShareImages | undefined, channel: string, reply: Reply, note: (text: string) => Promise<void>): Promise<ImageShareOutcome | null> {
  const images = reply.images ?? [];
  if (images.length === 0) return null;
  const outcome: ImageShareOutcome = reply.ephemeral
    ? { kind: 'failed', error: 'pictures go only with answers the whole channel sees' }
    : share
      ? await share(channel, images)
      : { kind: 'failed', error: 'uploads are not set up' };
  if (outcome.kind === 'failed') await note(imageNote(outcome.error));
  return outcome;
}
