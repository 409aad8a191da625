import fs from 'node:fs/promises';
import { moveIntoPlace } from '../disk/finalize.ts';
import { fileErrorFrom } from '../disk/file-errors.ts';
import { partPath, type DownloadRecord } from '../records/record.ts';

/** Writes a segment and flushes it: only then does it count as on disk. */
export async function storeSegment(file: string, body: Buffer): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'w', 0o644);
    await handle.writeFile(body);
    await handle.datasync();
  } catch (error) {
    throw fileErrorFrom(error as NodeJS.ErrnoException, 'write a segment', file);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The joined file, written: flushed, then moved into place. */
export async function placeStream(rec: Readonly<DownloadRecord>, isClaimed: (name: string) => boolean): Promise<{ filename: string; size: number }> {
  const part = partPath(rec);
  const handle = await fs.open(part, 'r+');
  let size: number;
  try {
    await handle.datasync();
    size = (await handle.stat()).size;
  } finally {
    await handle.close();
  }
  return { filename: await moveIntoPlace(part, rec.dir, rec.filename, isClaimed), size };
}
