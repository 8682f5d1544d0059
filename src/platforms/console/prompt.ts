import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Destination } from '../../core/alert.js';
import type { CommandDeps } from '../../commands/context.js';
import { runCommand } from '../../commands/registry.js';
import { saveReplyImages } from './charts.js';
import { renderReply } from './render.js';
import type { Palette } from './terminal-text.js';

export interface ConsolePromptOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly destination: Destination;
  readonly deps: CommandDeps;
  readonly palette: Palette;
  readonly now: () => Date;
  /** Where chart images of replies are written (default data/charts). */
  readonly chartsDir?: string;
  /** Called when the user types /quit or closes input with Ctrl-D on a terminal. */
  readonly onQuit?: () => void;
}

/**
 * The terminal's chat: a prompt where the local user types the same slash commands Slack and
 * Discord answer, with the same replies. The local user may configure (it is their machine).
 */
export function startConsolePrompt(options: ConsolePromptOptions): { close(): void } {
  const terminal = (options.output as Writable & { isTTY?: boolean }).isTTY === true;
  const rl: Interface = createInterface({ input: options.input, output: options.output, terminal, prompt: 'wirewatch> ' });
  let busy = Promise.resolve();
  rl.on('line', (raw) => {
    const input = raw.trim();
    if (input === '') return rl.prompt();
    if (input === '/quit' || input === '/exit') {
      options.onQuit?.();
      return;
    }
    busy = busy.then(async () => {
      const context = {
        destination: options.destination,
        user: { id: 'local', name: 'local user', canConfigure: true },
        now: options.now(),
      };
      const { reply } = await runCommand(input, context, options.deps);
      options.output.write(`${renderReply(reply, options.palette)}\n`);
      for (const saved of saveReplyImages(reply, options.chartsDir ?? 'data/charts')) options.output.write(`${saved}\n`);
      rl.prompt();
    });
  });
  rl.on('close', () => {
    if (terminal) options.onQuit?.();
  });
  rl.prompt();
  return { close: () => rl.close() };
}
