import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { Checksum, Settings } from '../../../shared/api.ts';
import { parseAddBody, parseChecksum, parseDownloadPatchBody } from '../../../shared/download-bodies.ts';
import { parseSettingsBody } from '../../../shared/settings-body.ts';
import { InputError } from '../errors.ts';
import { mustParse } from './must-parse.ts';
import { torrentFromFile, torrentFromMagnet, type NewTorrent } from '../torrent/torrent-intake.ts';

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
  /** This download's own proxy, instead of the environment's. */
  proxy?: string | undefined;
  /** For a link that turns out to be a video stream: which quality (best, worst, 720p, bits/s). */
  quality?: string | undefined;
  /** For a stream of MPEG-TS segments: keep them as one .ts instead of an MP4. */
  container?: 'mp4' | 'ts' | undefined;
  /** Actions (Settings' names) to run when it finishes. */
  actions?: string[] | undefined;
  /** A torrent's own upload limit, bytes/s. */
  uploadLimit?: number | undefined;
  /** A torrent (a .torrent file given, or a magnet link): its record to start from. */
  torrent?: NewTorrent | undefined;
}

/**
 * Validates the body of `POST /api/downloads` (and the CLI's equivalent): its shape as the
 * route declares it (shared/download-bodies.ts), then what needs this machine: the folder made
 * absolute, each certificate read. Throws an InputError naming the first bad field; nothing is
 * created unless every part is valid.
 */
export function parseAddRequest(body: unknown): NewDownload[] {
  const add = mustParse(parseAddBody(body));
  const dir = add.dir === undefined ? undefined : absoluteFolder(add.dir, 'dir');
  if (add.caCert !== undefined) readCertificates(add.caCert);
  const checksum = add.checksum === undefined ? undefined : mustParse(parseChecksum(add.checksum));
  const choices = { files: add.files, seedRatio: add.seedRatio, seedMinutes: add.seedMinutes };
  const given = add.torrent === undefined ? undefined : torrentFromFile(add.torrent, choices);
  const links = given === undefined ? add.urls : [given.url];
  if (given === undefined && add.files !== undefined && !(links.length === 1 && links[0]?.startsWith('magnet:')))
    throw new InputError('INVALID_FIELD', '"files" chooses files of one torrent: give it with one magnet link or a .torrent file.', 'files');
  return links.map((url) => ({
    url,
    torrent: given ?? (url.startsWith('magnet:') ? torrentFromMagnet(url, choices) : undefined),
    dir,
    filename: add.filename,
    connections: add.connections ?? 0,
    headers: add.headers ?? {},
    checksum,
    paused: add.paused ?? false,
    speedLimit: add.speedLimit ?? 0,
    insecure: add.insecure ?? false,
    caCert: add.caCert,
    proxy: add.proxy,
    quality: add.quality,
    container: add.container,
    actions: add.actions,
    uploadLimit: add.uploadLimit,
  }));
}

/** Each certificate of a PEM bundle must parse, so a typo fails here rather than at the handshake. */
function readCertificates(value: string): void {
  for (const block of value.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/gu) ?? []) {
    try {
      new X509Certificate(block);
    } catch (cause) {
      throw new InputError('INVALID_FIELD', `"caCert" holds a certificate that does not parse (${cause instanceof Error ? cause.message : String(cause)}).`, 'caCert', { cause });
    }
  }
}

/** Validates `PATCH /api/settings`; returns the merged settings. */
export function parseSettingsPatch(body: unknown, current: Settings): Settings {
  const patch = mustParse(parseSettingsBody(body));
  return {
    ...current,
    ...patch,
    torrent: { ...current.torrent, ...patch.torrent },
    ...(patch.downloadDir === undefined ? {} : { downloadDir: absoluteFolder(patch.downloadDir, 'downloadDir') }),
  };
}

/** A download's own options from `PATCH /api/downloads/:id`. */
export interface DownloadPatchRequest {
  url?: string | undefined;
  connections?: number | undefined;
  speedLimit?: number | undefined;
  uploadLimit?: number | undefined;
}

/** Validates the body of `PATCH /api/downloads/:id` (whether the link serves the same file is the engine's to find out). */
export function parseDownloadPatch(body: unknown): DownloadPatchRequest {
  const patch = mustParse(parseDownloadPatchBody(body));
  return { url: patch.url, connections: patch.maxConnections, speedLimit: patch.speedLimit, uploadLimit: patch.uploadLimit };
}

/** A folder path on this machine's terms: absolute, resolved. */
function absoluteFolder(value: string, field: string): string {
  if (!path.isAbsolute(value)) throw new InputError('INVALID_FIELD', `"${field}" must be an absolute path, such as /home/me/Downloads.`, field);
  return path.resolve(value);
}
