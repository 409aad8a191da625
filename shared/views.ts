/** What the detail panel, the hosts list and the nodes list show (see docs/api.md); re-exported by api.ts. */
import type { Checksum } from './api.ts';
import type { WireError } from './error-codes.ts';

/** One connection of a running download: the part it fetches, [start, end), and how far it got. */
export interface ConnectionView {
  start: number;
  /** Null while the size is unknown. */
  end: number | null;
  position: number;
  /** Bytes/s, recent. */
  speed: number;
  /** Far slower than the fastest: it is being replaced. */
  straggler: boolean;
}

export type LogKind =
  | 'added'
  | 'started'
  | 'queued'
  | 'paused'
  | 'response'
  | 'named'
  | 'retrying'
  | 'start-over'
  | 'step-down'
  | 'one-connection'
  | 'link-refreshed'
  | 'options'
  | 'completed'
  | 'failed'
  /** Extension: the finished file was marked with where it came from (detail: how), or could not be (detail: why). */
  | 'origin-marked'
  | 'origin-unmarked'
  /** Extension: an action ran when it finished (detail: its name and outcome). */
  | 'action';
export interface LogEntry {
  at: string;
  kind: LogKind;
  /** Specifics in English (an error's message, a status line, a name); may be absent. */
  detail?: string | undefined;
  /** Extension, on `retrying`: which retry of how many, and why, so an interface says it in its own language. */
  retry?: { attempt: number; limit: number; error: WireError } | undefined;
}

/** `GET /api/downloads/:id/details`: what the detail panel shows. */
export interface DownloadDetails {
  id: string;
  path: string;
  url: string;
  finalUrl?: string | undefined;
  /** Headers Haul adds to its requests; values of Cookie and Authorization are hidden. */
  requestHeaders: Record<string, string>;
  etag?: string | undefined;
  lastModified?: string | undefined;
  checksum?: Checksum;
  /** Byte ranges on disk, [start, end) each. */
  ranges: Array<[number, number]>;
  connections: ConnectionView[];
  /** A video stream's segments (extension): how many, which are on disk ([start, end) of their numbers), which are being fetched. */
  segments?: SegmentMap | undefined;
  /** A torrent's pieces (extension): how many, which are on disk, which are being fetched. */
  pieces?: SegmentMap | undefined;
  /** Speed once a second while running, oldest first (at most 120). */
  speeds: number[];
  log: LogEntry[];
}

/** A host's learnt connection ceiling (`GET /api/hosts`). */
export interface HostLimit {
  host: string;
  /** Most connections Haul opens to it for now. */
  connections: number;
  /** When it was last lowered or probed upward (ISO 8601). */
  learnedAt: string;
}

/** One node of a Haul that runs on several machines sharing Redis (`GET /api/nodes`). */
export interface NodeView {
  name: string;
  /** Its heartbeat is fresh (a node that stopped or died is listed until its record expires). */
  alive: boolean;
  /** Takes no new downloads, and has handed its running ones to the other nodes. */
  draining: boolean;
  /** Downloads running on it now, and at most how many it runs at once. */
  running: number;
  maxConcurrent: number;
  startedAt: string;
  /** When it last said it was alive (ISO 8601). */
  seenAt: string;
}

/** `GET /api/nodes`: the node that answered, and every node. */
export interface NodesAnswer {
  self: string;
  nodes: NodeView[];
}

/** A video stream's segments as the detail panel draws them. */
export interface SegmentMap {
  total: number;
  done: Array<[number, number]>;
  inFlight: number[];
}
