import fs from 'node:fs/promises';
import { moveIntoPlace } from '../disk/finalize.ts';
import type { Category } from '../../../shared/categories.ts';
import { fileErrorFrom } from '../disk/file-errors.ts';
import { placeInCategory } from '../disk/place-in-category.ts';
import { reserveName } from '../disk/reserve-name.ts';
import type { RecordBook } from '../records/record-book.ts';
import { partPath, segmentsDir, type DownloadRecord } from '../records/record.ts';

/**
 * Reserves the video's name on disk (with the container's extension unless the user named
 * it), sorted into its category's folder when the download was given none.
 */
export async function reserveVideoName(book: RecordBook, id: string, extension: 'ts' | 'mp4', categories: readonly Category[]): Promise<void> {
  const rec = book.require(id);
  if (rec.filenameFixed) return;
  const wanted = rec.filenameRequested ? rec.filename : rec.filename.replace(/\.(mp4|ts)$/iu, `.${extension}`);
  placeInCategory(book, id, wanted, categories);
  const dir = book.require(id).dir;
  const reserved = await reserveName(dir, wanted, (name) => book.isClaimed(dir, name, rec.id));
  await reserved.handle.close();
  book.apply(id, { kind: 'filename', filename: reserved.filename });
}

/** The folder a stream's segments wait in, and the empty file they are joined into. */
export async function makeStreamFiles(rec: Readonly<DownloadRecord>): Promise<{ dir: string; part: string }> {
  const dir = segmentsDir(rec);
  await fs.mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw fileErrorFrom(error, 'make the folder for the segments', dir);
  });
  const part = partPath(rec);
  await fs.writeFile(part, '', { flag: 'a' }).catch((error: NodeJS.ErrnoException) => {
    throw fileErrorFrom(error, 'make the video file', part);
  });
  return { dir, part };
}

/** The joined file, written: flushed, then moved into place. */
export async function placeStream(rec: Readonly<DownloadRecord>, isClaimed: (name: string) => boolean): Promise<{ filename: string; size: number }> {
  const part = partPath(rec);
  const size = await flushFile(part, 'flush the video');
  return { filename: await moveIntoPlace(part, rec.dir, rec.filename, isClaimed), size };
}

/** Flushes a written file's bytes to the disk; returns its size. A failure names the file and what Haul was doing (`action`). */
export async function flushFile(file: string, action: string): Promise<number> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r+');
    await handle.datasync();
    return (await handle.stat()).size;
  } catch (error) {
    throw fileErrorFrom(error as NodeJS.ErrnoException, action, file);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
