import { describe, expect, it } from 'vitest';
import { checkFeedUrl } from '../../../src/feeds/fetch/index.js';
import { isBlockedAddress } from '../../../src/feeds/fetch/address-guard.js';
import { checkRedirect, parseAllowlist } from '../../../src/feeds/fetch/url-policy.js';

function codeOf(url: string, allow: readonly string[] = []): string {
  const result = checkFeedUrl(url, allow);
  return result.ok ? 'ok' : result.error.code;
}

describe('checkFeedUrl', () => {
  it('accepts ordinary http and https feed URLs', () => {
    expect(codeOf('https://example.com/feed.xml')).toBe('ok');
    expect(codeOf('http://news.example.org:8080/rss?x=1')).toBe('ok');
    const result = checkFeedUrl('  HTTPS://Example.COM/a ');
    expect(result.ok && result.url.href).toBe('https://example.com/a');
  });

  it.each(['file:///etc/passwd', 'gopher://example.com/', 'ftp://example.com/f', 'data:text/xml,<rss/>', 'javascript:alert(1)'])(
    'rejects the scheme of %s with bad_scheme',
    (url) => {
      const result = checkFeedUrl(url);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('bad_scheme');
        expect(result.error.message).toMatch(/only http and https/);
      }
    },
  );

  it.each(['http:\\\\example.com\\feed', 'http://user:pw@example.com/', 'http://user@example.com/', 'example.com/feed', 'http:/example.com', 'http://', 'http://exa mple.com/', 'http://[::1/'])(
    'rejects the malformed or credentialed %s with bad_url',
    (url) => {
      expect(codeOf(url)).toBe('bad_url');
    },
  );

  it.each([
    'http://127.0.0.1/', 'http://127.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://017700000001/',
    'http://0177.0.0.1/', 'http://0/', 'http://0.0.0.0/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:a9fe:a9fe::]/', 'http://169.254.169.254/',
    'http://[fd00:ec2::254]/', 'http://100.100.100.200/', 'http://10.1.2.3/', 'http://172.16.0.1/', 'http://192.168.1.1/',
    'http://localhost/', 'http://LOCALHOST./', 'http://a.localhost/', 'http://[fe80::1]/', 'http://224.0.0.1/',
  ])('rejects the private or reserved literal %s with blocked_address', (url) => {
    expect(codeOf(url)).toBe('blocked_address');
  });

  it('lets an allowlisted host:port through, and only that port', () => {
    expect(codeOf('http://127.0.0.1:43123/feed', ['127.0.0.1:43123'])).toBe('ok');
    expect(codeOf('http://127.0.0.1:43124/feed', ['127.0.0.1:43123'])).toBe('blocked_address');
    expect(codeOf('http://localhost:8080/', ['localhost:8080'])).toBe('ok');
  });

  it('refuses malformed allowlist entries loudly', () => {
    expect(() => parseAllowlist(['127.0.0.1'])).toThrow(/host:port/);
    expect(() => parseAllowlist(['http://x:1/'])).toThrow(/host:port/);
    expect([...parseAllowlist(['[::1]:80', 'Example.com:8080'])]).toEqual(['[::1]:80', 'example.com:8080']);
  });
});

describe('checkRedirect', () => {
  const allow = parseAllowlist([]);
  it('refuses an https to http downgrade', () => {
    const result = checkRedirect(new URL('https://example.com/a'), 'http://example.com/b', allow);
    expect(!result.ok && result.error.code).toBe('insecure_redirect');
  });
  it('refuses file: and gopher: targets', () => {
    for (const location of ['file:///etc/passwd', 'gopher://example.com/']) {
      const result = checkRedirect(new URL('http://example.com/a'), location, allow);
      expect(!result.ok && result.error.code).toBe('bad_scheme');
    }
  });
  it('resolves relative locations and allows http to https', () => {
    const result = checkRedirect(new URL('http://example.com/a/b'), 'https://example.com/c', allow);
    expect(result.ok && result.url.href).toBe('https://example.com/c');
    const relative = checkRedirect(new URL('http://example.com/a/b'), '../c', allow);
    expect(relative.ok && relative.url.href).toBe('http://example.com/c');
  });
});

describe('isBlockedAddress', () => {
  it.each([
    '0.0.0.0', '0.1.2.3', '10.0.0.5', '100.64.0.1', '100.100.100.200', '127.0.0.1', '127.255.255.254', '169.254.169.254',
    '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.168.0.1', '198.18.0.1', '224.0.0.251', '239.1.1.1', '255.255.255.255',
    '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a9fe:a9fe',
    '64:ff9b::127.0.0.1', '64:ff9b:1::1', '2002:a9fe:a9fe::', '2002:7f00:1::1', 'fc00::1', 'fd00:ec2::254', 'fe80::1',
    'fe80::1%eth0', 'ff02::1', 'fec0::1', '2001::1', '2001:db8::1', 'not-an-ip',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2606:4700::1111', '2a00:1450:4001::1'])(
    'allows the public address %s',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );
});
