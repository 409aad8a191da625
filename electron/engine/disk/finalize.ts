import fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { fileErrorFrom } from './file-errors.ts';
import { uniqueFilename } from '../input/filename.ts';
import { hashFile } from '../checksum.ts';
import { HaulError } from '../errors.ts';
import type { Checksum } from '../../../shared/api.ts';
import { partPath, type DownloadRecord } from '../records/record.ts';

/**
 * Moves a finished part file to `dir/name` without ever replacing an existing file: link()
 * fails instead of overwriting, so a file that appeared meanwhile makes us pick
 * `name (1).ext`. Filesystems without hard links (FAT, some network shares) get a checked
 * rename. Returns the name used; the directory entry is flushed so the rename survives a crash.
 */
export async function moveIntoPlace(part: string, dir: string, name: string, isTaken: (candidate: string) => boolean): Promise<string> {
  let chosen = name;
  for (let tries = 0; tries < 1000; tries++) {
    const target = path.join(dir, chosen);
    try {
      await fs.link(part, target);
      await fs.unlink(part);
      await syncDir(dir);
      return chosen;
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') {
        chosen = uniqueFilename(name, (candidate) => candidate === chosen || isTaken(candidate));
        continue;
      }
      if (err.code === 'EPERM' || err.code === 'ENOTSUP' || err.code === 'EOPNOTSUPP' || err.code === 'EXDEV' || err.code === 'ENOSYS') {
        if (await exists(target)) {
          chosen = uniqueFilename(name, (candidate) => candidate === chosen || isTaken(candidate));
          continue;
        }
        await fs.rename(part, target).catch((e: NodeJS.ErrnoException) => {
          throw fileErrorFrom(e, 'move the finished file into place', target);
        });
        await syncDir(dir);
        return chosen;
      }
      throw fileErrorFrom(err, 'move the finished file into place', target);
    }
  }
  throw fileErrorFrom(Object.assign(new Error('too many name collisions'), { code: 'EEXIST' }), 'find a free file name', dir);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Flushes a directory entry; some platforms cannot open directories, which is fine. */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: Windows cannot fsync a directory handle.
  } finally {
    await handle?.close();
  }
}

/**
 * Completes a download whose bytes are flushed in its part file: verifies the checksum if one
 * was given, then moves the file into place. Returns the name used and the verified checksum.
 * A mismatch deletes the bytes (they are not the file the user asked for) so that a retry
 * starts clean, and says so.
 */
export async function finalize(rec: Readonly<DownloadRecord>, isTaken: (name: string) => boolean): Promise<{ filename: string; checksum?: Checksum }> {
  const part = partPath(rec);
  // The user's checksum wins; without one, a digest the server announced is checked unasked.
  const wanted: Checksum | undefined = rec.checksum ?? rec.digest;
  let checksum: Checksum | undefined;
  if (wanted !== undefined) {
    const actual = await hashFile(part, wanted.algorithm);
    if (actual !== wanted.expected) {
      if (wanted.from === undefined) {
        await fs.rm(part, { force: true });
        throw new HaulError(
          'CHECKSUM_MISMATCH',
          `The downloaded file's ${wanted.algorithm} is ${actual}, not the expected ${wanted.expected}; it was discarded. Check the checksum, or retry to download it again.`,
        );
      }
      // The server's own word against the bytes: kept for a look, never where the file belongs.
      const aside = await moveIntoPlace(part, rec.dir, `${rec.filename}.haul-mismatch`, isTaken);
      throw new HaulError(
        'CHECKSUM_MISMATCH',
        `The server said (${wanted.from}) the file's ${wanted.algorithm} is ${wanted.expected}, but the bytes received hash to ${actual}: they were kept aside as ${aside}, not put in place. Retry to download it again, or tell the site.`,
        { params: { path: path.join(rec.dir, aside) } },
      );
    }
    checksum = { ...wanted, verified: true };
  }
  const filename = await moveIntoPlace(part, rec.dir, rec.filename, isTaken);
  return checksum === undefined ? { filename } : { filename, checksum };
}
