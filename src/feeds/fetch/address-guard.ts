/**
 * Which IP addresses a feed fetch may connect to. Only public unicast addresses pass; every
 * private, loopback, link-local, CGNAT, multicast, reserved or metadata address is blocked, and
 * IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, IPv4-compatible) are unwrapped and
 * the embedded address re-checked (string/regex filters fail on exactly these: reliability §1.1).
 *
 * Input is an address as the resolver or the socket reports it (dotted quad / RFC 5952 IPv6),
 * never a URL host: URL encodings (`127.1`, `0x7f.1`, `2130706433`) are normalised by WHATWG URL
 * before they get here.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** [network, prefix length] pairs of IPv4 ranges that are never fetched. */
const BLOCKED_V4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches localhost on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT; Alibaba metadata 100.100.100.200
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local; AWS/GCP/Azure metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToNumber(address: string): number {
  return address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

const BLOCKED_V4_RANGES = BLOCKED_V4.map(([network, bits]) => {
  const size = 2 ** (32 - bits);
  const start = v4ToNumber(network);
  return { start, end: start + size - 1 };
});

function isBlockedV4Number(value: number): boolean {
  return BLOCKED_V4_RANGES.some((range) => value >= range.start && value <= range.end);
}

/** Eight 16-bit groups of an IPv6 address (zone id dropped, dotted IPv4 tail expanded). */
function v6Groups(address: string): number[] | null {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  let text = bare;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted?.[1] !== undefined) {
    const value = v4ToNumber(dotted[1]);
    text = `${bare.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

function embeddedV4(high: number, low: number): number {
  return high * 65536 + low;
}

function isBlockedV6(address: string): boolean {
  const g = v6Groups(address);
  if (g === null) return true; // unparseable: refuse rather than guess
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible; also covers :: and ::1)
  if (upperZero && (g5 === 0xffff || g5 === 0)) return isBlockedV4Number(embeddedV4(g6, g7));
  // NAT64 64:ff9b::/96: public v4 behind DNS64 is legitimate, so check what it embeds
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isBlockedV4Number(embeddedV4(g6, g7));
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true; // local-use NAT64 64:ff9b:1::/48
  if (g0 === 0x2002) return isBlockedV4Number(embeddedV4(g1, g2)); // 6to4 embeds v4 in bits 16..47
  if ((g0 & 0xe000) !== 0x2000) return true; // outside global unicast 2000::/3: fc00::/7, fe80::/10, ff00::/8...
  if (g0 === 0x2001 && g1 < 0x200) return true; // 2001::/23 IETF protocols, incl. Teredo 2001::/32
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if ((g0 & 0xfff0) === 0x3ff0) return true; // 3fff::/20 documentation
  return false;
}

/** True when connecting to this IP address must be refused (non-IP input is refused too). */
export function isBlockedAddress(address: string): boolean {
  if (isIPv4(address)) return isBlockedV4Number(v4ToNumber(address));
  if (isIPv6(address)) return isBlockedV6(address);
  return true;
}
