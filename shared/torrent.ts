/**
 * Torrents in the shared contract: how a magnet link is recognised, what the list shows of a
 * torrent, and the settings of the swarm. Pure: the engine, the interface and the CLI use it.
 */

/** Settings `torrent`: how Haul takes part in swarms. */
export interface TorrentSettings {
  /** The port peers connect to (TCP); 0 = any free one. */
  port: number;
  /** Ways to find peers, each switchable: trackers (HTTP and UDP), the DHT, peer exchange, local peer discovery. */
  trackers: boolean;
  dht: boolean;
  pex: boolean;
  lsd: boolean;
  /** Bytes/s sent over all torrents; 0 = none. */
  uploadLimit: number;
  /** Peers one torrent connects to at most. */
  maxPeers: number;
  /** Peers one torrent uploads to at once. */
  uploadSlots: number;
  /** After completion, seed until this ratio of bytes sent to the torrent's size (0: do not seed)… */
  seedRatio: number;
  /** …or for this many minutes, whichever comes first (0: do not seed). */
  seedMinutes: number;
}

export const TORRENT_DEFAULTS: TorrentSettings = { port: 6881, trackers: true, dht: true, pex: true, lsd: true, uploadLimit: 0, maxPeers: 55, uploadSlots: 4, seedRatio: 1, seedMinutes: 60 };

export const TORRENT_LIMITS = {
  port: { min: 0, max: 65535 },
  maxPeers: { min: 1, max: 500 },
  uploadSlots: { min: 1, max: 100 },
  seedMinutes: { min: 0, max: 100_000 },
  seedRatio: { min: 0, max: 1000 },
} as const;

/** A .torrent file is at most this big (a 100 GB torrent of 1 MiB pieces lists 2 MB of piece hashes). */
export const MAX_TORRENT_FILE_BYTES = 8 * 1024 * 1024;

/** One file of a torrent as the list shows it; `index` is its place in the torrent (what `files` selects). */
export interface TorrentFileView {
  index: number;
  /** Its path below the download's folder (the torrent's name first, for a torrent of several files). */
  path: string;
  length: number;
  selected: boolean;
}

/** What the list shows of a torrent (`Download.torrent`, extension). */
export interface TorrentInfo {
  infoHash: string;
  /** Its name and files, once its metadata is known (a magnet link's comes from peers). */
  name?: string | undefined;
  files?: TorrentFileView[] | undefined;
  pieces?: number | undefined;
  /** Bytes sent to peers so far (all runs). */
  uploaded: number;
  /** Seeding after completion, until the ratio or the time of its policy. */
  seeding?: boolean | undefined;
  /** Its own seeding policy, when it has one (else Settings'). */
  seedRatio?: number | undefined;
  seedMinutes?: number | undefined;
}

/** A torrent's live numbers, with each progress tick (`ProgressItem.torrent`). */
export interface TorrentLive {
  peers: number;
  seeds: number;
  uploadSpeed: number;
  uploaded: number;
}

/** One connected peer, for the detail panel. */
export interface PeerView {
  address: string;
  client?: string | undefined;
  /** Its share of the pieces, 0 to 1. */
  progress: number;
  downloadSpeed: number;
  uploadSpeed: number;
}

/** `POST /api/actions/probe-torrent`: what a .torrent holds, to choose its files before adding it. */
export interface TorrentProbe {
  infoHash: string;
  name: string;
  files: Array<{ index: number; path: string; length: number }>;
  total: number;
}

export type MagnetCheck = { ok: true; infoHash: string } | { ok: false; message: string };

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A magnet link's v1 info-hash (`xt=urn:btih:` in hex, or in base32 as older clients write it), lower-case hex. */
export function checkMagnet(text: string): MagnetCheck {
  const query = text.slice(text.indexOf('?') + 1);
  const topics = new URLSearchParams(query).getAll('xt');
  for (const topic of topics) {
    const match = /^urn:btih:([0-9a-f]{40}|[a-z2-7]{32})$/iu.exec(topic);
    if (match?.[1] === undefined) continue;
    const hash = match[1];
    return { ok: true, infoHash: hash.length === 40 ? hash.toLowerCase() : base32ToHex(hash.toUpperCase()) };
  }
  if (topics.some((t) => t.startsWith('urn:btmh:'))) return { ok: false, message: 'This magnet link names only a v2 (SHA-256) torrent; Haul takes v1 info-hashes (urn:btih:).' };
  return { ok: false, message: 'This magnet link has no usable info-hash: it needs xt=urn:btih: with 40 hex or 32 base32 characters.' };
}

function base32ToHex(text: string): string {
  let bits = '';
  for (const ch of text) bits += BASE32.indexOf(ch).toString(2).padStart(5, '0');
  let hex = '';
  for (let i = 0; i + 4 <= bits.length; i += 4) hex += Number.parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

/** `1,3-5` (1-based, as people count files) as indexes from 0; undefined when it does not read. */
export function parseFileSelection(text: string): number[] | undefined {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/u.exec(part);
    if (match === null) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to < from || to - from > 100_000) return undefined;
    for (let i = from; i <= to; i++) out.add(i - 1);
  }
  return [...out].sort((a, b) => a - b);
}
