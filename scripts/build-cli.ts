// Bundles the command-line entry (engine + CLI) into plain JS. Running bundled JS instead of
// type-stripped sources halves start-up time and memory (no TypeScript transform at run time),
// which matters for `haul get`'s peak RSS. Each command is its own chunk, loaded when it runs,
// so `haul --version` or a usage mistake loads almost nothing; every chunk sits beside the
// entry, since code that finds files from its own place (serve finds the interface) must see
// the same folder. bin/haul.js uses the bundle only while it is newer than every source file,
// so a stale build is never run.
import fs from 'node:fs';
import path from 'node:path';
import { rolldown } from 'rolldown';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/cli');
fs.rmSync(out, { recursive: true, force: true });
const bundle = await rolldown({
  // The stream remux runs in a worker thread, from its own file beside the others (see remux-runner.ts).
  // So does the torrent client (see torrent-host.ts); WebTorrent and its parts stay in node_modules, loaded as they are.
  input: {
    haul: path.join(root, 'electron/cli/main.ts'),
    'remux-worker': path.join(root, 'electron/engine/media/remux-worker.ts'),
    'torrent-worker': path.join(root, 'electron/engine/torrent/torrent-worker.ts'),
  },
  platform: 'node',
  external: [/^node:/u, 'undici', 'ioredis', 'ws', 'webtorrent', 'parse-torrent', 'yauzl', 'tar'],
});
await bundle.write({ dir: out, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' });
await bundle.close();
