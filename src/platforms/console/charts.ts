import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reply } from '../../core/reply.js';
import { clean } from './terminal-text.js';

/**
 * The terminal cannot show a picture: each image of a reply is written under `dir` (data/charts/
 * by default) and the line to print names the file and says what it shows.
 */
export function saveReplyImages(reply: Reply, dir: string, now: Date = new Date()): string[] {
  const images = reply.images ?? [];
  if (images.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return images.map((image, index) => {
    const file = path.join(dir, `chart-${stamp}-${index + 1}.png`);
    writeFileSync(file, image.png);
    return `  chart: ${file} (${clean(image.alt, 200)})`;
  });
}
