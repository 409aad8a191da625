import fs from 'node:fs/promises';
import path from 'node:path';
import { FileError } from '../errors.ts';
import { fileErrorFrom } from './file-errors.ts';

/** Deeper than this is a path trick or a loop, not a folder a person picked. */
const MAX_DEPTH = 128;

/**
 * Creates `dir` and any missing parents, asynchronously and with a bounded number of steps.
 * Node's recursive mkdir can spin for ever where the kernel says ENOENT for a folder whose
 * parent exists (/proc, sysfs); here each level is tried once after its parent exists, so
 * such a folder fails at once with an error that names it.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const state = await dirState(at);
    if (state === 'dir') break;
    if (state === 'other') throw notAFolder(at, dir);
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at || missing.length > MAX_DEPTH) throw cannotCreate(dir, 'its path does not lead to an existing folder');
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      await fs.mkdir(level);
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (err.code === 'EEXIST' && (await dirState(level)) === 'dir') continue;
      if (err.code === 'ENOENT') throw cannotCreate(dir, `the system refused to create ${level}`, err);
      throw fileErrorFrom(err, 'create the folder', level);
    }
  }
}

async function dirState(at: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await fs.stat(at)).isDirectory() ? 'dir' : 'other';
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    // ENOTDIR: a parent is a file; walking up finds it and names it.
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return 'missing';
    throw fileErrorFrom(err, 'open the folder', at);
  }
}

function notAFolder(at: string, dir: string): FileError {
  return new FileError('FILE_ERROR', `Haul cannot save into ${dir}: ${at} is a file, not a folder. Choose another folder.`);
}

function cannotCreate(dir: string, why: string, cause?: unknown): FileError {
  return new FileError('FILE_ERROR', `Haul could not create the folder ${dir}: ${why}. Choose a folder that exists or can be created.`, { cause });
}
