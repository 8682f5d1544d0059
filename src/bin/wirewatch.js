#!/usr/bin/env node
// The `wirewatch` command. In a checkout it runs the TypeScript source through tsx, so
// `npx wirewatch …` works right after `npm ci` with no build step; an image that ships only the
// compiled build (see Dockerfile) runs dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../cli.ts', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(new URL('../../dist/cli.js', import.meta.url).href);
}
