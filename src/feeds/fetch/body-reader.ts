/**
 * Reads a response body with hard limits. Decompression is ours (node:zlib streams), so the
 * decoded bytes are counted and the read stops at the cap: Node's fetch inflates without limit
 * (reliability §0.4: 204 KB on the wire → 200 MiB). Wire bytes are counted too, so a decoder that
 * swallows input without output cannot make us read forever.
 */
import type { IncomingMessage } from 'node:http';
import { Transform, Writable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError } from '../../core/errors.js';

/** More layers than this is an attack, not a server (undici caps at 5: CVE-2026-22036). */
const MAX_ENCODING_LAYERS = 2;

type Encoding = 'gzip' | 'deflate' | 'br';

const KNOWN: Readonly<Record<string, Encoding>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
};

/** The encodings in the order the server applied them (`identity` dropped), or why not. */
export function parseContentEncoding(header: string | undefined): Encoding[] | AppError {
  const names = (header ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'identity');
  if (names.length > MAX_ENCODING_LAYERS) {
    return new AppError('bad_encoding', `${names.length} content-encoding layers refused (at most ${MAX_ENCODING_LAYERS})`);
  }
  const layers: Encoding[] = [];
  for (const name of names) {
    const known = KNOWN[name];
    if (known === undefined) return new AppError('bad_encoding', `unsupported content-encoding "${name.slice(0, 40)}"`);
    layers.push(known);
  }
  return layers;
}

function decoder(encoding: Encoding): Duplex {
  // deflate: zlib-wrapped per RFC 9110; raw deflate from broken servers fails as bad_encoding.
  if (encoding === 'gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  return createBrotliDecompress();
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('too_large', `feed body exceeds ${maxBytes} bytes`, { context: { maxBytes } });
}

function byteCounter(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code === 'ERR_ZLIB_INITIALIZATION_FAILED');
}

/**
 * The decoded body, at most `maxBytes` long. Rejects with an AppError (`too_large`,
 * `bad_encoding`) or with the stream error (network, abort) for the caller to classify.
 */
export async function readBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  const layers = parseContentEncoding(res.headers['content-encoding']);
  if (layers instanceof AppError) throw layers;
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);

  const chunks: Buffer[] = [];
  let decoded = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      decoded += chunk.length;
      if (decoded > maxBytes) {
        callback(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });
  // Decoders undo the encodings in reverse order of application.
  const decoders = [...layers].reverse().map(decoder);
  try {
    await pipeline([res, byteCounter(maxBytes), ...decoders, sink], { signal });
  } catch (error) {
    if (isZlibError(error)) {
      throw new AppError('bad_encoding', 'feed body could not be decompressed', { cause: error });
    }
    throw error;
  }
  return new Uint8Array(Buffer.concat(chunks, decoded));
}
