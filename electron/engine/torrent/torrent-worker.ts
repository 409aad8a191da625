// The BitTorrent client, in a worker thread of its own so a swarm's work (hashing pieces,
// hundreds of sockets) never holds up the API or the HTTP transfers. WebTorrent does the
// protocol; this file only speaks the messages of torrent-protocol.ts. Nothing here decides
// what a download is: the main thread's TorrentSource and TorrentHost do.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import parseTorrent from 'parse-torrent';
import WebTorrent, { type Torrent } from 'webtorrent';
import { readInfo } from './metainfo.ts';
import { answerForMseGroup } from './mse-group.ts';
import { cacheSpeed, capRequestQueue, coalesceUpdates } from './webtorrent-tuning.ts';
import { WireLimits } from './wire-limits.ts';
import { readWithFewerCopies, type ReadingWire } from './wire-reading.ts';
import { peerClientName } from './peer-client.ts';
import type { AddTorrent, ClientConfig, FromWorker, TorrentStatus, ToWorker } from './torrent-protocol.ts';

const STATUS_MS = 500;
const port = parentPort;
if (port === null) throw new Error('torrent-worker.ts runs as a worker thread.');

const post = (message: FromWorker): void => port.postMessage(message);
answerForMseGroup(crypto);
let client: WebTorrent | undefined;
let config: ClientConfig | undefined;
/** Each torrent the client holds, with what it was added with (to add it again to a client started afresh). */
const torrents = new Map<string, { job: AddTorrent; torrent: Torrent; files: Set<number> | undefined; limits: WireLimits }>();
/** Warnings already told, per torrent: a tracker that is down says so once, not every announce. */
const told = new Map<string, Set<string>>();

function start(cfg: ClientConfig, listenPort = cfg.port): WebTorrent {
  const c = new WebTorrent({
    torrentPort: listenPort,
    dht: cfg.dht,
    lsd: cfg.lsd,
    utPex: cfg.pex,
    natUpnp: false,
    natPmp: false,
    tracker: cfg.trackers ? {} : false,
    maxConns: cfg.maxPeers,
    utp: false,
    uploadLimit: cfg.uploadLimit > 0 ? cfg.uploadLimit : -1,
    downloadLimit: cfg.downloadLimit > 0 ? cfg.downloadLimit : -1,
  });
  let listening = false;
  c.on('listening', () => {
    listening = true;
    post({ kind: 'listening', port: c.address()?.port ?? listenPort });
  });
  c.on('error', (error: Error & { code?: string }) => {
    // The port asked for is another program's: any free one serves as well (peers learn it from
    // the trackers, DHT and PEX), so the client starts again there with its torrents.
    if (!listening && listenPort !== 0 && error.code === 'EADDRINUSE' && client === c) return reopenOnAnyPort(cfg);
    post({ kind: 'client-failed', message: error.message });
  });
  return c;
}

/** The old client is gone with the torrents it held; those are added to the new one (adds still reading their torrent go there themselves). */
function reopenOnAnyPort(cfg: ClientConfig): void {
  // Each with the limits it has now, which may have changed since it was added.
  const held = [...torrents.values()].map((entry) => ({ ...entry.job, limits: entry.limits.current }));
  torrents.clear();
  client = start(cfg, 0);
  for (const job of held) add(job).catch((error: unknown) => post({ kind: 'failed', key: job.key, message: (error as Error).message }));
}

function configure(next: ClientConfig): void {
  config = next;
  if (client === undefined) client = start(next);
  client.throttleUpload(next.uploadLimit > 0 ? next.uploadLimit : -1);
  client.throttleDownload(next.downloadLimit > 0 ? next.downloadLimit : -1);
}

async function add(job: AddTorrent): Promise<void> {
  if (client === undefined || config === undefined) throw new Error('the client is not configured');
  const parsed = await parseTorrent(job.source.kind === 'file' ? job.source.bytes : job.source.uri);
  // Only trackers Haul speaks: WebSocket trackers would ask for WebRTC peers.
  parsed.announce = (parsed.announce ?? []).filter((url) => /^(https?|udp):\/\//iu.test(url));
  if (job.paths !== undefined && parsed.files !== undefined) {
    const paths = job.paths;
    parsed.files = parsed.files.map((f, i) => ({ ...f, path: paths[i] ?? f.path }));
  }
  const files = job.files === undefined ? undefined : new Set(job.files);
  const torrent = client.add(parsed, {
    path: job.path,
    deselect: files !== undefined,
    uploads: config.uploadSlots,
    ...(job.have === undefined ? {} : { bitfield: job.have }),
  });
  coalesceUpdates(torrent);
  const limits = new WireLimits();
  limits.set(job.limits ?? { download: 0, upload: 0 });
  torrents.set(job.key, { job, torrent, files, limits });
  torrent.on('metadata', () => onMetadata(job.key, torrent, files));
  // WebTorrent's own "done" waits for every file; with files chosen, done is when theirs are all verified.
  let finished = false;
  const check = (): void => {
    if (finished || torrent.destroyed || !selectedDone(torrent, files)) return;
    finished = true;
    post({ kind: 'done', key: job.key });
  };
  torrent.on('done', check);
  torrent.on('verified', check);
  torrent.on('ready', check);
  torrent.on('error', (error: Error) => {
    torrents.delete(job.key);
    post({ kind: 'failed', key: job.key, message: error.message });
  });
  torrent.on('warning', (error: Error) => note(job.key, error.message));
  // A wire is past its handshake when the torrent takes it.
  torrent.on('wire', (wire: Parameters<typeof cacheSpeed>[0] & Parameters<typeof capRequestQueue>[0] & Parameters<WireLimits['hold']>[0] & ReadingWire) => {
    cacheSpeed(wire);
    capRequestQueue(wire);
    readWithFewerCopies(wire);
    limits.hold(wire);
  });
  for (const peer of job.peers ?? []) torrent.addPeer(peer);
}

function onMetadata(key: string, torrent: Torrent, files: Set<number> | undefined): void {
  try {
    // A magnet link's metadata comes from strangers: checked as a .torrent file is, before a byte is written.
    readInfo((torrent as unknown as { info: Parameters<typeof readInfo>[0] }).info);
    if (files !== undefined && [...files].some((i) => i >= torrent.files.length)) throw new Error(`the torrent has ${torrent.files.length} files; "files" names one it does not have`);
  } catch (error) {
    torrents.delete(key);
    torrent.destroy({ destroyStore: false });
    post({ kind: 'failed', key, message: (error as Error).message });
    return;
  }
  if (files !== undefined) for (const i of files) torrent.files[i]?.select();
  post({ kind: 'metadata', key, torrentFile: torrent.torrentFile, stored: torrent.files.map((f) => f.path) });
}

/** Whether every piece of the files asked for (all, without a choice) is verified. */
function selectedDone(torrent: Torrent, files: Set<number> | undefined): boolean {
  if (torrent.bitfield === undefined) return false;
  return torrent.files.every((file, i) => {
    if (files !== undefined && !files.has(i)) return true;
    for (let p = file._startPiece; p <= file._endPiece; p++) if (!torrent.bitfield.get(p)) return false;
    return true;
  });
}

function note(key: string, message: string): void {
  const seen = told.get(key) ?? new Set<string>();
  told.set(key, seen);
  if (seen.has(message) || seen.size > 20) return;
  seen.add(message);
  post({ kind: 'note', key, message });
}

function status(key: string, entry: { torrent: Torrent; files: Set<number> | undefined }): TorrentStatus {
  const { torrent, files } = entry;
  const chosen = torrent.files.filter((_, i) => files === undefined || files.has(i));
  const pieces = torrent.pieces.length;
  return {
    key,
    received: chosen.reduce((n, f) => n + f.downloaded, 0),
    total: chosen.reduce((n, f) => n + f.length, 0),
    downloadSpeed: Math.round(torrent.downloadSpeed),
    uploadSpeed: Math.round(torrent.uploadSpeed),
    uploaded: torrent.uploaded,
    peers: torrent.wires.length,
    seeds: torrent.wires.filter((w) => w.isSeeder).length,
    have: torrent.bitfield === undefined ? new Uint8Array(0) : torrent.bitfield.buffer.slice(0, Math.ceil(pieces / 8)),
    inFlight: (torrent._reservations ?? []).flatMap((r, i) => (r !== null && r.length > 0 ? [i] : [])),
  };
}

/** Flushes every file written so far, then says which pieces were verified before the flush (so they are on disk). */
async function checkpoint(key: string, seq: number): Promise<void> {
  const entry = torrents.get(key);
  // Nothing written yet (a magnet link still waiting for its metadata): nothing to flush, and that is the answer.
  if (entry === undefined || entry.torrent.bitfield === undefined) {
    post({ kind: 'checkpointed', key, seq, have: new Uint8Array(0), received: 0 });
    return;
  }
  const { have, received } = status(key, entry);
  for (const file of entry.torrent.files) {
    const handle = await fs.open(path.join(entry.torrent.path, file.path), 'r').catch(() => undefined);
    if (handle === undefined) continue;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  post({ kind: 'checkpointed', key, seq, have, received });
}

function remove(key: string): void {
  const entry = torrents.get(key);
  torrents.delete(key);
  told.delete(key);
  if (entry === undefined) {
    post({ kind: 'removed', key });
    return;
  }
  entry.torrent.destroy({ destroyStore: false }, () => post({ kind: 'removed', key }));
}

function peers(key: string, seq: number): void {
  const torrent = torrents.get(key)?.torrent;
  const pieces = Math.max(1, torrent?.pieces.length ?? 1);
  const list = (torrent?.wires ?? []).map((w) => {
    let have = 0;
    for (let i = 0; i < pieces; i++) if (w.peerPieces.get(i)) have++;
    return {
      address: `${w.remoteAddress ?? '?'}:${w.remotePort ?? '?'}`,
      client: peerClientName(w.peerId),
      progress: have / pieces,
      downloadSpeed: Math.round(w.downloadSpeed()),
      uploadSpeed: Math.round(w.uploadSpeed()),
    };
  });
  post({ kind: 'peers', key, seq, peers: list });
}

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'configure':
      configure(message.config);
      return;
    case 'add':
      add(message.torrent).catch((error: unknown) => post({ kind: 'failed', key: message.torrent.key, message: (error as Error).message }));
      return;
    case 'remove':
      remove(message.key);
      return;
    case 'limits':
      torrents.get(message.key)?.limits.set(message.limits);
      return;
    case 'checkpoint':
      checkpoint(message.key, message.seq).catch((error: unknown) => post({ kind: 'failed', key: message.key, message: `its files could not be flushed: ${(error as Error).message}` }));
      return;
    case 'peers':
      peers(message.key, message.seq);
      return;
  }
});

setInterval(() => {
  const items = [...torrents].filter(([, e]) => e.torrent.bitfield !== undefined).map(([key, e]) => status(key, e));
  if (items.length > 0) post({ kind: 'status', items });
}, STATUS_MS);
