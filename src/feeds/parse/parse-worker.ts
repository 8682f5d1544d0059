/**
 * Entry of a parse worker thread (see parser-pool.ts). Parsing runs here so that a hostile
 * document can burn this thread's CPU, not the main event loop, and can be killed at its deadline.
 */
import { parentPort } from 'node:worker_threads';
import { parseDocument } from './parse-document.js';
import type { DocumentOptions } from './parse-document.js';

export interface ParseRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly options: DocumentOptions;
}

const port = parentPort;
if (port === null) throw new Error('parse-worker must run as a worker thread');

port.on('message', (request: ParseRequest) => {
  void parseDocument(request.bytes, request.options).then((result) => {
    port.postMessage({ type: 'result', id: request.id, result });
  });
});
port.postMessage({ type: 'ready' });
