/**
 * The shapes of the download routes' bodies, parsed once here and declared with their routes
 * (routes.ts): each field's type, range and form, with the sentence that names what is wrong.
 * What needs the machine Haul runs on (a folder path made absolute, a certificate read, a
 * folder allowed) is the engine's to check after these.
 */
import { CHECKSUM_ALGORITHMS, CHECKSUM_HEX_DIGITS, SETTINGS_LIMITS, WHEN_DONE_ACTIONS, type WhenDoneAction, type Checksum, type ChecksumAlgorithm, type Settings } from './api.ts';
import { qualityChoice, QUALITY_PROBLEM } from './quality.ts';
import { isSubfolder, type Category } from './categories.ts';
import { DAYS, minutesOf, type Day, type Schedule, type ScheduleWindow } from './schedule.ts';
import { MAX_LINKS, type BodyParser, type Parsed } from './route-bodies.ts';
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
}

/** A download's own changes (`PATCH /api/downloads/:id`); the link is checked as a link, the engine decides whether it serves the same file. */
export interface DownloadPatchBody {
  url?: string | undefined;
  maxConnections?: number | undefined;
  speedLimit?: number | undefined;
}

const ADD_FIELDS = new Set(['url', 'urls', 'dir', 'filename', 'connections', 'headers', 'checksum', 'paused', 'speedLimit', 'insecure', 'caCert', 'proxy', 'quality', 'container']);
// Hop-by-hop and framing headers are ours to set; letting users set them would corrupt requests.
const RESERVED_HEADERS = new Set(['host', 'range', 'if-range', 'accept-encoding', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'keep-alive']);

/** A failure that names its field, thrown inside a parser and turned into its answer at the edge. */
class Wrong extends Error {
  readonly field: string;
  readonly code: 'INVALID_FIELD' | 'INVALID_URL' | 'UNSUPPORTED_PROTOCOL';
  constructor(field: string, message: string, code: Wrong['code'] = 'INVALID_FIELD') {
    super(message);
    this.field = field;
    this.code = code;
  }
}

/** Runs a parser written with `Wrong` throws as a BodyParser. */
function parser<T>(read: (raw: unknown) => T): BodyParser<T> {
  return (raw): Parsed<T> => {
    try {
      return { ok: true, value: read(raw) };
    } catch (error) {
      if (error instanceof Wrong) return { ok: false, field: error.field, message: error.message, code: error.code };
      throw error;
    }
  };
}

export const parseAddBody: BodyParser<AddBody> = parser((raw) => {
  const obj = asObject(raw, 'body');
  for (const key of Object.keys(obj)) {
    if (!ADD_FIELDS.has(key))
      throw new Wrong(key, `"${key}" is not a known field; use url or urls, dir, filename, connections, headers, checksum, paused, speedLimit, insecure, caCert, proxy, quality, container.`);
  }
  const urls = links(obj);
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
  };
});

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
        out.speedLimit = integerIn(value, key, SETTINGS_LIMITS.speedLimit);
        break;
      default:
        throw new Wrong(key, `"${key}" cannot be changed; use url (a refreshed link for the same file), maxConnections (0 = default) or speedLimit (bytes/s, 0 = none).`);
    }
  }
  if (Object.keys(obj).length === 0) throw new Wrong('body', 'Nothing to change: give url, maxConnections or speedLimit.');
  return out;
});

/** A settings change: only the settings given, each checked (the engine makes the folder absolute and checks it may be used). */
export const parseSettingsBody: BodyParser<Partial<Settings>> = parser((raw) => {
  const obj = asObject(raw, 'body');
  const out: Partial<Settings> = {};
  for (const [key, value] of Object.entries(obj)) {
    switch (key) {
      case 'downloadDir':
        out.downloadDir = folder(value, key);
        break;
      case 'maxConcurrent':
      case 'connectionsPerDownload':
      case 'speedLimit':
      case 'rpcPort':
      case 'whenDoneCountdown':
        out[key] = integerIn(value, key, SETTINGS_LIMITS[key]);
        break;
      case 'whenDone':
        if (typeof value !== 'string' || !(WHEN_DONE_ACTIONS as readonly string[]).includes(value)) throw new Wrong(key, `"whenDone" must be one of ${WHEN_DONE_ACTIONS.join(', ')}.`);
        out.whenDone = value as WhenDoneAction;
        break;
      case 'schedule':
        out.schedule = value === null ? null : scheduleOf(value);
        break;
      case 'categories':
        out.categories = categoriesOf(value);
        break;
      default:
        throw new Wrong(key, `"${key}" is not a setting; use downloadDir, maxConcurrent, connectionsPerDownload, speedLimit, rpcPort, schedule, whenDone, whenDoneCountdown or categories.`);
    }
  }
  return out;
});

function links(obj: Record<string, unknown>): string[] {
  const single = obj['url'];
  const many = obj['urls'];
  if (single !== undefined && many !== undefined) throw new Wrong('urls', 'Give either "url" or "urls", not both.');
  if (single === undefined && many === undefined) throw new Wrong('url', '"url" is required: the http(s) address to download.');
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

/** A folder as given: a non-empty path without NUL (absolute, on this machine's terms, is the engine's to check). */
function folder(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Wrong(field, `"${field}" must be a folder path.`);
  if (value.includes('\0')) throw new Wrong(field, `"${field}" contains a NUL character.`);
  return value;
}

function headersOf(value: unknown): Record<string, string> {
  const obj = asObject(value, 'headers');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(obj)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/u.test(name)) throw new Wrong('headers', `headers: "${name}" is not a valid header name.`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new Wrong('headers', `headers: "${name}" is set by Haul itself and cannot be overridden.`);
    if (typeof v !== 'string' || /[\r\n\0]/u.test(v)) throw new Wrong('headers', `headers: the value of "${name}" must be a single-line string.`);
    out[name] = v;
  }
  return out;
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

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Wrong(field, `"${field}" must be a JSON object.`);
  return value as Record<string, unknown>;
}

function optionalString(obj: Record<string, unknown>, field: string): string | undefined {
  const value = obj[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Wrong(field, `"${field}" must be a string.`);
  return value;
}

function integerIn(value: unknown, field: string, range: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) throw new Wrong(field, `"${field}" must be a whole number from ${range.min} to ${range.max}.`);
  return value;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new Wrong(field, `"${field}" must be true or false.`);
  return value;
}

/** At most this many windows: a week of several a day. */
const MAX_WINDOWS = 50;

/** `schedule`: `{ windows: [{ days, start, end, speedLimit }] }`, each window named by its place when wrong. */
function scheduleOf(value: unknown): Schedule {
  const obj = asObject(value, 'schedule');
  const windows = obj['windows'];
  if (!Array.isArray(windows) || windows.length === 0) throw new Wrong('schedule', '"schedule.windows" must list at least one window (or set "schedule" to null for none).');
  if (windows.length > MAX_WINDOWS) throw new Wrong('schedule', `"schedule.windows" has ${windows.length} windows; at most ${MAX_WINDOWS}.`);
  for (const key of Object.keys(obj)) if (key !== 'windows') throw new Wrong('schedule', `"schedule.${key}" is not known; a schedule has only "windows".`);
  return { windows: windows.map((w: unknown, i) => windowOf(w, `schedule.windows[${i}]`)) };
}

function windowOf(value: unknown, at: string): ScheduleWindow {
  const w = asObject(value, at);
  for (const key of Object.keys(w))
    if (!['days', 'start', 'end', 'speedLimit'].includes(key)) throw new Wrong('schedule', `"${at}.${key}" is not known; a window has days, start, end and speedLimit.`);
  const days = w['days'];
  if (!Array.isArray(days) || days.length === 0 || !days.every((d): d is Day => typeof d === 'string' && (DAYS as readonly string[]).includes(d)))
    throw new Wrong('schedule', `"${at}.days" must list days among ${DAYS.join(', ')}.`);
  const time = (key: 'start' | 'end'): string => {
    const text = w[key];
    if (typeof text !== 'string' || minutesOf(text) === undefined) throw new Wrong('schedule', `"${at}.${key}" must be a time such as "01:00" (24-hour, HH:MM).`);
    return text;
  };
  const [start, end] = [time('start'), time('end')];
  if (start === end) throw new Wrong('schedule', `"${at}" starts and ends at ${start}; give it some time (it may end the next day, as 23:00 to 06:00).`);
  const limit = w['speedLimit'];
  const speedLimit = limit === undefined || limit === null ? null : integerIn(limit, `${at}.speedLimit`, SETTINGS_LIMITS.speedLimit);
  return { days: [...new Set(days)], start, end, speedLimit };
}

/** At most this many categories, each with this many extensions. */
const MAX_CATEGORIES = 50;
const MAX_EXTENSIONS = 200;

/** `categories`: each with a unique name, its extensions (without dots) and a folder below the download folder. */
function categoriesOf(value: unknown): Category[] {
  if (!Array.isArray(value) || value.length > MAX_CATEGORIES) throw new Wrong('categories', `"categories" must be a list of at most ${MAX_CATEGORIES} categories.`);
  const names = new Set<string>();
  return value.map((raw: unknown, i) => {
    const at = `categories[${i}]`;
    const c = asObject(raw, at);
    for (const key of Object.keys(c)) if (!['name', 'extensions', 'dir'].includes(key)) throw new Wrong('categories', `"${at}.${key}" is not known; a category has name, extensions and dir.`);
    const name = c['name'];
    if (typeof name !== 'string' || name.trim() === '' || name.length > 40) throw new Wrong('categories', `"${at}.name" must be a name of 1 to 40 characters.`);
    if (names.has(name.toLowerCase())) throw new Wrong('categories', `"${at}.name": "${name}" is there twice.`);
    names.add(name.toLowerCase());
    const extensions = c['extensions'];
    if (!Array.isArray(extensions) || extensions.length > MAX_EXTENSIONS || !extensions.every((e) => typeof e === 'string' && /^[A-Za-z0-9]{1,16}$/u.test(e)))
      throw new Wrong('categories', `"${at}.extensions" must list extensions such as "mp4" (letters and digits, no dot).`);
    const dir = c['dir'];
    if (typeof dir !== 'string' || !isSubfolder(dir)) throw new Wrong('categories', `"${at}.dir" must be a folder below the download folder, such as "Video" (not absolute, no "..").`);
    return { name: name.trim(), extensions: [...new Set(extensions.map((e: string) => e.toLowerCase()))], dir };
  });
}
