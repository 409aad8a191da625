// Bundles the command-line entry (engine + CLI) into one plain-JS file. Running bundled JS
// instead of type-stripped sources halves start-up time and memory (no TypeScript transform
// at run time), which matters for `haul get`'s peak RSS. bin/haul.js uses the bundle only
// while it is newer than every source file, so a stale build is never run.
import { rolldown } from 'rolldown';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bundle = await rolldown({
  input: path.join(root, 'electron/cli/main.ts'),
  platform: 'node',
  external: [/^node:/u, 'undici', 'content-disposition', 'ioredis'],
  // One file: the Redis cluster is loaded with a dynamic import (ioredis only with --redis), inlined here.
});
await bundle.write({ file: path.join(root, 'dist/cli/haul.mjs'), format: 'esm', codeSplitting: false });
await bundle.close();
