import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { afterEach } from 'vitest';
import { tempDir } from './temp-dir.ts';

const mounted: string[] = [];
// Registered before tempDir's own clean-up runs for these folders: unmount first, then remove.
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
});

/**
 * A real, tiny filesystem (tmpfs of `kib` KiB) mounted for one test, so "the disk is full"
 * is the kernel's answer, not a mock. Needs root (CI and these machines run as root); where
 * mounting is not allowed it returns undefined and the caller skips, saying why.
 */
export function tinyDisk(kib: number): string | undefined {
  const dir = tempDir('haul-tiny-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    return undefined;
  }
  mounted.push(dir);
  return dir;
}

/** Fills the filesystem holding `dir` to the last block. */
export function fillDisk(dir: string): void {
  const block = Buffer.alloc(4096);
  const fd = fs.openSync(`${dir}/filler`, 'w');
  try {
    for (;;) fs.writeSync(fd, block);
  } catch {
    // ENOSPC: full.
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether this machine lets the tests mount a tmpfs (probed once, and unmounted at once). */
export const canMount = ((): boolean => {
  const dir = fs.mkdtempSync(`${os.tmpdir()}/haul-mount-probe-`);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmdirSync(dir);
  }
})();
