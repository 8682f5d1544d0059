/** Small hand-written feeds for the parse tests, built in memory (no fixture files). */

export interface ItemSpec {
  title?: string;
  link?: string;
  guid?: string;
  pubDate?: string;
  description?: string;
}

export function rss(items: ItemSpec[], channelExtra = ''): string {
  const body = items
    .map((item) =>
      [
        '<item>',
        item.title === undefined ? '' : `<title>${item.title}</title>`,
        item.link === undefined ? '' : `<link>${item.link}</link>`,
        item.guid === undefined ? '' : `<guid>${item.guid}</guid>`,
        item.pubDate === undefined ? '' : `<pubDate>${item.pubDate}</pubDate>`,
        item.description === undefined ? '' : `<description>${item.description}</description>`,
        '</item>',
      ].join(''),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Test feed</title><link>https://news.example/</link>${channelExtra}\n${body}\n</channel></rss>`;
}

export function atom(entries: { title: string; id: string; updated: string; link?: string }[]): string {
  const body = entries
    .map((entry) => `<entry><title>${entry.title}</title><id>${entry.id}</id><updated>${entry.updated}</updated>${entry.link ? `<link href="${entry.link}"/>` : ''}</entry>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Atom test</title><link href="https://atom.example/"/><id>urn:feed</id><updated>2024-01-01T00:00:00Z</updated>\n${body}\n</feed>`;
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
