/**
 * Guessing the charset of undeclared, non-UTF-8 bytes: windows-1251, KOI8-R or windows-1252.
 *
 * Cyrillic text is made almost entirely of high bytes in runs (whole words), Latin-1 text has
 * isolated accented letters between ASCII ones. Between the two Cyrillic code pages the most
 * frequent Russian letters (о е а и н т с р в л) sit at different byte values, so the decode in
 * which they are most frequent wins.
 */
import { decodeAs } from './text-decoders.js';

// Lowercase only: each code page's lowercase bytes decode as UPPERCASE in the other one.
const FREQUENT_RUSSIAN = new Set('оеаинтсрвл');

export function sniffLegacyCharset(bytes: Uint8Array): string {
  let high = 0;
  let inRuns = 0;
  let run = 0;
  const flush = (): void => {
    if (run >= 3) inRuns += run;
    run = 0;
  };
  for (const byte of bytes) {
    if (byte >= 0xc0) {
      high++;
      run++;
    } else if (byte === 0x20 || byte < 0x80) {
      flush();
    }
  }
  flush();
  if (high === 0 || inRuns / high < 0.5) return 'windows-1252';
  return frequentLetters(bytes, 'windows-1251') >= frequentLetters(bytes, 'koi8-r') ? 'windows-1251' : 'koi8-r';
}

function frequentLetters(bytes: Uint8Array, charset: string): number {
  const text = decodeAs(bytes, charset) ?? '';
  let count = 0;
  for (const char of text) if (FREQUENT_RUSSIAN.has(char)) count++;
  return count;
}
