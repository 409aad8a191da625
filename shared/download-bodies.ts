/**
 * The shapes of the download routes' bodies, parsed once here and declared with their routes
 * (routes.ts): each field's type, range and form, with the sentence that names what is wrong.
 * What needs the machine Haul runs on (a folder path made absolute, a certificate read, a
 * folder allowed) is the engine's to check after these.
 */
import { CHECKSUM_ALGORITHMS, CHECKSUM_HEX_DIGITS, SETTINGS_LIMITS, type Checksum, type ChecksumAlgorithm } from './api.ts';
import { qualityChoice, QUALITY_PROBLEM } from './quality.ts';
import { MAX_LINKS, type BodyParser, type Parsed } from './route-bodies.ts';
import { asObject, bool, folder, headersOf, integerIn, optionalString, parser, Wrong } from './body-parse.ts';
import { MAX_TORRENT_FILE_BYTES, TORRENT_LIMITS } from './torrent.ts';
import { checkDownloadUrl } from './url.ts';

/**
 * An add, its links checked and each field given of its type (what `POST /api/downloads`
 * takes); fields not given stay absent, so a parsed add parses again to itself.
 */
export interface AddBody {
  /** Normalised links, in order. */
  urls: string[];
  /** As given: the engine makes it absolute and confines it. */
  dir?: string | undefined;
  filename?: string | undefined;
  connections?: number | undefined;
  headers?: Record<string, string> | undefined;
  /** `algorithm=hex`, checked and lower-cased. */
  checksum?: string | undefined;
  paused?: boolean | undefined;
  speedLimit?: number | undefined;
  insecure?: boolean | undefined;
  /** PEM text: the engine reads each certificate. */
  caCert?: string | undefined;
  /** A proxy URL, its scheme and host checked. */
  proxy?: string | undefined;
  quality?: string | undefined;
  container?: 'mp4' | 'ts' | undefined;
  /** Action names, as given (the engine checks each is one the settings define). */
  actions?: string[] | undefined;
  /** A .torrent file's bytes in base64 (then no links): the engine reads and checks it. */
  torrent?: string | undefined;
  /** A torrent's files to download, by index (all when absent). */
  files?: number[] | undefined;
  /** A torrent's own seeding policy (else Settings'). */
  seedRatio?: number | undefined;
  seedMinutes?: number | undefined;
  /** A torrent's own upload limit, bytes/s (0 = none). */
  uploadLimit?: number | undefined;
}

/** A download's own changes (`PATCH /api/downloads/:id`); the link is checked as a link, the engine decides whether it serves the same file. */
export interface DownloadPatchBody {
  url?: string | undefined;
  maxConnections?: number | undefined;
  speedLimit?: number | undefined;
  /** A torrent's own upload limit, bytes/s (0 = none). */
  uploadLimit?: number | undefined;
}

const ADD_FIELDS = new Set([
  'url',
  'urls',
  'dir',
  'filename',
  'connections',
  'headers',
  'checksum',
  'paused',
  'speedLimit',
  'insecure',
  'caCert',
  'proxy',
  'quality',
  'container',
  'actions',
  'torrent',
  'files',
  'seedRatio',
  'seedMinutes',
  'uploadLimit',
]);

export const parseAddBody: BodyParser<AddBody> = parser((raw) => {
  const obj = asObject(raw, 'body');
  for (const key of Object.keys(obj)) {
    if (!ADD_FIELDS.has(key))
      throw new Wrong(
        key,
        `"${key}" is not a known field; use url or urls (or torrent), dir, filename, connections, headers, checksum, paused, speedLimit, insecure, caCert, proxy, quality, container, actions, files, seedRatio, seedMinutes, uploadLimit.`,
      );
  }
  const torrent = obj['torrent'] === undefined ? undefined : torrentFile(obj['torrent']);
  // A parsed add of a torrent has no links (`urls: []`), and parses again to itself.
  const linked = obj['url'] !== undefined || (obj['urls'] !== undefined && !(Array.isArray(obj['urls']) && obj['urls'].length === 0));
  if (torrent !== undefined && linked) throw new Wrong('torrent', 'Give either "torrent" (a .torrent file) or "url"/"urls", not both.');
  const urls = torrent === undefined ? links(obj) : [];
  const dir = obj['dir'] === undefined ? undefined : folder(obj['dir'], 'dir');
  const filename = optionalString(obj, 'filename');
  if (filename !== undefined && urls.length > 1) throw new Wrong('filename', '"filename" names one file, but several URLs were given; leave it out to use each server\'s name.');
  if (filename !== undefined && filename.trim() === '') throw new Wrong('filename', '"filename" is empty.');
  const checksum = obj['checksum'] === undefined ? undefined : checksumOf(obj['checksum'], 'checksum');
  if (checksum !== undefined && urls.length > 1) throw new Wrong('checksum', '"checksum" is for one file, but several URLs were given.');
  const container = obj['container'];
  if (container !== undefined && container !== 'mp4' && container !== 'ts') throw new Wrong('container', '"container" must be mp4 (the default) or ts (an MPEG-TS stream kept as it is).');
  return {
    urls,
    dir,
    filename,
    connections: obj['connections'] === undefined ? undefined : integerIn(obj['connections'], 'connections', SETTINGS_LIMITS.connectionsPerDownload),
    headers: obj['headers'] === undefined ? undefined : headersOf(obj['headers']),
    checksum: checksum === undefined ? undefined : `${checksum.algorithm}=${checksum.expected}`,
    paused: obj['paused'] === undefined ? undefined : bool(obj['paused'], 'paused'),
    speedLimit: obj['speedLimit'] === undefined ? undefined : integerIn(obj['speedLimit'], 'speedLimit', SETTINGS_LIMITS.speedLimit),
    insecure: obj['insecure'] === undefined ? undefined : bool(obj['insecure'], 'insecure'),
    caCert: obj['caCert'] === undefined ? undefined : pem(obj['caCert']),
    proxy: obj['proxy'] === undefined ? undefined : proxyUrl(obj['proxy']),
    quality: obj['quality'] === undefined ? undefined : qualityText(obj['quality']),
    container,
    actions: obj['actions'] === undefined ? undefined : actionNames(obj['actions'], 'actions'),
    ...torrentOptions(obj, torrent),
  };
});

/** A .torrent file as base64: its size bounded here, its contents read by the engine. */
function torrentFile(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/u.test(value)) throw new Wrong('torrent', '"torrent" must be a .torrent file\'s bytes in base64.');
  if ((value.length * 3) / 4 > MAX_TORRENT_FILE_BYTES) throw new Wrong('torrent', `"torrent" is over ${MAX_TORRENT_FILE_BYTES / 1024 / 1024} MiB; no .torrent file is that big.`);
  return value;
}

/** A torrent's own options: which files, and how long it seeds. */
function torrentOptions(obj: Record<string, unknown>, torrent: string | undefined): Pick<AddBody, 'torrent' | 'files' | 'seedRatio' | 'seedMinutes' | 'uploadLimit'> {
  const files = obj['files'];
  if (files !== undefined && (!Array.isArray(files) || files.length === 0 || files.length > 100_000 || !files.every((f) => Number.isSafeInteger(f) && (f as number) >= 0)))
    throw new Wrong('files', '"files" must list the indexes (from 0) of the torrent\'s files to download.');
  const ratio = obj['seedRatio'];
  if (ratio !== undefined && (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < TORRENT_LIMITS.seedRatio.min || ratio > TORRENT_LIMITS.seedRatio.max))
    throw new Wrong('seedRatio', `"seedRatio" must be a number from ${TORRENT_LIMITS.seedRatio.min} (do not seed) to ${TORRENT_LIMITS.seedRatio.max}.`);
  return {
    ...(torrent === undefined ? {} : { torrent }),
    ...(files === undefined ? {} : { files: [...new Set(files as number[])].sort((a, b) => a - b) }),
    ...(ratio === undefined ? {} : { seedRatio: ratio }),
    ...(obj['seedMinutes'] === undefined ? {} : { seedMinutes: integerIn(obj['seedMinutes'], 'seedMinutes', TORRENT_LIMITS.seedMinutes) }),
    ...(obj['uploadLimit'] === undefined ? {} : { uploadLimit: integerIn(obj['uploadLimit'], 'uploadLimit', SETTINGS_LIMITS.speedLimit) }),
  };
}

function actionNames(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length > 20 || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 40))
    throw new Wrong(field, `"${field}" must list action names (Settings' actions), at most 20.`);
  return [...new Set(value as string[])];
}

export const parseDownloadPatchBody: BodyParser<DownloadPatchBody> = parser((raw) => {
  const obj = asObject(raw, 'body');
  const out: DownloadPatchBody = {};
  for (const [key, value] of Object.entries(obj)) {
    switch (key) {
      case 'url': {
        const check = checkDownloadUrl(value);
        if (!check.ok) throw new Wrong('url', `url: ${check.message}`, check.code);
        out.url = check.url.href;
        break;
      }
      case 'maxConnections':
        out.maxConnections = integerIn(value, key, { min: 0, max: SETTINGS_LIMITS.connectionsPerDownload.max });
        break;
      case 'speedLimit':
      case 'uploadLimit':
        out[key] = integerIn(value, key, SETTINGS_LIMITS.speedLimit);
        break;
      default:
        throw new Wrong(
          key,
          `"${key}" cannot be changed; use url (a refreshed link for the same file), maxConnections (0 = default), speedLimit (bytes/s, 0 = none) or uploadLimit (a torrent's, bytes/s).`,
        );
    }
  }
  if (Object.keys(obj).length === 0) throw new Wrong('body', 'Nothing to change: give url, maxConnections, speedLimit or uploadLimit.');
  return out;
});

function links(obj: Record<string, unknown>): string[] {
  const single = obj['url'];
  const many = obj['urls'];
  if (single !== undefined && many !== undefined) throw new Wrong('urls', 'Give either "url" or "urls", not both.');
  if (single === undefined && many === undefined) throw new Wrong('url', '"url" is required: the http(s) address or magnet link to download (or "torrent": a .torrent file).');
  if (many !== undefined && !Array.isArray(many)) throw new Wrong('urls', '"urls" must be an array of URL strings.');
  const list: unknown[] = single !== undefined ? [single] : (many as unknown[]);
  if (list.length === 0) throw new Wrong('urls', '"urls" is empty: give at least one URL.');
  if (list.length > MAX_LINKS) throw new Wrong('urls', `"urls" has ${list.length} entries; add at most ${MAX_LINKS} at once.`);
  const field = single !== undefined ? 'url' : 'urls';
  return list.map((item, i) => {
    const check = checkDownloadUrl(item);
    const where = field === 'urls' ? `urls[${i}]` : 'url';
    // In a batch, the entry is named by what it says, not only by its place.
    const shown = field === 'urls' && typeof item === 'string' && item.trim() !== '' ? ` ("${item.trim().slice(0, 100)}")` : '';
    if (!check.ok) throw new Wrong(where, `${where}${shown}: ${check.message}`, check.code);
    return check.url.href;
  });
}

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:', 'socks5h:']);

/** A proxy's address: an http(s) or SOCKS5 URL with a host. */
function proxyUrl(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || !PROXY_SCHEMES.has(url.protocol) || url.hostname === '')
    throw new Wrong('proxy', '"proxy" must be a proxy address such as http://127.0.0.1:3128 or socks5h://127.0.0.1:1080.');
  return text;
}

/** `"sha256=<hex>"` (also sha1, md5), as a checksum to verify. */
export const parseChecksum = (text: unknown): Parsed<Checksum> => parser((raw) => checksumOf(raw, 'checksum'))(text);

function checksumOf(text: unknown, field: string): Checksum {
  if (typeof text !== 'string') throw new Wrong(field, `"${field}" must be a string such as "sha256=<hex digest>".`);
  const match = /^\s*([a-z0-9]+)\s*[=:]\s*([0-9a-f]+)\s*$/iu.exec(text);
  const algorithm = match?.[1]?.toLowerCase() as ChecksumAlgorithm | undefined;
  const expected = match?.[2]?.toLowerCase();
  if (algorithm === undefined || expected === undefined || !CHECKSUM_ALGORITHMS.includes(algorithm))
    throw new Wrong(field, `"${field}" must look like "sha256=<hex digest>" (sha256, sha512, sha1 or md5).`);
  if (expected.length !== CHECKSUM_HEX_DIGITS[algorithm]) throw new Wrong(field, `"${field}": a ${algorithm} digest has ${CHECKSUM_HEX_DIGITS[algorithm]} hex digits, not ${expected.length}.`);
  return { algorithm, expected };
}

/** PEM text of certificates (each is read by the engine, which needs the machine's TLS). */
function pem(value: unknown): string {
  if (typeof value !== 'string' || !value.includes('-----BEGIN CERTIFICATE-----')) throw new Wrong('caCert', '"caCert" must be PEM text: one or more "-----BEGIN CERTIFICATE-----" blocks.');
  if (value.length > 1024 * 1024) throw new Wrong('caCert', '"caCert" is over 1 MiB; give only the CA certificates to trust.');
  return value;
}

/** A stream quality as given: best, worst, a height such as 720p, or a bandwidth in bits/s. */
function qualityText(value: unknown): string {
  if (qualityChoice(value) === undefined) throw new Wrong('quality', QUALITY_PROBLEM);
  return String(value);
}
