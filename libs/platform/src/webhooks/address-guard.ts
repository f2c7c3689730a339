import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup } from 'node:dns';
import { promisify } from 'node:util';

const lookupAll = promisify(lookup);

/** Addresses a webhook may not reach unless allowed: private, loopback, link-local, and the like. */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

/** True for an address a webhook may reach without being allowed (IPv4-mapped IPv6 is checked as IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebhookRefused extends Error {
  override name = 'WebhookRefused';
}

/**
 * The SSRF guard of completion webhooks: a URL's host must resolve to public addresses only,
 * unless it is one of `KODA_WEBHOOK_ALLOW_HOSTS`. Checked when a run is posted (400) and again
 * when each delivery connects (`lookup`), so a name that resolves differently later
 * (DNS rebinding) is still refused.
 */
export class WebhookAddressGuard {
  private readonly allowed: Set<string>;

  constructor(allowHosts: string | undefined) {
    this.allowed = new Set(
      (allowHosts ?? '')
        .split(',')
        .map((h) => normalizeHost(h))
        .filter(Boolean),
    );
  }

  isAllowedHost(host: string): boolean {
    return this.allowed.has(normalizeHost(host));
  }

  /** Throws `WebhookRefused` when the URL's host may not be reached. */
  async check(url: string): Promise<void> {
    const { hostname } = new URL(url);
    if (this.isAllowedHost(hostname)) return;
    const host = normalizeHost(hostname);
    const addresses = isIP(host)
      ? [{ address: host }]
      : await lookupAll(host, { all: true }).catch(() => {
          throw new WebhookRefused(`its host ${host} does not resolve`);
        });
    const refused = addresses.find(({ address }) => !isPublicAddress(address));
    if (refused)
      throw new WebhookRefused(
        `its host ${host} resolves to a private, loopback or link-local address (${refused.address}); allow it with KODA_WEBHOOK_ALLOW_HOSTS`,
      );
  }

  /** A `lookup` for `http.request` that refuses private addresses at connection time (allowed hosts pass). */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const refused = this.isAllowedHost(hostname) ? undefined : list.find(({ address }) => !isPublicAddress(address));
      if (refused) return callback(new WebhookRefused(`${hostname} resolves to a non-public address (${refused.address})`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** Host names compare lower-case, IPv6 literals without their brackets. */
function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
}
