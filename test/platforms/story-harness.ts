import type { StoryStore } from '../../src/pipeline/ports.js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Three SOCAR stories on different days, the last one within the past hours so a digest of the last
 * day sees it. Feed text tries to ping everyone on both platforms.
 */
export async function seedSocarStories(stories: StoryStore, now = new Date()): Promise<void> {
  const base = { feedName: 'Wire <!channel>', link: null, dated: true, profiles: ['azerbaijan-russia'], entities: ['socar'], terms: ['socar'], bands: [], signature: '' };
  const day = 86_400_000;
  const reports = [
    { itemKey: '1', title: 'SOCAR compressor station hit', at: now.getTime() - 3 * day },
    { itemKey: '2', title: 'SOCAR filling stations closed', at: now.getTime() - 2 * day },
    { itemKey: '3', title: 'SOCAR depot hit <!channel> @everyone <@U024BE7LH>', at: now.getTime() - 2 * 3_600_000 },
  ];
  for (const report of reports) {
    await stories.assign(
      {
        ...base,
        feedId: `wire-${report.itemKey}`,
        itemKey: report.itemKey,
        title: report.title,
        snippet: 'Storage tanks at a SOCAR fuel depot caught fire after a drone attack overnight, <!here> @here said officials.',
        publishedAt: new Date(report.at).toISOString(),
        score: 120,
        exactKeys: [`u:wire/${report.itemKey}`],
      },
      { kind: 'new' },
      [],
      new Date(report.at),
    );
  }
}
