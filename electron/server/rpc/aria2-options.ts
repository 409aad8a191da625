import path from 'node:path';
import { parseFileSelection } from '../../../shared/torrent.ts';
import { SETTINGS_LIMITS, type AddDownloadsRequest, type Settings } from '../../../shared/api.ts';
import { RpcError } from './rpc-error.ts';

/** aria2's options as a client sends them: a name and a string (some clients send numbers or booleans, or lists for `header`). */
export type Aria2Options = Record<string, unknown>;

/**
 * Options that would make Haul run a program, read or write a file it did not choose, or
 * change how it is reached: refused by name whatever their value.
 */
const DANGEROUS =
  /^(on-|rpc-|input-file$|save-session|log$|log-level$|conf-path$|load-cookies$|save-cookies$|dht-file-path|netrc-path$|ca-certificate$|certificate$|private-key$|server-stat-|torrent-file$|metalink-file$|stop-with-process$|daemon$|index-out$|enable-rpc$|gid$)/u;

/**
 * Options clients send out of habit whose work Haul does its own way (retries, connection
 * growth, allocation, resuming): taken and left without effect, so a form that sends them works.
 */
const NO_EFFECT = new Set([
  'continue',
  'always-resume',
  'auto-file-renaming',
  'min-split-size',
  'max-tries',
  'retry-wait',
  'connect-timeout',
  'timeout',
  'lowest-speed-limit',
  'file-allocation',
  'remote-time',
  'conditional-get',
  'max-resume-failure-tries',
  'http-accept-gzip',
  'uri-selector',
  'stream-piece-selector',
  'piece-length',
  'no-file-allocation-limit',
  'enable-http-keep-alive',
  'enable-http-pipelining',
  'reuse-uri',
  'use-head',
  'http-no-cache',
  'max-file-not-found',
  'realtime-chunk-checksum',
  'max-upload-limit',
  'max-overall-upload-limit',
]);

const ADD_OPTIONS = [
  'dir',
  'out',
  'header',
  'referer',
  'user-agent',
  'split',
  'max-connection-per-server',
  'max-download-limit',
  'pause',
  'checksum',
  'all-proxy',
  'check-certificate',
  'select-file',
  'seed-ratio',
  'seed-time',
];

/** An add's options as Haul's add body, `dir` and `out` placed inside `root` (the caller's folder). */
export function addRequestOf(uris: string[], options: Aria2Options, root: string): AddDownloadsRequest {
  const request: AddDownloadsRequest = { urls: uris };
  const headers: Record<string, string> = {};
  let split: number | undefined;
  let perServer: number | undefined;
  for (const [name, raw] of Object.entries(options)) {
    if (name === 'header') {
      for (const line of headerLines(raw)) {
        const colon = line.indexOf(':');
        if (colon <= 0) throw optionError(name, `"${line.slice(0, 100)}" is not "Name: value"`);
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      continue;
    }
    const value = text(name, raw);
    switch (name) {
      case 'dir':
        request.dir = path.resolve(root, value);
        break;
      case 'out':
        request.filename = value;
        break;
      case 'referer':
        headers['referer'] = value;
        break;
      case 'user-agent':
        headers['user-agent'] = value;
        break;
      case 'split':
        split = connections(name, value);
        break;
      case 'max-connection-per-server':
        perServer = connections(name, value);
        break;
      case 'max-download-limit':
        request.speedLimit = speed(name, value);
        break;
      case 'pause':
        request.paused = flag(name, value);
        break;
      case 'check-certificate':
        if (!flag(name, value)) request.insecure = true;
        break;
      case 'checksum':
        request.checksum = checksum(value);
        break;
      case 'select-file': {
        const files = parseFileSelection(value);
        if (files === undefined) throw optionError(name, 'it must list file numbers from 1, such as 1,3-5');
        request.files = files;
        break;
      }
      case 'seed-ratio': {
        const ratio = Number(value);
        if (!Number.isFinite(ratio) || ratio < 0) throw optionError(name, 'it must be a ratio such as 1.0 (0: no seeding)');
        request.seedRatio = ratio;
        break;
      }
      case 'seed-time': {
        const minutes = Number(value);
        if (!Number.isFinite(minutes) || minutes < 0) throw optionError(name, 'it must be minutes such as 60 (0: no seeding)');
        request.seedMinutes = Math.round(minutes);
        break;
      }
      case 'all-proxy':
        // aria2 takes [http://][USER:PASSWORD@]HOST[:PORT]; empty means none.
        if (value.trim() !== '') request.proxy = /^[a-z][a-z0-9+.-]*:\/\//iu.test(value) ? value.trim() : `http://${value.trim()}`;
        break;
      default:
        refuseOrIgnore(name, ADD_OPTIONS);
    }
  }
  placeOut(request, root);
  // aria2 opens min(split, connections per server) to one server; either alone sets the count.
  const count = split === undefined ? perServer : perServer === undefined ? split : Math.min(split, perServer);
  if (count !== undefined) request.connections = count;
  if (Object.keys(headers).length > 0) request.headers = headers;
  return request;
}

/** `changeOption`: a download's speed limit and connection count. */
export function downloadChangeOf(options: Aria2Options): { speedLimit?: number; maxConnections?: number } {
  const change: { speedLimit?: number; maxConnections?: number } = {};
  for (const [name, raw] of Object.entries(options)) {
    const value = text(name, raw);
    switch (name) {
      case 'max-download-limit':
        change.speedLimit = speed(name, value);
        break;
      case 'split':
      case 'max-connection-per-server':
        change.maxConnections = connections(name, value);
        break;
      case 'dir':
      case 'out':
        throw optionError(name, "a download's folder and name are set when it is added; remove it and add it again to change them");
      default:
        refuseOrIgnore(name, ['max-download-limit', 'split', 'max-connection-per-server']);
    }
  }
  return change;
}

/** `changeGlobalOption`: the settings these options name. */
export function settingsChangeOf(options: Aria2Options, root: string): Partial<Settings> {
  const change: Partial<Settings> = {};
  for (const [name, raw] of Object.entries(options)) {
    const value = text(name, raw);
    switch (name) {
      case 'max-overall-download-limit':
        change.speedLimit = speed(name, value);
        break;
      case 'max-concurrent-downloads':
        change.maxConcurrent = integer(name, value, SETTINGS_LIMITS.maxConcurrent);
        break;
      case 'split':
      case 'max-connection-per-server':
        change.connectionsPerDownload = connections(name, value);
        break;
      case 'dir':
        change.downloadDir = path.resolve(root, value);
        break;
      case 'max-download-limit':
        break;
      default:
        refuseOrIgnore(name, ['dir', 'max-overall-download-limit', 'max-concurrent-downloads', 'split', 'max-connection-per-server']);
    }
  }
  return change;
}

/**
 * `out` may name a subfolder, as in aria2 ("videos/a.mp4"): the folder joins `dir`, and the
 * engine then checks the whole path lies in the caller's folders. `..` and absolute names are refused here.
 */
function placeOut(request: AddDownloadsRequest, root: string): void {
  const out = request.filename;
  if (out === undefined) return;
  const parts = out.split(/[\\/]/u);
  if (path.isAbsolute(out) || parts.includes('..')) throw optionError('out', 'it must be a file name, or a path below "dir" without ".."');
  const name = parts.pop() ?? '';
  if (name === '') throw optionError('out', 'it names a folder, not a file');
  request.filename = name;
  const sub = parts.filter((p) => p !== '' && p !== '.');
  if (sub.length > 0) request.dir = path.join(request.dir ?? root, ...sub);
}

function refuseOrIgnore(name: string, taken: readonly string[]): void {
  if (NO_EFFECT.has(name)) return;
  if (DANGEROUS.test(name)) throw optionError(name, 'over RPC Haul runs no program and reads or writes no file it did not choose');
  throw optionError(name, `Haul does not take it here; it takes ${taken.join(', ')}`);
}

function optionError(name: string, why: string): RpcError {
  return new RpcError(1, `The option "${name.slice(0, 100)}" is refused: ${why}.`);
}

function text(name: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw optionError(name, 'its value must be a string');
}

function headerLines(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((line) => typeof line === 'string')) return raw;
  throw optionError('header', 'its value must be a string or a list of strings');
}

function flag(name: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw optionError(name, `"${value.slice(0, 50)}" is not true or false`);
}

function integer(name: string, value: string, range: { min: number; max: number }): number {
  const n = /^\d{1,9}$/u.test(value) ? Number(value) : Number.NaN;
  if (!(n >= range.min && n <= range.max)) throw optionError(name, `"${value.slice(0, 50)}" is not a whole number from ${range.min} to ${range.max}`);
  return n;
}

function connections(name: string, value: string): number {
  return integer(name, value, SETTINGS_LIMITS.connectionsPerDownload);
}

/** A speed as aria2 writes one: bytes per second, or with K or M (1024s); 0 = no limit. */
function speed(name: string, value: string): number {
  const match = /^(\d{1,15})([KkMm]?)$/u.exec(value);
  if (match === null) throw optionError(name, `"${value.slice(0, 50)}" is not a speed such as 500K or 2M`);
  const unit = match[2]?.toLowerCase() === 'm' ? 1024 * 1024 : match[2]?.toLowerCase() === 'k' ? 1024 : 1;
  return Number(match[1]) * unit;
}

/** aria2's `sha-256=hex` as Haul's `sha256=hex` (the algorithms both know). */
function checksum(value: string): string {
  const match = /^(sha-512|sha-256|sha-1|md5)=([0-9a-fA-F]+)$/u.exec(value);
  if (match === null) throw optionError('checksum', 'it must be sha-256=<hex>, sha-512=<hex>, sha-1=<hex> or md5=<hex>');
  return `${(match[1] ?? '').replace('-', '')}=${match[2] ?? ''}`;
}
