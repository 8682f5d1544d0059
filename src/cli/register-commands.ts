import type { Command } from 'commander';
import { readRuntimeEnv } from '../config/load.js';
import { AppError } from '../core/errors.js';
import { createDiscordRest, registerDiscordCommands } from '../platforms/discord/index.js';

interface RegisterFlags {
  guild?: string;
}

/**
 * Registers wirewatch's slash commands with Discord (Slack's come from the app manifest). Needs
 * DISCORD_TOKEN and DISCORD_APPLICATION_ID; `--guild ID` registers in one server, instantly.
 */
export async function registerCommands(env: NodeJS.ProcessEnv, guild: string | null, cwd: string = process.cwd()): Promise<string> {
  const runtime = readRuntimeEnv(env, cwd);
  if (!runtime.discord) throw new AppError('config_invalid', 'DISCORD_TOKEN is not set: create a bot in the Discord developer portal and set it (see docs/platforms.md)');
  if (!runtime.discordApplicationId) throw new AppError('config_invalid', 'DISCORD_APPLICATION_ID is not set: copy it from the developer portal (General Information)');
  if (guild !== null && !/^\d{5,25}$/.test(guild)) throw new AppError('bad_input', '--guild must be a numeric server id');
  const rest = createDiscordRest({ token: runtime.discord.token, apiUrl: runtime.discordApiUrl });
  try {
    const result = await registerDiscordCommands(rest, runtime.discordApplicationId, guild);
    return `registered ${result.count} commands (${result.scope})`;
  } catch (error) {
    // The library's error carries the route and status, never the token.
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('delivery_failed', `Discord refused the command registration: ${reason.slice(0, 300)}`, { cause: error });
  }
}

export function registerRegisterCommandsCommand(program: Command): void {
  program
    .command('register-commands')
    .description('register /timeline, /watch, /feeds, /digest, /explain and /wirewatch with Discord (DISCORD_TOKEN, DISCORD_APPLICATION_ID)')
    .option('--guild <id>', 'register in one server only (takes effect at once; global registration can take a while)')
    .action(async (flags: RegisterFlags) => {
      process.stdout.write(`${await registerCommands(process.env, flags.guild ?? null)}\n`);
    });
}
