/**
 * Where a document says what its charset is: byte-order mark, HTTP Content-Type, XML declaration.
 * Only reads; the policy that picks a winner lives in decode-feed-bytes.ts.
 */

export type ByteOrderMark = { readonly charset: string; readonly length: number };

/** UTF-32 marks are checked before UTF-16 because FF FE 00 00 starts with the UTF-16LE mark. */
export function readByteOrderMark(bytes: Uint8Array): ByteOrderMark | null {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { charset: 'utf-8', length: 3 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { charset: 'utf-32le', length: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { charset: 'utf-32be', length: 4 };
  if (b0 === 0xff && b1 === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/** `text/xml; charset="windows-1251"` → `windows-1251`; quotes and spaces as servers really send them. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;\s]*))/i.exec(contentType);
  const label = match?.[1] ?? match?.[2] ?? match?.[3] ?? '';
  return label.trim() === '' ? null : label.trim();
}

/**
 * A UTF-16/32 document without a BOM still starts with `<` (`<?xml`), which shows the byte order
 * (XML 1.0 appendix F). Returns the family so the declaration can be read in the right width.
 */
export function sniffWideEncoding(bytes: Uint8Array): string | null {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x3c && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  if (b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0x3c) return 'utf-32be';
  if (b0 === 0x3c && b1 === 0 && b2 === 0x3f && b3 === 0) return 'utf-16le';
  if (b0 === 0 && b1 === 0x3c && b2 === 0 && b3 === 0x3f) return 'utf-16be';
  return null;
}

/** The `encoding="…"` of an XML declaration found in already-decoded (or ASCII-read) text. */
export function encodingFromProlog(head: string): string | null {
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9._:\-]+)\s*["']/.exec(head);
  return match?.[1] ?? null;
}

/** Reads the declaration as ASCII: any ASCII-compatible charset spells it with the same bytes. */
export function prologEncodingFromBytes(bytes: Uint8Array, wide: string | null): string | null {
  const head = bytes.subarray(0, 1024);
  if (wide === null) return encodingFromProlog(Buffer.from(head).toString('latin1'));
  // Wide encodings: keep only the ASCII code units of the head.
  const step = wide.startsWith('utf-32') ? 4 : 2;
  const offset = wide.endsWith('be') ? step - 1 : 0;
  let ascii = '';
  for (let i = offset; i < head.length; i += step) ascii += String.fromCharCode(head[i] ?? 0);
  return encodingFromProlog(ascii);
}

/** Lowercased label with the common misspellings servers send mapped to a name decoders know. */
export function normalizeLabel(label: string): string {
  const lower = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  const aliases: Record<string, string> = {
    utf8: 'utf-8',
    'utf_8': 'utf-8',
    utf16: 'utf-16',
    'utf_16': 'utf-16',
    u16: 'utf-16',
    utf32: 'utf-32',
    'utf_32': 'utf-32',
    u32: 'utf-32',
    win1251: 'windows-1251',
    'cp-1251': 'windows-1251',
    koi8r: 'koi8-r',
    iso88591: 'iso-8859-1',
    latin1: 'iso-8859-1',
    'x-sjis': 'shift_jis',
    sjis: 'shift_jis',
  };
  return Object.hasOwn(aliases, lower) ? (aliases[lower] as string) : lower;
}

export function isUtf8Label(label: string): boolean {
  return label === 'utf-8' || label === 'unicode-1-1-utf-8';
}

export function isWideLabel(label: string): boolean {
  return /^(utf-?16|utf-?32|ucs-?2|ucs-?4|unicode)/.test(label) && !isUtf8Label(label);
}

/** Charsets where one byte is one character: a clean multi-byte UTF-8 decode contradicts them. */
export function isSingleByteLabel(label: string): boolean {
  return /^(us-ascii|ascii|iso[-_]?8859[-_]\d+|latin-?\d|l\d|(windows|cp|x-cp)-?125\d|koi8-?[ru]?|x?-?mac-?\w*|ibm\d+|cp\d+)$/.test(
    label,
  );
}
