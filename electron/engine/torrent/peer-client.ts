/** Azureus-style peer id prefixes (`-XX1234-`) of the clients people meet most. */
const CLIENTS: Record<string, string> = {
  A2: 'aria2',
  TR: 'Transmission',
  qB: 'qBittorrent',
  WW: 'WebTorrent',
  LT: 'libtorrent',
  lt: 'libTorrent',
  UT: 'µTorrent',
  DE: 'Deluge',
  BC: 'BitComet',
};

/** A peer's client, named from its peer id (hex of its 20 bytes), when it follows the common style. */
export function peerClientName(peerIdHex: string | undefined): string | undefined {
  if (peerIdHex === undefined) return undefined;
  const id = Buffer.from(peerIdHex, 'hex').toString('latin1');
  // aria2 writes its own style: "A2-1-36-0-…".
  if (id.startsWith('A2-')) return 'aria2';
  const match = /^-([A-Za-z0-9]{2})([0-9A-Za-z]{4})-/u.exec(id);
  if (match === null) return undefined;
  return CLIENTS[match[1] ?? ''] ?? match[1];
}
