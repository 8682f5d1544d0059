import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DISCORD_COMMANDS } from '../../src/platforms/discord/command-definitions.js';
import { REPO_ROOT } from '../support/app-config.js';
import { registerCommands } from '../../src/cli/register-commands.js';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api.js';

describe('wirewatch register-commands', () => {
  let api: FakeDiscordApi;
  beforeEach(async () => {
    api = await startFakeDiscordApi();
  });
  afterEach(() => api.close());

  const env = (): NodeJS.ProcessEnv => ({ DISCORD_TOKEN: 'bot-token-x', DISCORD_APPLICATION_ID: '123456789012', WIREWATCH_DISCORD_API_URL: api.apiUrl });

  it('registers the same commands as the Slack manifest, with options and autocomplete, in one guild', async () => {
    expect(await registerCommands(env(), '290926798626357999')).toBe('registered 6 commands (guild 290926798626357999)');
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'PUT', path: '/api/v10/applications/123456789012/guilds/290926798626357999/commands', authorization: 'Bot bot-token-x' });
    const commands = request?.body as { name: string; options: { name: string; autocomplete?: boolean }[] }[];
    expect(commands.map((command) => command.name)).toEqual(['timeline', 'watch', 'feeds', 'digest', 'explain', 'wirewatch']);
    expect(commands[0]?.options.find((option) => option.name === 'query')?.autocomplete).toBe(true);
  });

  it('registers globally without --guild', async () => {
    await registerCommands(env(), null);
    expect(api.requests[0]?.path).toBe('/api/v10/applications/123456789012/commands');
  });

  it('names the missing variable, never a value', async () => {
    await expect(registerCommands({ DISCORD_TOKEN: 'bot-token-x' }, null)).rejects.toThrow(/DISCORD_APPLICATION_ID is not set/);
    await expect(registerCommands({ DISCORD_APPLICATION_ID: '123456789012' }, null)).rejects.toThrow(/DISCORD_TOKEN is not set/);
  });
});

describe('config/slack-app-manifest.yaml', () => {
  const manifest = parse(readFileSync(path.join(REPO_ROOT, 'config/slack-app-manifest.yaml'), 'utf8')) as {
    features: { slash_commands: { command: string }[] };
    oauth_config: { scopes: { bot: string[] } };
  };
  it('ships the same commands as Discord registers', () => {
    expect(manifest.features.slash_commands.map((command) => command.command.slice(1))).toEqual(DISCORD_COMMANDS.map((command) => command.name));
  });
  it('asks for the scopes the bot uses and no more', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'users:read']);
  });
});
