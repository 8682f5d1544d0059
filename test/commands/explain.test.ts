import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackReply } from '../../src/platforms/slack/render-reply.js';
import { DESTINATION, item, openHarness, replyLinks, replyText, type Harness } from './command-harness.js';

const RELEVANT = item('r1', 'Russian drones strike SOCAR oil depot in Odesa region', 'Azerbaijan condemned the attack on a SOCAR facility.', 'https://news.example/socar-depot');
const LOOKALIKE = item('l1', 'Odessa, Texas oil output rises in the Permian basin', 'Drillers in Odessa, Texas reported higher output.', 'https://news.example/odessa-texas');
const BORDERLINE = item('b1', 'Caspian pipeline tariff talks resume in Baku', 'Officials met on Tuesday.', 'https://news.example/caspian');

describe('/explain LINK on a real SQLite store', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await openHarness();
    await harness.store([RELEVANT, LOOKALIKE, BORDERLINE]);
  });
  afterEach(async () => {
    await harness.close();
  });

  it('explains why an item alerts here: each reason with its contribution', async () => {
    const { reply, error } = await harness.run('/explain https://news.example/socar-depot');
    expect(error).toBeNull();
    const shown = replyText(reply);
    expect(shown).toContain('Why this item alerts here');
    expect(shown).toMatch(/azerbaijan-russia: score [\d.]+ \/ threshold 50 → alerts here/);
    expect(shown).toMatch(/\+37\.5 entity SOCAR \(“SOCAR” in title\)/);
    expect(shown).toMatch(/\+35 cooccurrence azerbaijan with russia/);
    expect(shown).toMatch(/When stored: azerbaijan-russia scored [\d.]+ against its threshold 50/);
    expect(replyLinks(reply)).toEqual(['https://news.example/socar-depot']);
  });

  it('explains why a look-alike does not alert: the context rule that ignored it', async () => {
    const shown = replyText((await harness.run('/explain https://news.example/odessa-texas')).reply);
    expect(shown).toContain('Why this item does not alert here');
    expect(shown).toMatch(/→ below this channel’s threshold/);
    expect(shown).toMatch(/\+0 context Odesa region: ignored, excluded by "Texas"/);
  });

  it('re-scores with the channel’s own threshold and watch terms as they are now', async () => {
    expect(replyText((await harness.run('/explain https://news.example/caspian')).reply)).toContain('does not alert here');
    await harness.run('/watch add "Caspian pipeline" --weight 40');
    const shown = replyText((await harness.run('/explain https://news.example/caspian')).reply);
    expect(shown).toContain('Why this item alerts here');
    expect(shown).toMatch(/\+60 watch-term Caspian pipeline/);
    expect(shown).toContain('Includes this channel’s 1 watch term as they are now.');
    const strict = { ...DESTINATION, threshold: 500 };
    expect(replyText((await harness.run('/explain https://news.example/socar-depot', { destination: strict })).reply)).toMatch(/threshold 500 → below/);
  });

  it('unwraps the link as chat platforms send it, and finds its canonical form', async () => {
    for (const input of ['<https://news.example/socar-depot>', '<https://news.example/socar-depot|the depot story>', 'HTTPS://NEWS.EXAMPLE/socar-depot']) {
      expect(replyText((await harness.run(`/explain ${input}`)).reply), input).toContain('Why this item alerts here');
    }
  });

  it('says clearly when no stored item has the link, and points to /timeline', async () => {
    const { reply, error } = await harness.run('/explain https://news.example/never-seen');
    expect(error).toBeNull();
    const shown = replyText(reply);
    expect(shown).toContain('No stored item has the link https://news.example/never-seen');
    expect(shown).toContain('/timeline');
    expect(replyLinks(reply)).toEqual([]);
  });

  it.each([
    ['no link', '/explain', /give the link of an item/],
    ['not http(s)', '/explain javascript:alert(1)', /"javascript:alert\(1\)" is not an http\(s\) link/],
    ['a mention', '/explain <!channel>', /"!channel" is not an http\(s\) link|"<!channel>" is not an http\(s\) link/],
    ['a file URL', '/explain file:///etc/passwd', /is not an http\(s\) link/],
    ['a huge link', `/explain https://news.example/${'a'.repeat(3_000)}`, /too long \(at most 2048 characters\): "https:\/\/news\.example\/a+… \([\d,]+ characters\)"/],
  ])('refuses %s, quoting the input inert', async (_name, input, message) => {
    const { reply, error } = await harness.run(input);
    expect(error?.code).toBe('bad_input');
    expect(replyText(reply)).toMatch(message);
    expect(replyText(reply).length).toBeLessThan(400);
    expect(replyLinks(reply)).toEqual([]);
    expect(JSON.stringify(slackReply(reply))).not.toContain('<!channel>');
  });
});
