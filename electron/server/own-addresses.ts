import os from 'node:os';

/** The machine's own addresses (IPv4; with `v6`, IPv6 too, link-local left out), loopback first. */
export function ownAddresses(v6: boolean): string[] {
  const all = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
  return all
    .filter((a) => a.family === 'IPv4' || (v6 && a.family === 'IPv6' && !a.address.toLowerCase().startsWith('fe80')))
    .sort((a, b) => Number(b.internal) - Number(a.internal))
    .map((a) => a.address);
}
