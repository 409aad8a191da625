// A real swarm on loopback for the torrent tests: Debian's opentracker (which serves only the
// info-hashes it is given), torrents made by mktorrent, and aria2c (here) or qBittorrent
// (qbittorrent.ts) as the peers. Nothing here is Haul's code.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readTorrentFile } from '../../electron/engine/torrent/metainfo.ts';
import { freePort, waitForPort } from './proxies.ts';
import { tempDir } from './temp-dir.ts';
import { eventually, waitUntil } from './wait.ts';

export const OPENTRACKER = '/usr/bin/opentracker';
export const MKTORRENT = '/usr/bin/mktorrent';
export const ARIA2C = '/usr/bin/aria2c';

export function swarmToolsMissing(): string | undefined {
  const missing = [OPENTRACKER, MKTORRENT, ARIA2C].filter((p) => !fs.existsSync(p));
  return missing.length === 0 ? undefined : `The torrent tests need ${missing.join(', ')}: apt-get install opentracker mktorrent aria2.`;
}

const children: ChildProcess[] = [];

/** Has `child` ended with the rest of the swarm by stopSwarm. */
export function inSwarm(child: ChildProcess): ChildProcess {
  children.push(child);
  return child;
}

/** Ends every tracker and peer these helpers started. */
export async function stopSwarm(): Promise<void> {
  const ending = children.splice(0).map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(ending);
}

export interface Tracker {
  announce: string;
  port: number;
}

/** A loopback port for a tracker, and the announce URL a torrent names it by (make the torrent, then start the tracker). */
export async function trackerAddress(): Promise<Tracker> {
  const port = await freePort();
  return { announce: `http://127.0.0.1:${port}/announce`, port };
}

/** opentracker on `at`'s port, serving only the torrents whose info-hashes are given. */
export async function startTracker(at: Tracker, infoHashes: readonly string[]): Promise<Tracker> {
  const dir = tempDir('haul-tracker-');
  const list = path.join(dir, 'whitelist');
  fs.writeFileSync(list, `${infoHashes.join('\n')}\n`, { mode: 0o644 });
  // Run as root, opentracker drops to an unprivileged user before it reads the list.
  fs.chmodSync(dir, 0o755);
  const port = at.port;
  const child = spawn(OPENTRACKER, ['-i', '127.0.0.1', '-p', String(port), '-P', String(port), '-w', list], { stdio: 'ignore' });
  children.push(child);
  await waitForPort(port);
  // opentracker reads its whitelist in a thread of its own: wait until it serves each torrent.
  for (const hash of infoHashes) await eventually(() => serves(port, hash), 10_000, `opentracker serving ${hash}`);
  return { announce: `http://127.0.0.1:${port}/announce`, port };
}

/** Whether the tracker on `port` answers an announce for `infoHash` without a failure. */
async function serves(port: number, infoHash: string): Promise<boolean> {
  const escaped = (hex: string): string => hex.replace(/../gu, '%$&');
  const url = `http://127.0.0.1:${port}/announce?info_hash=${escaped(infoHash)}&peer_id=${escaped('2d48553030312d'.padEnd(40, '0'))}&port=1&uploaded=0&downloaded=0&left=0&compact=1&numwant=0&event=started`;
  const body = await fetch(url).then(
    (r) => r.text(),
    () => 'failure',
  );
  return !body.includes('failure');
}

export interface MadeTorrent {
  file: string;
  bytes: Buffer;
  infoHash: string;
  /** The content as the seeders hold it: a file, or a folder of files. */
  content: string;
}

/** Random files under a new folder, their sha256 by relative path. */
export function randomFiles(files: Record<string, number>): { dir: string; sums: Record<string, string> } {
  const dir = tempDir('haul-seed-');
  const sums: Record<string, string> = {};
  for (const [name, size] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const bytes = crypto.randomBytes(size);
    fs.writeFileSync(file, bytes);
    sums[name] = crypto.createHash('sha256').update(bytes).digest('hex');
  }
  return { dir, sums };
}

/** A .torrent of `content` (a file or a folder) made by mktorrent, announcing to `announce`. */
export function makeTorrent(content: string, announce: string, pieceLengthLog2 = 16): MadeTorrent {
  const file = path.join(tempDir('haul-torrent-'), `${path.basename(content)}.torrent`);
  execFileSync(MKTORRENT, ['-a', announce, '-l', String(pieceLengthLog2), '-o', file, content], { stdio: 'ignore' });
  const bytes = fs.readFileSync(file);
  return { file, bytes, infoHash: readTorrentFile(bytes).infoHash, content };
}

/**
 * The usual swarm of a test: random `files` (relative path → size), a torrent of `content` (one
 * of them, or their folder) announcing to a new opentracker that serves it, and aria2c seeding
 * it. `udp` names the tracker by UDP in the torrent; aria2c speaks UDP to trackers only with its
 * DHT on, so it announces over HTTP to the same tracker, and only Haul uses UDP.
 */
export async function seededSwarm(files: Record<string, number>, content: string, opts: { udp?: boolean; seedExtra?: string[]; pieceLengthLog2?: number } = {}) {
  const seed = randomFiles(files);
  const at = await trackerAddress();
  const torrent = makeTorrent(path.join(seed.dir, content), opts.udp === true ? `udp://127.0.0.1:${at.port}` : at.announce, opts.pieceLengthLog2);
  await startTracker(at, [torrent.infoHash]);
  const peer = await startAria2(torrent.file, seed.dir, { seed: true, extra: [...(opts.udp === true ? [`--bt-tracker=${at.announce}`] : []), ...(opts.seedExtra ?? [])] });
  return { seed, at, torrent, peer };
}

export interface Peer {
  port: number;
  dir: string;
  log: string;
  child: ChildProcess;
}

/**
 * aria2c as a peer of `torrent`, its files in `dir` (all there for a seeder, checked first),
 * listening on a loopback port; DHT, peer exchange and local discovery off, so only the tracker
 * (or a peer given) brings peers.
 */
export async function startAria2(torrent: string, dir: string, opts: { seed: boolean; extra?: string[] }): Promise<Peer> {
  const port = await freePort();
  const log = path.join(tempDir('haul-aria2-'), 'aria2.log');
  const args = [
    `--dir=${dir}`,
    '--enable-dht=false',
    '--enable-dht6=false',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=false',
    `--listen-port=${port}`,
    '--seed-ratio=0.0',
    '--bt-seed-unverified=false',
    '--check-integrity=true',
    '--summary-interval=0',
    '--console-log-level=warn',
    `--log=${log}`,
    '--log-level=notice',
    '--bt-tracker-interval=1',
    ...(opts.extra ?? []),
    torrent,
  ];
  const child = spawn(ARIA2C, args, { stdio: 'ignore' });
  children.push(child);
  await waitUntil(() => fs.existsSync(log) && /listening on TCP port/u.test(fs.readFileSync(log, 'utf8')), 15_000, 'aria2c listening');
  if (opts.seed) await waitUntil(() => /Verification finished successfully|seeding/iu.test(fs.readFileSync(log, 'utf8')), 30_000, 'aria2c checked its files and seeds');
  return { port, dir, log, child };
}

/** sha256 of each file under `dir`, by path relative to it. */
export function sumsOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}
