import type { PeerView } from '../../../shared/torrent.ts';

/** The swarm's client-wide options (Settings' torrent, and the global download limit). */
export interface ClientConfig {
  port: number;
  trackers: boolean;
  dht: boolean;
  pex: boolean;
  lsd: boolean;
  maxPeers: number;
  uploadSlots: number;
  /** Bytes/s; 0 = none. */
  uploadLimit: number;
  downloadLimit: number;
}

/** One torrent handed to the worker. `key` is the download's id. */
export interface AddTorrent {
  key: string;
  source: { kind: 'file'; bytes: Uint8Array } | { kind: 'magnet'; uri: string };
  /** The folder its files are stored under. */
  path: string;
  /** Seeding from the files' final places: each file's path below `path`, by index. */
  paths?: string[] | undefined;
  /** The files to download, by index; all when absent. */
  files?: number[] | undefined;
  /** Pieces known verified and flushed: trusted (a sample re-hashed), the rest fetched. */
  have?: Uint8Array | undefined;
  /** Peers to try at once (`host:port`), besides what discovery finds. */
  peers?: string[] | undefined;
  /** This torrent's own limits, bytes/s (0 = none), beside the client's. */
  limits?: TorrentLimits | undefined;
}

export interface TorrentLimits {
  download: number;
  upload: number;
}

export type ToWorker =
  | { kind: 'configure'; config: ClientConfig }
  | { kind: 'add'; torrent: AddTorrent }
  | { kind: 'remove'; key: string }
  | { kind: 'limits'; key: string; limits: TorrentLimits }
  /** Flush what is written and say which pieces that covers. */
  | { kind: 'checkpoint'; key: string; seq: number }
  | { kind: 'peers'; key: string; seq: number };

export interface TorrentStatus {
  key: string;
  /** Verified bytes of the files asked for, and their size. */
  received: number;
  total: number;
  downloadSpeed: number;
  uploadSpeed: number;
  uploaded: number;
  peers: number;
  seeds: number;
  /** Pieces verified (written, not yet flushed), as a bitfield. */
  have: Uint8Array;
  /** Pieces being fetched now. */
  inFlight: number[];
}

export type FromWorker =
  /** The client listens for peers on `port`. */
  | { kind: 'listening'; port: number }
  /** The client could not start or stopped (a port in use): every torrent is told. */
  | { kind: 'client-failed'; message: string }
  /** Its metadata (for a magnet link, from peers): the .torrent's bytes, and where each file is stored below the path. */
  | { kind: 'metadata'; key: string; torrentFile: Uint8Array; stored: string[] }
  | { kind: 'status'; items: TorrentStatus[] }
  /** Every piece asked for is verified and written (not yet flushed). */
  | { kind: 'done'; key: string }
  | { kind: 'checkpointed'; key: string; seq: number; have: Uint8Array; received: number }
  | { kind: 'peers'; key: string; seq: number; peers: PeerView[] }
  | { kind: 'failed'; key: string; message: string }
  /** It left the client and its files are closed. */
  | { kind: 'removed'; key: string }
  /** Something worth a line in the download's log (a tracker that did not answer). */
  | { kind: 'note'; key: string; message: string };
