import fs from 'node:fs/promises';
import path from 'node:path';
import { uniqueFilename } from '../input/filename.ts';
import { partPath } from '../records/record.ts';
import { ensureDir } from './ensure-dir.ts';
import { fileErrorFrom } from './file-errors.ts';

/** Candidate names tried before giving up (`name (1)`, `name (2)`, …). */
const MAX_NAME_TRIES = 1000;

/**
 * Reserves `name` (or `name (1)`, …) in `dir` by creating its part file exclusively, so no
 * other program or download can take it meanwhile. Returns the name and the open part file.
 */
export async function reserveName(dir: string, name: string, isClaimed: (candidate: string) => boolean): Promise<{ filename: string; handle: fs.FileHandle }> {
  await ensureDir(dir);
  const tried = new Set<string>();
  for (let n = 0; n < MAX_NAME_TRIES; n++) {
    const candidate = uniqueFilename(name, (c) => tried.has(c) || isClaimed(c));
    tried.add(candidate);
    if (await exists(path.join(dir, candidate))) continue;
    const part = partPath({ dir, filename: candidate });
    try {
      return { filename: candidate, handle: await fs.open(part, 'wx+', 0o644) };
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (err.code !== 'EEXIST') throw fileErrorFrom(err, 'create the download file', part);
    }
  }
  throw fileErrorFrom(Object.assign(new Error('every candidate name is taken'), { code: 'EEXIST' }), 'find a free file name', dir);
}

/** Whether anything (a dangling link too) has the name. */
async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}
