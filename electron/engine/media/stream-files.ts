import fs from 'node:fs/promises';
import { moveIntoPlace } from '../disk/finalize.ts';
import { fileErrorFrom } from '../disk/file-errors.ts';
import { partPath, segmentsDir, type DownloadRecord } from '../records/record.ts';

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
