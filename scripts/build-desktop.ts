// Bundles the Electron main process (ESM) and its preload (CommonJS: a sandboxed preload
// must be) into dist/electron. Electron itself and the runtime dependencies stay external.
import { rolldown } from 'rolldown';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/electron');

const main = await rolldown({
  input: path.join(root, 'electron/main.ts'),
  platform: 'node',
  external: [/^node:/u, 'electron', 'undici', 'content-disposition', 'ioredis', 'ws'],
});
await main.write({ file: path.join(out, 'main.js'), format: 'esm', codeSplitting: false });
await main.close();

// The stream remux runs in a worker thread: its own file beside main.js (see remux-runner.ts).
const remux = await rolldown({ input: path.join(root, 'electron/engine/media/remux-worker.ts'), platform: 'node', external: [/^node:/u] });
await remux.write({ file: path.join(out, 'remux-worker.mjs'), format: 'esm', codeSplitting: false });
await remux.close();

const preload = await rolldown({
  input: path.join(root, 'electron/preload.ts'),
  platform: 'node',
  external: ['electron'],
});
await preload.write({ file: path.join(out, 'preload.cjs'), format: 'cjs' });
await preload.close();
