#!/usr/bin/env -S node --max-semi-space-size=1
// The `haul` command. A 1 MiB young generation keeps `haul get` lean: transfers allocate
// little, so a small nursery costs nothing and saves ~40 MiB of peak RSS.
//
// Runs the bundled CLI (dist/, built by `npm run build:cli` on install) when it is newer
// than every source file; otherwise the TypeScript sources directly, so edits take effect
// at once and a stale bundle is never run.
import { readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node keeps the compiled code of what it loads (in the system's temporary folder), so a
// second run skips compiling the bundle: most of a short command's start-up.
module.enableCompileCache?.();

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/cli/haul.mjs`;

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    const time = entry.isDirectory() ? newest(full) : statSync(full).mtimeMs;
    if (time > latest) latest = time;
  }
  return latest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= Math.max(newest(`${root}electron`), newest(`${root}shared`));
  } catch {
    return false;
  }
}

if (bundleIsFresh()) await import(bundle);
else await import('../electron/cli/main.ts');
