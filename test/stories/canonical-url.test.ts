import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/stories/canonical-url.js';
import { globalGuid, reportFeatures } from '../../src/stories/features.js';

describe('canonicalUrl', () => {
  const base = 'news.example/world/2025/socar-depot';

  it.each([
    ['https://news.example/world/2025/socar-depot', base],
    ['HTTPS://News.Example/world/2025/socar-depot', base],
    ['http://news.example:80/world/2025/socar-depot', base],
    ['https://news.example:443/world/2025/socar-depot/', base],
    ['https://news.example/world/2025/socar-depot#comments', base],
    ['https://news.example/world/2025/socar-depot?utm_source=newshub&utm_medium=rss&utm_campaign=world', base],
    ['https://news.example/world/2025/socar-depot?fbclid=abc&gclid=def&mc_cid=1&igshid=2', base],
    ['https://www.news.example/world/2025/socar-depot', base],
    ['https://m.news.example/world/2025/socar-depot', base],
    ['https://amp.news.example/world/2025/socar-depot', base],
    ['https://news.example/amp/world/2025/socar-depot', base],
    ['https://news.example/world/2025/socar-depot/amp', base],
    ['https://news.example/world/2025/socar-depot?amp=1', base],
    ['https://news.example/world/2025/socar-depot?outputType=amp', base],
    ['https://news.example//world//2025/socar-depot', base],
  ])('%s → one article', (link, expected) => {
    expect(canonicalUrl(link)).toBe(expected);
  });

  it('keeps what names the article: path case, non-tracking parameters (sorted), non-default ports', () => {
    expect(canonicalUrl('https://news.example/Story?id=7&page=2')).toBe('news.example/Story?id=7&page=2');
    expect(canonicalUrl('https://news.example/story?page=2&id=7&utm_source=x')).toBe('news.example/story?id=7&page=2');
    expect(canonicalUrl('https://news.example:8443/story')).toBe('news.example:8443/story');
    expect(canonicalUrl('https://news.example/story.amp.html')).toBe('news.example/story.html');
    expect(canonicalUrl('https://news.example/')).toBe('news.example');
  });

  it('rejects what is not an http(s) link', () => {
    for (const link of [null, '', 'javascript:alert(1)', 'data:text/html,x', 'ftp://news.example/a', 'not a url', '/relative/path']) {
      expect(canonicalUrl(link)).toBeNull();
    }
  });
});

describe('report identity', () => {
  it('a GUID names one article across feeds only when it is a URI or long and random', () => {
    expect(globalGuid('tag:pipelinepower.example,2025-08-06:orlovka')).toBe('tag:pipelinepower.example,2025-08-06:orlovka');
    expect(globalGuid('https://News.example/a?utm_source=x')).toBe('news.example/a');
    expect(globalGuid('0f8fad5b-d9cb-469f-a165-70867728950e')).not.toBeNull();
    expect(globalGuid('frontier-0042')).toBeNull();
    expect(globalGuid('mw-d101')).toBeNull();
    expect(globalGuid(null)).toBeNull();
  });

  it('the same link with tracking parameters gives the same exact key; GUID churn does not change it', () => {
    const a = reportFeatures({ title: 'Drone strike hits SOCAR depot', summary: 'Tanks burned.', link: 'https://wire.example/a', guid: 'x-1' });
    const b = reportFeatures({ title: 'Drone strike hits SOCAR depot', summary: 'Tanks burned.', link: 'https://wire.example/a/?utm_source=hub', guid: 'x-2-churned' });
    expect(a.exactKeys).toEqual(['u:wire.example/a']);
    expect(b.exactKeys).toEqual(a.exactKeys);
  });

  it('a report without a link is identified by its words', () => {
    const a = reportFeatures({ title: 'Sputnik office sealed', summary: 'Police sealed the office.', link: null, guid: null });
    const b = reportFeatures({ title: 'Sputnik office  sealed', summary: 'Police sealed the office.', link: null, guid: 'new-guid' });
    expect(a.exactKeys).toHaveLength(1);
    expect(b.exactKeys).toEqual(a.exactKeys);
  });
});
