// `npm run build:extension`: bundles extension/ for Chromium (Chrome, Edge, Brave) and Firefox
// from one source, into dist/extension/<target>/ (load it unpacked) and a zip per store
// (dist/extension/haul-<target>-<version>.zip). fflate writes the zips: no system zip needed.
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { rolldown } from 'rolldown';
import { manifestFor, type Target } from '../extension/manifest.ts';
import { HAUL_VERSION } from '../shared/version.ts';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'extension');
const out = path.join(root, 'dist', 'extension');
const ENTRIES = ['background', 'content', 'popup', 'options', 'picker'];
const ICONS = [16, 48, 128];

async function bundle(entry: string, dir: string, target: Target): Promise<void> {
  // The target is a constant, so each build keeps only its own browser's capture code.
  const build = await rolldown({ input: path.join(source, 'src', `${entry}.ts`), platform: 'browser', transform: { define: { __HAUL_TARGET__: JSON.stringify(target) } } });
  // One classic script per page or worker: both browsers load it, with no module loader.
  await build.write({ file: path.join(dir, `${entry}.js`), format: 'iife' });
  await build.close();
}

function filesUnder(dir: string, prefix = ''): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, filesUnder(path.join(dir, entry.name), `${name}/`));
    else files[name] = fs.readFileSync(path.join(dir, entry.name));
  }
  return files;
}

fs.rmSync(out, { recursive: true, force: true });
for (const target of ['chromium', 'firefox'] as Target[]) {
  const dir = path.join(out, target);
  fs.mkdirSync(path.join(dir, 'icons'), { recursive: true });
  for (const entry of ENTRIES) await bundle(entry, dir, target);
  for (const file of fs.readdirSync(path.join(source, 'static'))) fs.copyFileSync(path.join(source, 'static', file), path.join(dir, file));
  for (const size of ICONS) fs.copyFileSync(path.join(root, 'build', 'icons', `${size}x${size}.png`), path.join(dir, 'icons', `${size}.png`));
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifestFor(target), null, 2)}\n`);
  fs.writeFileSync(path.join(out, `haul-${target}-${HAUL_VERSION}.zip`), zipSync(filesUnder(dir), { level: 9 }));
}
process.stdout.write(`Extension built: ${path.relative(root, out)}/{chromium,firefox} and their zips.\n`);
