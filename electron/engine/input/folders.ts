import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.ts';
import type { DownloadStore } from '../store/download-store.ts';

/**
 * Where downloads may be saved: inside the download folder, or inside a folder the user
 * picked on this machine (the desktop app's folder dialog, `haul get -d`). An API client,
 * which may be a script or a page holding the token, cannot name any other folder, so it
 * cannot drop a file into `/etc/cron.d` or `~/.ssh`; folders are only ever created inside
 * these roots. The one owner of the list of picked folders.
 */
export class ApprovedFolders {
  readonly #store: DownloadStore;
  #picked: string[];

  constructor(store: DownloadStore) {
    this.#store = store;
    this.#picked = store.loadApprovedFolders();
  }

  /** Records that the user picked `dir` themselves. */
  approve(dir: string): void {
    const resolved = path.resolve(dir);
    if (this.#picked.includes(resolved)) return;
    this.#picked = [...this.#picked, resolved];
    this.#store.saveApprovedFolders(this.#picked);
  }

  /**
   * Where a new download goes: `root` when no `dir` is asked for; else `dir`, checked. A user's
   * download (`ownRootOnly`, accounts on) must stay inside their own folder.
   */
  place(dir: string | undefined, root: string, ownRootOnly: boolean): string {
    if (dir === undefined) return root;
    if (!ownRootOnly) return this.check(dir, root, 'dir');
    const resolved = path.resolve(dir);
    if (inside(resolved, [root])) return resolved;
    throw new InputError('INVALID_FIELD', `"dir": ${resolved} is outside your download folder (${root}).`, 'dir');
  }

  /** `dir` resolved, if it lies inside the download folder or a picked folder; else an error naming the field. */
  check(dir: string, downloadDir: string, field: string): string {
    const resolved = path.resolve(dir);
    if (inside(resolved, [downloadDir, ...this.#picked])) return resolved;
    throw new InputError(
      'INVALID_FIELD',
      `"${field}": ${resolved} is outside the download folder (${path.resolve(downloadDir)}) and the folders you picked. Pick it in Haul's folder dialog, or make it the download folder in Settings, then try again.`,
      field,
    );
  }
}

/**
 * Whether `dir` lies in one of `roots`, comparing real paths: a symbolic link inside a root
 * that points elsewhere (to `/etc`, to another user's folder) does not count as inside.
 */
function inside(dir: string, roots: readonly string[]): boolean {
  const real = realPath(dir);
  return roots.some((root) => under(real, realPath(path.resolve(root))));
}

/** Whether the path `p` is `base` or lies below it (plain path comparison, no links followed). */
function under(p: string, base: string): boolean {
  return p === base || p.startsWith(base.endsWith(path.sep) ? base : `${base}${path.sep}`);
}

/** The real path of `target`: its deepest existing folder with every link resolved, and the rest (still to be created) as given. */
function realPath(target: string): string {
  let existing = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return target;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * Folders no download folder may be (or lie in): the system's own. Downloads written there
 * could replace programs, settings or devices. The root and a few parents are refused only as
 * themselves, so `/home/ann/Downloads` or `/var/downloads` stay possible.
 */
export const SYSTEM_FOLDERS = {
  within: [
    '/bin',
    '/boot',
    '/dev',
    '/etc',
    '/lib',
    '/lib32',
    '/lib64',
    '/libx32',
    '/proc',
    '/run',
    '/sbin',
    '/sys',
    '/usr',
    '/var/lib',
    '/var/log',
    '/var/spool',
    '/var/cache',
    '/var/run',
    '/System',
    '/Library',
    '/private/etc',
  ],
  exactly: ['/', '/home', '/var', '/Users', '/private'],
} as const;

/** Refuses `dir` as a download folder when it is a system folder or lies in Haul's own data folder (compared by real path). */
export function assertDownloadFolderAllowed(dir: string, dataDir: string | undefined, field = 'downloadDir'): void {
  const given = path.resolve(dir);
  const real = realPath(given);
  const reason =
    [given, real].some((p) => SYSTEM_FOLDERS.exactly.some((f) => p === f) || SYSTEM_FOLDERS.within.some((f) => under(p, f))) || inside(real, SYSTEM_FOLDERS.within)
      ? 'is a system folder'
      : dataDir !== undefined && inside(real, [dataDir])
        ? "is Haul's data folder (its database and token live there)"
        : undefined;
  if (reason !== undefined) throw new InputError('INVALID_FIELD', `"${field}": ${dir} ${reason}; choose a folder of your own, such as one in your home folder.`, field);
}
