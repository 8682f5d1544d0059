/**
 * Bytes → string for a named charset. TextDecoder first (Node 20 ships full ICU: windows-125x,
 * KOI8-R, Shift_JIS, GBK, Big5, EUC-*, ISO-8859-x, UTF-16), iconv-lite for what it lacks (UTF-32,
 * some Mac and IBM code pages).
 */
import iconv from 'iconv-lite';

/** Returns null when no decoder knows the label. */
export function decodeAs(bytes: Uint8Array, label: string): string | null {
  const wideFallback = label === 'utf-16' ? 'utf-16le' : label;
  try {
    return new TextDecoder(wideFallback, { ignoreBOM: false }).decode(bytes);
  } catch {
    // not a WHATWG label: try iconv-lite below
  }
  if (iconv.encodingExists(label)) return iconv.decode(Buffer.from(bytes), label, { stripBOM: true });
  return null;
}

export function isKnownCharset(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return iconv.encodingExists(label);
  }
}

/** Strict UTF-8: null when the bytes are not valid UTF-8. */
export function decodeStrictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function hasNonAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}
