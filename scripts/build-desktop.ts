// Bundles the Electron main process (ESM) and its preload (CommonJS: a sandboxed preload
// must be) into dist/electron. Electron itself and the runtime dependencies stay external.
import { rolldown } from 'rolldown';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/electron');

const main = await rolldown({
  input: path.join(root, 'electron/main.ts'),
  platform: 'node',
  external: [/^node:/u, 'electron', 'undici', 'content-disposition', 'ioredis', 'ws', 'webtorrent', 'parse-torrent', 'yauzl', 'tar'],
});
await main.write({ file: path.join(out, 'main.js'), format: 'esm', codeSplitting: false });
await main.close();

// The stream remux runs in a worker thread: its own file beside main.js (see remux-runner.ts).
const remux = await rolldown({ input: path.join(root, 'electron/engine/media/remux-worker.ts'), platform: 'node', external: [/^node:/u] });
await remux.write({ file: path.join(out, 'remux-worker.mjs'), format: 'esm', codeSplitting: false });
await remux.close();

// The torrent client too (see torrent-host.ts), WebTorrent bundled in: a worker thread starts from
// a real file outside the app's archive, where node_modules is not.
const torrent = await rolldown({
  input: path.join(root, 'electron/engine/torrent/torrent-worker.ts'),
  platform: 'node',
  external: [/^node:/u],
});
await torrent.write({ file: path.join(out, 'torrent-worker.mjs'), format: 'esm', codeSplitting: false });
await torrent.close();

const preload = await rolldown({
  input: path.join(root, 'electron/preload.ts'),
  platform: 'node',
  external: ['electron'],
});
await preload.write({ file: path.join(out, 'preload.cjs'), format: 'cjs' });
await preload.close();
