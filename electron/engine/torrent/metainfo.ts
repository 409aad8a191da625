import bencode from 'bencode';
import { createHash } from 'node:crypto';
import { sanitizeFilename } from '../input/filename.ts';
import { InputError } from '../errors.ts';
import { MAX_TORRENT_FILE_BYTES } from '../../../shared/torrent.ts';

/** What Haul keeps of a torrent's metadata: its identity, its files (paths made safe), its pieces. */
export interface TorrentMeta {
  infoHash: string;
  name: string;
  /** Paths relative to the download's folder, with the torrent's name first for a torrent of several files. */
  files: Array<{ path: string; length: number }>;
  pieceLength: number;
  pieces: number;
  total: number;
  announce: string[];
}

/** Decoded bencode: byte strings come as Uint8Array. */
type Bvalue = number | Uint8Array | Bvalue[] | { [key: string]: Bvalue };

const MAX_FILES = 100_000;

const bad = (why: string): InputError => new InputError('BAD_TORRENT', `The torrent cannot be used: ${why}.`, 'torrent');

/** Reads a .torrent file's bytes, checking everything Haul relies on; a BAD_TORRENT error names what is wrong. */
export function readTorrentFile(bytes: Uint8Array): TorrentMeta {
  if (bytes.byteLength > MAX_TORRENT_FILE_BYTES) throw bad(`it is over ${MAX_TORRENT_FILE_BYTES / 1024 / 1024} MiB`);
  let root: Bvalue;
  try {
    root = bencode.decode(bytes) as Bvalue;
  } catch (error) {
    throw bad(`it is not bencoded data (${(error as Error).message})`);
  }
  const dict = asDict(root, 'the file');
  const info = asDict(dict['info'], '"info"');
  const announce = announceOf(dict);
  return { ...readInfo(info), infoHash: createHash('sha1').update(bencode.encode(info)).digest('hex'), announce };
}

/**
 * Checks a torrent's info dictionary (from a file, or from peers for a magnet link): its name,
 * pieces and files. A path that climbs out (`..`) or is absolute is refused; each part is made a
 * safe file name (Windows' reserved names, forbidden characters), as any file name is.
 */
export function readInfo(info: { [key: string]: Bvalue }): Omit<TorrentMeta, 'infoHash' | 'announce'> {
  const name = text(info['name.utf-8'] ?? info['name'], '"info.name"');
  const pieceLength = info['piece length'];
  if (typeof pieceLength !== 'number' || !Number.isSafeInteger(pieceLength) || pieceLength < 16 * 1024 || pieceLength > 256 * 1024 * 1024)
    throw bad('"piece length" is not a size from 16 KiB to 256 MiB');
  const hashes = info['pieces'];
  if (!(hashes instanceof Uint8Array) || hashes.byteLength === 0 || hashes.byteLength % 20 !== 0) throw bad('"pieces" is not a list of SHA-1 hashes');
  const rawFiles = info['files'];
  const entries: Array<{ parts: string[]; length: number }> = [];
  if (rawFiles === undefined) entries.push({ parts: [], length: length(info['length'], '"info.length"') });
  else {
    if (!Array.isArray(rawFiles) || rawFiles.length === 0 || rawFiles.length > MAX_FILES) throw bad(`"info.files" is not a list of 1 to ${MAX_FILES} files`);
    rawFiles.forEach((raw, i) => {
      const file = asDict(raw, `"info.files[${i}]"`);
      const parts = file['path.utf-8'] ?? file['path'];
      if (!Array.isArray(parts) || parts.length === 0) throw bad(`"info.files[${i}].path" is empty`);
      entries.push({ parts: parts.map((p, j) => text(p, `"info.files[${i}].path[${j}]"`)), length: length(file['length'], `"info.files[${i}].length"`) });
    });
  }
  const safeName = safePart(name, '"info.name"');
  const files = entries.map((e) => ({ path: (rawFiles === undefined ? [safeName] : [safeName, ...e.parts.map((p) => safePart(p, JSON.stringify(e.parts.join('/'))))]).join('/'), length: e.length }));
  const total = files.reduce((n, f) => n + f.length, 0);
  const pieces = hashes.byteLength / 20;
  if (pieces !== Math.max(1, Math.ceil(total / pieceLength))) throw bad(`it lists ${pieces} pieces, but its files need ${Math.ceil(total / pieceLength)}`);
  if (new Set(files.map((f) => f.path.toLowerCase())).size !== files.length) throw bad('two of its files have the same path');
  return { name: safeName, files, pieceLength, pieces, total };
}

/** One part of a path: refused when it climbs out or is absolute, else made a safe name. */
function safePart(part: string, where: string): string {
  if (part === '..' || part === '.' || part.includes('/') || part.includes('\\') || /^[a-z]:/iu.test(part) || part.includes('\0')) throw bad(`the path ${where} would leave the download folder`);
  return sanitizeFilename(part, '_');
}

function asDict(value: Bvalue | undefined, what: string): { [key: string]: Bvalue } {
  if (value === undefined || typeof value === 'number' || value instanceof Uint8Array || Array.isArray(value)) throw bad(`${what} is not a dictionary`);
  return value;
}

function text(value: Bvalue | undefined, what: string): string {
  if (!(value instanceof Uint8Array)) throw bad(`${what} is missing or not text`);
  const decoded = new TextDecoder().decode(value);
  if (decoded.trim() === '') throw bad(`${what} is empty`);
  return decoded;
}

function length(value: Bvalue | undefined, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw bad(`${what} is not a size in bytes`);
  return value;
}

/** The trackers it names (`announce-list` tiers flattened, else `announce`), http(s) and udp only. */
function announceOf(dict: { [key: string]: Bvalue }): string[] {
  const urls: string[] = [];
  const list = dict['announce-list'];
  if (Array.isArray(list)) for (const tier of list) if (Array.isArray(tier)) for (const url of tier) if (url instanceof Uint8Array) urls.push(new TextDecoder().decode(url));
  const one = dict['announce'];
  if (urls.length === 0 && one instanceof Uint8Array) urls.push(new TextDecoder().decode(one));
  return [...new Set(urls)].filter((u) => /^(https?|udp):\/\//iu.test(u));
}
