import { Routes } from 'discord.js';
import { DISCORD_COMMANDS } from './command-definitions.js';
import type { DiscordRest } from './rest.js';

/**
 * Registers (overwrites) wirewatch's application commands: in one guild when given (instant,
 * for testing), else globally (Discord may take a while to show them everywhere).
 */
export async function registerDiscordCommands(rest: DiscordRest, applicationId: string, guildId: string | null): Promise<{ count: number; scope: string }> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body: DISCORD_COMMANDS })) as unknown[];
  return { count: Array.isArray(result) ? result.length : DISCORD_COMMANDS.length, scope: guildId ? `guild ${guildId}` : 'global' };
}
