import fs from 'node:fs/promises';
import path from 'node:path';
import { uniqueFilename } from '../input/filename.ts';
import { fileErrorFrom } from '../disk/file-errors.ts';
import { moveIntoPlace } from '../disk/finalize.ts';
import type { DownloadRecord, TorrentRecord } from '../records/record.ts';

/** Where a torrent's pieces are written until every one asked for is verified: a hidden folder beside where its files go. */
export function stagingDir(rec: Pick<DownloadRecord, 'dir'> & { torrent?: Pick<TorrentRecord, 'infoHash'> | undefined }): string {
  return path.join(rec.dir, `.haul-torrent-${rec.torrent?.infoHash.slice(0, 16) ?? 'unknown'}`);
}

/** Files in the order of the torrent, with whether each was asked for. */
export function chosenFiles(t: Pick<TorrentRecord, 'files' | 'selected'>): Array<{ index: number; path: string; length: number }> {
  const selected = t.selected === undefined ? undefined : new Set(t.selected);
  return (t.files ?? []).flatMap((f, index) => (selected === undefined || selected.has(index) ? [{ index, ...f }] : []));
}

/** The bytes of the files asked for: the download's size. */
export function chosenBytes(t: Pick<TorrentRecord, 'files' | 'selected'>): number {
  return chosenFiles(t).reduce((n, f) => n + f.length, 0);
}

/** The pieces that hold bytes of the files asked for, as ranges: what a finished torrent fetched and verified. */
export function wantedPieces(t: Pick<TorrentRecord, 'files' | 'selected' | 'pieceLength' | 'pieces'>): Array<[number, number]> {
  const pieceLength = t.pieceLength ?? 1;
  const out: Array<[number, number]> = [];
  let offset = 0;
  const chosen = new Set(chosenFiles(t).map((f) => f.index));
  (t.files ?? []).forEach((f, i) => {
    if (chosen.has(i) && f.length > 0) {
      const first = Math.floor(offset / pieceLength);
      const end = Math.min(t.pieces ?? Number.POSITIVE_INFINITY, Math.floor((offset + f.length - 1) / pieceLength) + 1);
      const last = out.at(-1);
      if (last !== undefined && first <= last[1]) last[1] = Math.max(last[1], end);
      else out.push([first, end]);
    }
    offset += f.length;
  });
  return out;
}

/**
 * Moves the verified, flushed files asked for from the staging folder into `dir`: one file under
 * its name (or `name (1)`… when taken), several under a new folder of the torrent's name. Never
 * replaces anything. Returns the name used (the file's, or the folder's).
 */
export async function placeTorrentFiles(rec: Readonly<DownloadRecord>, stored: readonly string[], isTaken: (name: string) => boolean): Promise<string> {
  const t = rec.torrent;
  if (t?.files === undefined) throw new Error('the torrent has no metadata');
  const staging = stagingDir(rec);
  const from = (index: number): string => path.join(staging, stored[index] ?? t.files?.[index]?.path ?? '');
  if (t.files.length === 1) return moveIntoPlace(from(0), rec.dir, rec.filename, isTaken);
  const root = await makeRoot(rec.dir, rec.filename, isTaken);
  for (const file of chosenFiles(t)) {
    const parts = file.path.split('/').slice(1);
    const folder = path.join(rec.dir, root, ...parts.slice(0, -1));
    await fs.mkdir(folder, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw fileErrorFrom(error, 'make the torrent’s folders', folder);
    });
    await moveIntoPlace(from(file.index), folder, parts.at(-1) ?? '_', () => false);
  }
  return root;
}

/** A new folder `name` (or `name (1)`…) in `dir`, made exclusively. */
async function makeRoot(dir: string, name: string, isTaken: (name: string) => boolean): Promise<string> {
  const tried = new Set<string>();
  for (let n = 0; n < 1000; n++) {
    const candidate = uniqueFilename(name, (c) => tried.has(c) || isTaken(c));
    tried.add(candidate);
    try {
      await fs.mkdir(path.join(dir, candidate));
      return candidate;
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (err.code !== 'EEXIST') throw fileErrorFrom(err, 'make the torrent’s folder', path.join(dir, candidate));
    }
  }
  throw fileErrorFrom(Object.assign(new Error('every candidate name is taken'), { code: 'EEXIST' }), 'find a free folder name', dir);
}

/** Each file's path below `dir` once placed (seeding reads them there); files not asked for keep a path that does not exist. */
export function placedPaths(t: Pick<TorrentRecord, 'files' | 'selected'>, placedName: string): string[] {
  const files = t.files ?? [];
  if (files.length === 1) return [placedName];
  const chosen = new Set(chosenFiles(t).map((f) => f.index));
  return files.map((f, i) => (chosen.has(i) ? [placedName, ...f.path.split('/').slice(1)].join('/') : `.haul-not-downloaded/${f.path}`));
}

/** The pieces a finished torrent can serve: verified ones whose bytes all lie in files it kept. */
export function seedablePieces(t: Pick<TorrentRecord, 'files' | 'selected' | 'pieceLength' | 'pieces'>, have: Uint8Array): Uint8Array {
  const out = new Uint8Array(have);
  const files = t.files ?? [];
  const pieceLength = t.pieceLength ?? 1;
  const chosen = new Set(chosenFiles(t).map((f) => f.index));
  let offset = 0;
  files.forEach((f, i) => {
    if (!chosen.has(i) && f.length > 0) {
      for (let p = Math.floor(offset / pieceLength); p <= Math.floor((offset + f.length - 1) / pieceLength); p++) out[p >> 3] = (out[p >> 3] ?? 0) & ~(0x80 >> (p & 7));
    }
    offset += f.length;
  });
  return out;
}
