import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { SETTINGS_LIMITS, type Checksum, type Settings } from '../../../shared/api.ts';
import { checkDownloadUrl } from '../../../shared/url.ts';
import { parseChecksum } from '../checksum.ts';
import { InputError } from '../errors.ts';
import { parseQuality } from '../media/quality.ts';

/** One download to create, after validation. */
export interface NewDownload {
  url: string;
  dir?: string | undefined;
  filename?: string | undefined;
  connections: number;
  headers: Record<string, string>;
  checksum?: Checksum | undefined;
  paused: boolean;
  speedLimit: number;
  /** Accept any TLS certificate. */
  insecure: boolean;
  /** Extra CA certificates (PEM) to trust. */
  caCert?: string | undefined;
  /** For a link that turns out to be a video stream: which quality (best, worst, 720p, bits/s). */
  quality?: string | undefined;
  /** For a stream of MPEG-TS segments: keep them as one .ts instead of an MP4. */
  container?: 'mp4' | 'ts' | undefined;
}

const ADD_FIELDS = new Set(['url', 'urls', 'dir', 'filename', 'connections', 'headers', 'checksum', 'paused', 'speedLimit', 'insecure', 'caCert', 'quality', 'container']);
const MAX_URLS = 10_000;
// Hop-by-hop and framing headers are ours to set; letting users set them would corrupt requests.
const RESERVED_HEADERS = new Set(['host', 'range', 'if-range', 'accept-encoding', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'keep-alive']);

/**
 * Validates the body of `POST /api/downloads` (and the CLI's equivalent). Throws an InputError
 * naming the first bad field; nothing is created unless every part is valid.
 */
export function parseAddRequest(body: unknown): NewDownload[] {
  const obj = asObject(body, 'body');
  for (const key of Object.keys(obj)) {
    if (!ADD_FIELDS.has(key))
      throw invalid(key, `"${key}" is not a known field; use url or urls, dir, filename, connections, headers, checksum, paused, speedLimit, insecure, caCert, quality, container.`);
  }
  const urls = collectUrls(obj);
  const dir = obj['dir'] === undefined ? undefined : parseDir(obj['dir'], 'dir');
  const filename = optionalString(obj, 'filename');
  if (filename !== undefined && urls.length > 1) throw invalid('filename', '"filename" names one file, but several URLs were given; leave it out to use each server\'s name.');
  if (filename !== undefined && filename.trim() === '') throw invalid('filename', '"filename" is empty.');
  const connections = obj['connections'] === undefined ? 0 : integerIn(obj['connections'], 'connections', SETTINGS_LIMITS.connectionsPerDownload);
  const speedLimit = obj['speedLimit'] === undefined ? 0 : integerIn(obj['speedLimit'], 'speedLimit', SETTINGS_LIMITS.speedLimit);
  const headers = obj['headers'] === undefined ? {} : parseHeaders(obj['headers']);
  const checksum = obj['checksum'] === undefined ? undefined : parseChecksum(obj['checksum']);
  if (checksum !== undefined && urls.length > 1) throw invalid('checksum', '"checksum" is for one file, but several URLs were given.');
  const paused = obj['paused'] === undefined ? false : bool(obj['paused'], 'paused');
  const insecure = obj['insecure'] === undefined ? false : bool(obj['insecure'], 'insecure');
  const caCert = obj['caCert'] === undefined ? undefined : parseCaCert(obj['caCert']);
  const quality = obj['quality'] === undefined ? undefined : qualityText(obj['quality']);
  const container = obj['container'];
  if (container !== undefined && container !== 'mp4' && container !== 'ts') throw invalid('container', '"container" must be mp4 (the default) or ts (an MPEG-TS stream kept as it is).');
  return urls.map((url) => ({
    url,
    dir,
    filename,
    connections,
    headers,
    checksum,
    paused,
    speedLimit,
    insecure,
    caCert,
    quality,
    container,
  }));
}

/** A stream quality as given (checked now, so a typo fails at once rather than when the link turns out to be a stream). */
function qualityText(value: unknown): string {
  parseQuality(value);
  return String(value);
}

/** A PEM bundle of CA certificates; each must parse, so a typo fails here rather than at the handshake. */
function parseCaCert(value: unknown): string {
  if (typeof value !== 'string' || !value.includes('-----BEGIN CERTIFICATE-----')) {
    throw invalid('caCert', '"caCert" must be PEM text: one or more "-----BEGIN CERTIFICATE-----" blocks.');
  }
  if (value.length > 1024 * 1024) throw invalid('caCert', '"caCert" is over 1 MiB; give only the CA certificates to trust.');
  for (const block of value.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/gu) ?? []) {
    try {
      new X509Certificate(block);
    } catch (cause) {
      throw new InputError('INVALID_FIELD', `"caCert" holds a certificate that does not parse (${cause instanceof Error ? cause.message : String(cause)}).`, 'caCert', { cause });
    }
  }
  return value;
}

function collectUrls(obj: Record<string, unknown>): string[] {
  const single = obj['url'];
  const many = obj['urls'];
  if (single !== undefined && many !== undefined) throw invalid('urls', 'Give either "url" or "urls", not both.');
  if (single === undefined && many === undefined) throw invalid('url', '"url" is required: the http(s) address to download.');
  const list: unknown[] = single !== undefined ? [single] : Array.isArray(many) ? many : [];
  if (many !== undefined && !Array.isArray(many)) throw invalid('urls', '"urls" must be an array of URL strings.');
  if (list.length === 0) throw invalid('urls', '"urls" is empty: give at least one URL.');
  if (list.length > MAX_URLS) throw invalid('urls', `"urls" has ${list.length} entries; add at most ${MAX_URLS} at once.`);
  const field = single !== undefined ? 'url' : 'urls';
  return list.map((item, i) => {
    const check = checkDownloadUrl(item);
    const where = field === 'urls' ? `urls[${i}]` : 'url';
    // In a batch, the entry is named by what it says, not only by its place.
    const shown = field === 'urls' && typeof item === 'string' && item.trim() !== '' ? ` ("${item.trim().slice(0, 100)}")` : '';
    if (!check.ok) throw new InputError(check.code, `${where}${shown}: ${check.message}`, where);
    return check.url.href;
  });
}

/** Validates `PATCH /api/settings`; returns the merged settings. */
export function parseSettingsPatch(body: unknown, current: Settings): Settings {
  const obj = asObject(body, 'body');
  const next = { ...current };
  for (const [key, value] of Object.entries(obj)) {
    switch (key) {
      case 'downloadDir':
        next.downloadDir = parseDir(value, key);
        break;
      case 'maxConcurrent':
      case 'connectionsPerDownload':
      case 'speedLimit':
        next[key] = integerIn(value, key, SETTINGS_LIMITS[key]);
        break;
      default:
        throw invalid(key, `"${key}" is not a setting; use downloadDir, maxConcurrent, connectionsPerDownload or speedLimit.`);
    }
  }
  return next;
}

/** A download's own options from `PATCH /api/downloads/:id`. */
export interface DownloadPatchRequest {
  url?: unknown;
  connections?: number;
  speedLimit?: number;
}

/** Validates the body of `PATCH /api/downloads/:id` (the URL itself is checked by the engine). */
export function parseDownloadPatch(body: unknown): DownloadPatchRequest {
  const obj = asObject(body, 'body');
  const out: DownloadPatchRequest = {};
  for (const [key, value] of Object.entries(obj)) {
    switch (key) {
      case 'url':
        out.url = value;
        break;
      case 'maxConnections':
        out.connections = integerIn(value, key, { min: 0, max: SETTINGS_LIMITS.connectionsPerDownload.max });
        break;
      case 'speedLimit':
        out.speedLimit = integerIn(value, key, SETTINGS_LIMITS.speedLimit);
        break;
      default:
        throw invalid(key, `"${key}" cannot be changed; use url (a refreshed link for the same file), maxConnections (0 = default) or speedLimit (bytes/s, 0 = none).`);
    }
  }
  if (Object.keys(obj).length === 0) throw invalid('body', 'Nothing to change: give url, maxConnections or speedLimit.');
  return out;
}

function parseDir(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, `"${field}" must be a folder path.`);
  if (!path.isAbsolute(value)) throw invalid(field, `"${field}" must be an absolute path, such as /home/me/Downloads.`);
  if (value.includes('\0')) throw invalid(field, `"${field}" contains a NUL character.`);
  return path.resolve(value);
}

function parseHeaders(value: unknown): Record<string, string> {
  const obj = asObject(value, 'headers');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(obj)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/u.test(name)) throw invalid('headers', `headers: "${name}" is not a valid header name.`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalid('headers', `headers: "${name}" is set by Haul itself and cannot be overridden.`);
    if (typeof v !== 'string' || /[\r\n\0]/u.test(v)) throw invalid('headers', `headers: the value of "${name}" must be a single-line string.`);
    out[name] = v;
  }
  return out;
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, `"${field}" must be a JSON object.`);
  return value as Record<string, unknown>;
}

function optionalString(obj: Record<string, unknown>, field: string): string | undefined {
  const value = obj[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(field, `"${field}" must be a string.`);
  return value;
}

function integerIn(value: unknown, field: string, range: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalid(field, `"${field}" must be a whole number from ${range.min} to ${range.max}.`);
  }
  return value;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, `"${field}" must be true or false.`);
  return value;
}

function invalid(field: string, message: string): InputError {
  return new InputError('INVALID_FIELD', message, field);
}
