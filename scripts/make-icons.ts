// Renders build/icon.svg at every size the installers and the tray need, with Debian's
// Chromium (headless), and packs them: build/icons/NxN.png (Linux, tray), build/icon.png,
// build/icon.ico (Windows: PNG entries) and build/icon.icns (macOS: PNG entries).
// Run after changing the SVG: `node scripts/make-icons.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../test/helpers/browser.ts';

const root = path.resolve(import.meta.dirname, '..', 'build');
const svg = fs.readFileSync(path.join(root, 'icon.svg'), 'utf8');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const browser = await launchBrowser();
const pngs = new Map<number, Buffer>();
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
    pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    await page.close();
  }
} finally {
  await browser.close();
}

fs.mkdirSync(path.join(root, 'icons'), { recursive: true });
for (const [size, png] of pngs) fs.writeFileSync(path.join(root, 'icons', `${size}x${size}.png`), png);
fs.writeFileSync(path.join(root, 'icon.png'), pngs.get(1024)!);

/** ICO with PNG-compressed entries (Windows Vista and later). */
function ico(sizes: number[]): Buffer {
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  const images = sizes.map((size, i) => {
    const png = pngs.get(size)!;
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
    return png;
  });
  return Buffer.concat([header, ...images]);
}

/** ICNS with PNG entries. */
function icns(): Buffer {
  const types: Array<[string, number]> = [
    ['icp4', 16],
    ['icp5', 32],
    ['icp6', 64],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024],
  ];
  const entries = types.map(([type, size]) => {
    const png = pngs.get(size)!;
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

fs.writeFileSync(path.join(root, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256]));
fs.writeFileSync(path.join(root, 'icon.icns'), icns());
process.stdout.write(`icons written to ${root}\n`);
