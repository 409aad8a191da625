/** The parts of WebTorrent (v3) and parse-torrent Haul uses (the packages ship no types). */
declare module 'webtorrent' {
  import type { EventEmitter } from 'node:events';

  export interface WebTorrentOptions {
    torrentPort?: number;
    dht?: boolean;
    lsd?: boolean;
    utPex?: boolean;
    natUpnp?: boolean;
    natPmp?: boolean;
    tracker?: false | Record<string, unknown>;
    maxConns?: number;
    utp?: boolean;
    uploadLimit?: number;
    downloadLimit?: number;
    seedOutgoingConnections?: boolean;
    secure?: number;
  }
  export interface AddOptions {
    path?: string;
    deselect?: boolean;
    bitfield?: Uint8Array;
    uploads?: number;
    skipVerify?: boolean;
    storeCacheSlots?: number;
    announce?: string[];
  }
  export interface TorrentFile {
    readonly path: string;
    readonly length: number;
    readonly offset: number;
    readonly downloaded: number;
    readonly _startPiece: number;
    readonly _endPiece: number;
    select(priority?: number): void;
    deselect(): void;
  }
  export interface Wire {
    readonly remoteAddress?: string;
    readonly remotePort?: number;
    readonly peerId?: string;
    readonly peerPieces: { get(index: number): boolean; buffer: Uint8Array };
    readonly isSeeder: boolean;
    downloadSpeed(): number;
    uploadSpeed(): number;
    readonly requests: Array<{ piece: number }>;
  }
  export interface Torrent extends EventEmitter {
    readonly infoHash: string;
    readonly name: string;
    readonly path: string;
    readonly files: TorrentFile[];
    readonly pieces: unknown[];
    readonly pieceLength: number;
    readonly length: number;
    readonly torrentFile: Uint8Array;
    readonly bitfield: { get(index: number): boolean; buffer: Uint8Array };
    readonly downloadSpeed: number;
    readonly uploadSpeed: number;
    readonly uploaded: number;
    readonly wires: Wire[];
    readonly done: boolean;
    readonly ready: boolean;
    readonly destroyed: boolean;
    readonly _reservations: Array<unknown[] | null>;
    addPeer(peer: string): boolean;
    destroy(opts?: { destroyStore?: boolean }, cb?: (err?: Error | null) => void): void;
  }
  export default class WebTorrent extends EventEmitter {
    constructor(opts?: WebTorrentOptions);
    readonly torrents: Torrent[];
    readonly torrentPort: number;
    add(torrentId: unknown, opts?: AddOptions, onTorrent?: (torrent: Torrent) => void): Torrent;
    throttleDownload(rate: number): void;
    throttleUpload(rate: number): void;
    address(): { port: number } | null;
    destroy(cb?: (err?: Error | null) => void): void;
  }
}

declare module 'parse-torrent' {
  export interface ParsedTorrent {
    infoHash: string;
    name?: string;
    announce?: string[];
    files?: Array<{ path: string; name: string; length: number; offset: number }>;
    [key: string]: unknown;
  }
  export default function parseTorrent(torrentId: Uint8Array | string): Promise<ParsedTorrent>;
}
