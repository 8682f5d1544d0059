import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertCard } from '../../src/core/alert.js';
import { heading, line, link, reply, strong, text, code } from '../../src/core/reply.js';
import { closeParsers, parseFeed } from '../../src/feeds/parse/index.js';
import { alertCardFor } from '../../src/pipeline/alert-card.js';
import { alertMessage, alertPlainMessage, replyMessage, DISCORD_LIMITS } from '../../src/platforms/discord/render.js';
import { alertBlocks, alertFallbackText } from '../../src/platforms/slack/render-alert.js';
import { slackReply } from '../../src/platforms/slack/render-reply.js';
import { REPO_ROOT } from '../support/app-config.js';

const CARD: AlertCard = {
  title: 'Russian drones strike SOCAR depot in Odesa',
  link: 'https://news.example/socar?x=1|y',
  source: 'Test Wire',
  published: '2025-10-25T09:00:00.000Z',
  snippet: 'Azerbaijan condemned the attack & summoned the envoy.',
  score: 82,
  profile: 'azerbaijan-russia',
  reasons: [
    { kind: 'entity', id: 'socar', label: 'SOCAR', field: 'title', matched: 'SOCAR', contribution: 40 },
    { kind: 'keyword', id: 'drone strike', label: 'drone strike', field: 'title', matched: 'drones strike', contribution: 25.5 },
  ],
};

async function hostileCard(): Promise<AlertCard> {
  const bytes = readFileSync(path.join(REPO_ROOT, 'fixtures/feeds/broken-en.xml'));
  const parsed = await parseFeed(bytes, { contentType: 'application/rss+xml' });
  if (!parsed.ok) throw parsed.error;
  const item = parsed.items.find((candidate) => candidate.key === 'frontier-0060');
  if (!item) throw new Error('the hostile item is missing from broken-en.xml');
  const stored = { ...item, id: 7, feedId: 'frontier', firstSeenAt: '2025-10-09T16:00:00.000Z' };
  // What survives parsing: "@everyone …" in the title, masked link and <@…> mentions in the summary.
  expect(stored.title).toContain('@everyone');
  expect(stored.summary).toContain('<@U024BE7LH>');
  return alertCardFor({ id: 7, destinationId: 'd', item: stored, feedName: 'Frontier <!here> Dispatch', profile: 'p', score: 60, scores: [], attempts: 0, createdAt: stored.firstSeenAt });
}

afterAll(closeParsers);

describe('Slack rendering', () => {
  it('renders an alert as Block Kit (explicit expectation)', () => {
    expect(alertBlocks(CARD, 42)).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*<https://news.example/socar?x=1%7Cy|Russian drones strike SOCAR depot in Odesa>*' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Test Wire · <!date^1761382800^{date_short_pretty} {time}|2025-10-25 09:00 UTC>' }] },
      { type: 'section', text: { type: 'mrkdwn', text: 'Score *82* · azerbaijan-russia\nwhy: SOCAR +40 (title) · drone strike +25.5 (title)' } },
      { type: 'section', text: { type: 'plain_text', text: 'Azerbaijan condemned the attack &amp; summoned the envoy.', emoji: false } },
      {
        type: 'actions',
        block_id: 'ww_alert_42',
        elements: [
          { type: 'button', action_id: 'ww_up', text: { type: 'plain_text', text: '👍', emoji: true }, value: 'ww:up:42' },
          { type: 'button', action_id: 'ww_down', text: { type: 'plain_text', text: '👎', emoji: true }, value: 'ww:down:42' },
          { type: 'button', action_id: 'ww_timeline', text: { type: 'plain_text', text: 'Timeline', emoji: true }, value: 'ww:tl:SOCAR' },
          { type: 'button', action_id: 'ww_mute', text: { type: 'plain_text', text: 'Mute term', emoji: true }, value: 'ww:mute:SOCAR' },
        ],
      },
    ]);
    expect(alertFallbackText(CARD)).toBe('Russian drones strike SOCAR depot in Odesa — Test Wire (score 82)');
  });

  it('the hostile fixture item cannot ping, mention or spoof a link (§3 C39)', async () => {
    const card = await hostileCard();
    const rendered = JSON.stringify({ blocks: alertBlocks(card, 7), text: alertFallbackText(card) });
    expect(rendered).not.toMatch(/<!channel>|<!here>|<@U024BE7LH>|<@&|<https:\/\/evil/);
    expect(rendered).toContain('&lt;@U024BE7LH&gt;');
    expect(rendered).toContain('Frontier &lt;!here&gt; Dispatch');
  });

  it('a label that reads like an address never hides another address', () => {
    const answer = slackReply(reply([line(link('https://evil.example/phish', 'https://bank.example'))]));
    expect(answer.text).toBe('https://bank.example (<https://evil.example/phish>)');
  });

  it('truncates to Slack limits with an ellipsis and folds long replies under 50 blocks', () => {
    const long = reply([heading('x'.repeat(500)), ...Array.from({ length: 400 }, (_, index) => line(strong(`item ${index}`), text(' & '.repeat(50))))]);
    const answer = slackReply(long);
    expect(answer.blocks?.length).toBeLessThanOrEqual(50);
    for (const block of answer.blocks ?? []) expect(JSON.stringify(block).length).toBeLessThan(3_200);
    expect(answer.text.length).toBeLessThanOrEqual(3_000);
    expect(answer.text.endsWith('…')).toBe(true);
  });
});

describe('Discord rendering', () => {
  it('renders an alert as an embed with buttons and no mentions (explicit expectation)', () => {
    const message = alertMessage(CARD, 42, { role: null, atScore: 100 });
    expect(message).toEqual({
      embeds: [
        {
          title: 'Russian drones strike SOCAR depot in Odesa',
          url: 'https://news.example/socar?x=1|y',
          description: 'Azerbaijan condemned the attack & summoned the envoy.',
          color: 0xe8893c,
          fields: [
            { name: 'Score', value: '82', inline: true },
            { name: 'Profile', value: 'azerbaijan\\-russia', inline: true },
            { name: 'Why', value: 'SOCAR +40 \\(title\\) · drone strike +25.5 \\(title\\)' },
          ],
          footer: { text: 'Test Wire · 2025-10-25 09:00 UTC' },
          timestamp: '2025-10-25T09:00:00.000Z',
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 3, label: '👍', custom_id: 'ww:up:42' },
            { type: 2, style: 4, label: '👎', custom_id: 'ww:down:42' },
            { type: 2, style: 2, label: 'Timeline', custom_id: 'ww:tl:SOCAR' },
            { type: 2, style: 2, label: 'Mute term', custom_id: 'ww:mute:SOCAR' },
          ],
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('the hostile fixture item renders inert: no ping, no masked link, no raw mention (§3 C40–41)', async () => {
    const card = await hostileCard();
    for (const message of [alertMessage(card, 7, { role: null, atScore: 0 }), alertPlainMessage(card)]) {
      const rendered = JSON.stringify(message);
      expect(rendered).not.toMatch(/(?<!\\\\)@everyone|(?<!\\\\)@here|\[the Kremlin transcript\]\(|(?<!\\\\)<@U024BE7LH>|(?<!\\\\)<@&/);
      expect(message.allowed_mentions).toEqual({ parse: [] });
    }
  });

  it('escapes code fences, spoilers and masked links in command echoes', () => {
    const message = replyMessage(reply([line(text('```js\n||spoiler|| [a](https://evil.example) <https://x> \\')), line(code('`@everyone`'))], true));
    expect(message.content).toBe('\\`\\`\\`js \\|\\|spoiler\\|\\| \\[a\\]\\(https://evil.example\\) \\<https://x\\> \\\\\n`ˋ@\u2060everyoneˋ`');
    expect(message.flags).toBe(64);
  });

  it('moves long replies into an embed and cuts at Discord limits', () => {
    const message = replyMessage(reply(Array.from({ length: 300 }, (_, index) => line(text(`line ${index} `.repeat(5))))));
    expect(message.content).toBeUndefined();
    expect(message.embeds?.[0]?.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(message.embeds?.[0]?.description?.endsWith('…')).toBe(true);
    const title = alertMessage({ ...CARD, title: 'T'.repeat(1_000) }, 1, { role: null, atScore: 0 }).embeds?.[0]?.title ?? '';
    expect(title.length).toBe(256);
    expect(title.endsWith('…')).toBe(true);
  });
});
