import path from 'node:path';
import { InputError } from './errors.ts';
import type { DownloadStore } from './store/download-store.ts';

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
    if (resolved === root || resolved.startsWith(`${root}${path.sep}`)) return resolved;
    throw new InputError('INVALID_FIELD', `"dir": ${resolved} is outside your download folder (${root}).`, 'dir');
  }

  /** `dir` resolved, if it lies inside the download folder or a picked folder; else an error naming the field. */
  check(dir: string, downloadDir: string, field: string): string {
    const resolved = path.resolve(dir);
    const roots = [downloadDir, ...this.#picked].map((root) => path.resolve(root));
    if (roots.some((root) => resolved === root || resolved.startsWith(`${root}${path.sep}`))) return resolved;
    throw new InputError(
      'INVALID_FIELD',
      `"${field}": ${resolved} is outside the download folder (${path.resolve(downloadDir)}) and the folders you picked. Pick it in Haul's folder dialog, or make it the download folder in Settings, then try again.`,
      field,
    );
  }
}
