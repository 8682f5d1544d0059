import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TERMS } from '../../src/commands/watch.js';
import { loadWatchTerms, scoreItems } from '../../src/pipeline/score-items.js';
import { routeAlerts } from '../../src/pipeline/route-alerts.js';
import { slackReply } from '../../src/platforms/slack/render-reply.js';
import { replyMessage } from '../../src/platforms/discord/render.js';
import { DESTINATION, item, openHarness, replyLinks, replyText, type Harness } from './command-harness.js';

describe('/watch on a real SQLite store', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await openHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  /** What the pipeline's next poll would do with these items for the test destination. */
  async function nextPollAlerts(titles: string[]): Promise<string[]> {
    const watchTerms = await loadWatchTerms(harness.stores.watchTerms, [DESTINATION]);
    const scored = scoreItems(harness.deps.scorer, titles.map((title, index) => item(`n${index}`, title)), [DESTINATION], watchTerms);
    return routeAlerts(scored, [DESTINATION], { isFirst: false, alertNewest: 0 })
      .filter((entry) => entry.alerts.length > 0)
      .map((entry) => entry.item.title);
  }

  it('lists the profiles with their threshold, then the channel terms', async () => {
    const { reply, error } = await harness.run('/watch list');
    expect(error).toBeNull();
    const shown = replyText(reply);
    expect(shown).toContain('Azerbaijan–Russia crisis');
    expect(shown).toMatch(/alert at score ≥ 50/);
    expect(shown).toContain(`Channel watch terms (0 of at most ${MAX_TERMS})`);
    await harness.run('/watch add "Caspian pipeline" --weight 60 --alias "Каспийский трубопровод"');
    const after = replyText((await harness.run('/watch list')).reply);
    expect(after).toContain('Caspian pipeline weight 60 · aliases: Каспийский трубопровод');
  });

  it('adds a term that takes effect on the next item, and removes it again', async () => {
    const headline = 'Caspian pipeline tariff talks resume';
    expect(await nextPollAlerts([headline])).toEqual([]);

    const added = await harness.run('/watch add "Caspian pipeline" --weight 40');
    expect(added.error).toBeNull();
    expect(replyText(added.reply)).toContain('Now watching Caspian pipeline (weight 40), from the next item on.');
    expect(await nextPollAlerts([headline, 'Weather in Tbilisi'])).toEqual([headline]);

    // Inflected and in another case, it is the same term: updated, not duplicated.
    const updated = await harness.run('/watch add "caspian PIPELINE" --weight 45');
    expect(replyText(updated.reply)).toContain('Updated Caspian pipeline');
    expect(await harness.stores.watchTerms.list(DESTINATION.id)).toHaveLength(1);

    const removed = await harness.run('/watch remove caspian pipeline');
    expect(replyText(removed.reply)).toContain('Stopped watching Caspian pipeline');
    expect(await nextPollAlerts([headline])).toEqual([]);
    expect(replyText((await harness.run('/watch remove caspian pipeline')).reply)).toContain('was not watching');
  });

  it('applies a --not term as a negative on the next item', async () => {
    const headline = 'Russia and Azerbaijan sign trade cooperation memo';
    expect(await nextPollAlerts([headline])).toEqual([headline]);
    await harness.run('/watch add memo --not --weight 100');
    expect(await nextPollAlerts([headline])).toEqual([]);
  });

  it('dry-runs text with /watch test, and a stored item by its link', async () => {
    await harness.run('/watch add "Caspian pipeline" --weight 40');
    const dry = replyText((await harness.run('/watch test Caspian pipeline reopens after Russian strike on SOCAR depot')).reply);
    expect(dry).toContain('Dry run (nothing is posted)');
    expect(dry).toMatch(/azerbaijan-russia: score [\d.]+ \/ threshold 50 → would alert/);
    expect(dry).toMatch(/\+60 watch-term Caspian pipeline \(“Caspian pipeline” in title\)/);
    await harness.store([item('s1', 'Drone strike hits SOCAR gas station in Odesa region', 'Russian drones struck the station.')]);
    const stored = replyText((await harness.run('/watch test https://news.example/s1')).reply);
    expect(stored).toContain('Dry run on the stored item');
    expect(stored).toContain('Drone strike hits SOCAR gas station in Odesa region');
    expect(stored).toContain('would alert');
  });

  it('refuses changes from users who may not configure the channel', async () => {
    const { error } = await harness.run('/watch add pipeline', { canConfigure: false });
    expect(error?.code).toBe('forbidden');
    expect(await harness.stores.watchTerms.list(DESTINATION.id)).toEqual([]);
  });

  describe('bad input: a clear refusal that quotes the input inert, and nothing stored', () => {
    const refusals: [string, string, RegExp][] = [
      ['an empty term', '/watch add', /the term is empty/],
      ['a quoted empty term', '/watch add ""', /the term is empty/],
      ['a 10,000-character term', `/watch add ${'x'.repeat(10_000)}`, /too long \(at most 80 characters\): "x{40,60}… \([\d,]{5} characters\)"/],
      ['a Slack mention', '/watch add <!channel>', /"<!channel>" is not a plain word or phrase/],
      ['a Discord mention', '/watch add @everyone', /"@everyone" is not a plain word or phrase/],
      ['a masked link', '/watch add [bank](https://evil.example)', /is not a plain word or phrase/],
      ['a regex', '/watch add (a+)+$', /not patterns or mentions/],
      ['a zero-width space inside a term', '/watch add SO\u200BCAR', /"SO\uFFFDCAR" is not a plain word/],
      ['an RTL override', '/watch add \u202Eevil', /"\uFFFDevil" is not a plain word/],
      ['a bad weight', '/watch add pipeline --weight 1e9', /--weight must be a number above 0 and at most 100, not "1e9"/],
      ['too many aliases', `/watch add pipeline ${Array.from({ length: 11 }, (_, i) => `--alias a${i}`).join(' ')}`, /at most 10 aliases/],
      ['a bad alias', '/watch add pipeline --alias <@U123>', /the alias "<@U123>" is not a plain word/],
    ];

    it.each(refusals)('%s', async (_name, input, message) => {
      const { reply, error } = await harness.run(input);
      expect(error?.code).toBe('bad_input');
      const shown = replyText(reply);
      expect(shown).toMatch(message);
      expect(shown).toMatch(/^⚠ /);
      expect(shown.length).toBeLessThan(400);
      expect(replyLinks(reply)).toEqual([]);
      // Rendered for chat, the echo can neither ping nor link.
      const slack = JSON.stringify(slackReply(reply));
      expect(slack).not.toMatch(/<!channel>|<@U123>/);
      expect(replyMessage(reply).allowed_mentions).toEqual({ parse: [] });
      expect(await harness.stores.watchTerms.list(DESTINATION.id)).toEqual([]);
    });

    it(`refuses the ${(MAX_TERMS + 1).toLocaleString('en-US')}st term and still updates an existing one`, async () => {
      for (let index = 0; index < MAX_TERMS; index += 1) {
        await harness.stores.watchTerms.add({ destinationId: DESTINATION.id, term: `term${index}`, weight: 5, aliases: [], negative: false, createdBy: 'U1', createdAt: new Date(0).toISOString() });
      }
      const { reply, error } = await harness.run('/watch add one more');
      expect(error?.code).toBe('bad_input');
      expect(replyText(reply)).toContain(`already watches ${MAX_TERMS} terms, the most it can: remove one before adding "one more"`);
      expect(await harness.stores.watchTerms.list(DESTINATION.id)).toHaveLength(MAX_TERMS);
      expect((await harness.run('/watch add term7 --weight 9')).error).toBeNull();
      expect(replyText((await harness.run('/watch list')).reply)).toContain(`(${MAX_TERMS} of at most ${MAX_TERMS})`);
    });

    it('keeps a removal request for a term never added inert', async () => {
      const { reply } = await harness.run('/watch remove <!here>');
      expect(replyText(reply)).toContain('This channel was not watching <!here>');
      expect(reply.blocks.flatMap((block) => (block.kind === 'line' ? block.segments : [])).find((segment) => segment.kind !== 'link' && segment.text === '<!here>')?.kind).toBe('code');
      expect(JSON.stringify(slackReply(reply))).not.toContain('<!here>');
    });

    it('refuses an unknown subcommand without echoing it raw', async () => {
      const { reply, error } = await harness.run('/watch \u202Edelete');
      expect(error?.code).toBe('bad_input');
      expect(replyText(reply)).toContain('unknown subcommand "\uFFFDdelete"');
    });
  });
});
