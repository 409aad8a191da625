import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * The proxies an admin named with `--trust-proxy` (addresses or CIDR ranges). Only a request
 * that comes from one of them may say, in X-Forwarded-For, whom it is for: anyone else could
 * write any address there and step around the sign-in throttle.
 */
export class TrustedProxies {
  readonly #list = new BlockList();
  readonly #any: boolean;

  constructor(entries: readonly string[]) {
    for (const entry of entries) addEntry(this.#list, entry);
    this.#any = entries.length > 0;
  }

  /** The client a request is from: its peer, or, through trusted proxies, the nearest address in X-Forwarded-For that is not one of them. */
  clientOf(req: IncomingMessage): string {
    const peer = normalise(req.socket.remoteAddress ?? '');
    if (!this.#any || !this.#trusts(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => normalise(hop.trim()))
      .filter((hop) => isIP(hop) !== 0);
    for (let i = hops.length - 1; i >= 0; i--) if (!this.#trusts(hops[i]!)) return hops[i]!;
    return hops[0] ?? peer;
  }

  #trusts(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.#list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** Reads one `--trust-proxy` entry: an address, or a range such as 10.0.0.0/8; anything else is an error naming it. */
export function addEntry(list: BlockList, entry: string): void {
  const [address = '', bits] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0) throw new Error(`--trust-proxy takes IP addresses or ranges such as 10.0.0.0/8, not "${entry}".`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) {
    list.addAddress(address, type);
    return;
  }
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) throw new Error(`--trust-proxy: "${entry}" has no valid prefix length.`);
  list.addSubnet(address, prefix, type);
}

/** An IPv4 address as IPv6 (::ffff:127.0.0.1, as Node reports a dual-stack peer) is the IPv4 address. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
