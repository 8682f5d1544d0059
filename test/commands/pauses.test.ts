import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConfigurationCommand } from '../../src/commands/chat-requests.js';
import type { CommandDeps } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/registry.js';
import { DESTINATION, NOW, openHarness, replyText, type Harness } from './command-harness.js';

describe('/wirewatch status and /wirewatch resume on a real SQLite store', () => {
  let harness: Harness;
  let deps: CommandDeps;
  const run = (input: string, canConfigure = true, withPauses = true) =>
    runCommand(input, { destination: DESTINATION, user: { id: 'U1', name: 'tester', canConfigure }, now: NOW }, withPauses ? deps : harness.deps);

  beforeEach(async () => {
    harness = await openHarness();
    deps = { ...harness.deps, pauses: harness.stores.outbox };
  });
  afterEach(async () => {
    await harness.close();
  });

  it('/wirewatch alone is the help, and the help names status and resume', async () => {
    const { reply, error } = await run('/wirewatch');
    expect(error).toBeNull();
    expect(replyText(reply)).toContain('/wirewatch [status | resume [DESTINATION]]');
    expect(replyText((await run('/help')).reply)).toBe(replyText(reply));
  });

  it('status says when nothing is paused, and lists pauses with reason and time', async () => {
    expect(replyText((await run('/wirewatch status')).reply)).toContain('No destination is paused');
    await harness.stores.outbox.pauseDestination('news-slack', 'not_in_channel', new Date('2025-10-26T09:30:00Z'));
    const shown = replyText((await run('/wirewatch status', false)).reply);
    expect(shown).toContain('1 paused destination');
    expect(shown).toContain('news-slack — not_in_channel, since 2025-10-26 09:30 UTC');
    expect(shown).toContain('/wirewatch resume DESTINATION');
  });

  it('resume without an id resumes this channel’s destination', async () => {
    await harness.stores.outbox.pauseDestination(DESTINATION.id, 'is_archived', NOW);
    const { reply, error } = await run('/wirewatch resume');
    expect(error).toBeNull();
    expect(replyText(reply)).toContain(`Resumed ${DESTINATION.id}`);
    expect(await harness.stores.outbox.pausedDestinations()).toEqual([]);
  });

  it('is a configuration command: refused for others, and the command itself refuses too', async () => {
    expect(isConfigurationCommand('/wirewatch resume x')).toBe(true);
    expect(isConfigurationCommand('wirewatch status')).toBe(false);
    await harness.stores.outbox.pauseDestination('x', 'invalid_auth', NOW);
    const { reply, error } = await run('/wirewatch resume x', false);
    expect(error?.code).toBe('forbidden');
    expect(replyText(reply)).toContain('Nothing was changed');
    expect(await harness.stores.outbox.pausedDestinations()).toHaveLength(1);
  });

  it('from a chat channel: sees and resumes only its own destination', async () => {
    const slackChannel = { ...DESTINATION, id: 'news-slack', platform: 'slack' as const };
    const inChat = (input: string) => runCommand(input, { destination: slackChannel, user: { id: 'U1', name: 'tester', canConfigure: true }, now: NOW }, deps);
    await harness.stores.outbox.pauseDestination('other-discord', 'Discord 403 code 50013', NOW);
    const status = replyText((await inChat('/wirewatch status')).reply);
    expect(status).toContain('1 other destination is paused');
    expect(status).not.toContain('other-discord');
    const refused = await inChat('/wirewatch resume other-discord');
    expect(refused.error?.code).toBe('forbidden');
    expect((await inChat('/wirewatch resume')).error?.message).toBe('"news-slack" is not paused. Nothing was changed.');
    expect(await harness.stores.outbox.pausedDestinations()).toHaveLength(1);
    await harness.stores.outbox.pauseDestination('news-slack', 'not_in_channel', NOW);
    expect(replyText((await inChat('/wirewatch status')).reply)).toMatch(/news-slack — not_in_channel.*1 other destination is paused too/s);
    expect((await inChat('/wirewatch resume')).error).toBeNull();
  });

  it('bad input gets a clear error and changes nothing', async () => {
    await harness.stores.outbox.pauseDestination('x', 'invalid_auth', NOW);
    const notPaused = await run('/wirewatch resume <!channel>');
    expect(notPaused.error?.code).toBe('bad_input');
    expect(replyText(notPaused.reply)).toBe('⚠ "<!channel>" is not paused (paused: x). Nothing was changed.');
    expect((await run('/wirewatch resume x y')).error?.message).toMatch(/one destination id/);
    expect((await run('/wirewatch pause x')).error?.message).toMatch(/unknown subcommand "pause"/);
    expect((await run('/wirewatch status', true, false)).error?.message).toMatch(/keeps no destination pauses/);
    expect(await harness.stores.outbox.pausedDestinations()).toHaveLength(1);
  });
});
