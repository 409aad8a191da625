import path from 'node:path';
import { parseFileSelection } from '../../../shared/torrent.ts';
import { SETTINGS_LIMITS, type AddDownloadsRequest, type Settings } from '../../../shared/api.ts';
import { checksum, connections, flag, headerLines, integer, optionError, refuseOrIgnore, speed, text } from './aria2-option-values.ts';

/** aria2's options as a client sends them: a name and a string (some clients send numbers or booleans, or lists for `header`). */
export type Aria2Options = Record<string, unknown>;

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
