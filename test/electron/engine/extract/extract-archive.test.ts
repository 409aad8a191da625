// The extract action's archive reader against archives from the real zip and tar, and against
// hostile ones (escaping paths, links, bombs, lying sizes) written byte by byte.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArchive } from '../../../../electron/engine/extract/extract-archive.ts';
import { craftTar, craftZip, type CraftedEntry } from '../../../helpers/archives.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';

const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** Every file under `dir`, relative, sorted. */
const tree = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile() || d.isSymbolicLink())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();

function honestFolder(root: string): string {
  const src = path.join(root, 'photos');
  fs.mkdirSync(path.join(src, 'trip', '日本'), { recursive: true });
  fs.writeFileSync(path.join(src, 'readme.txt'), 'hello\n');
  fs.writeFileSync(path.join(src, 'trip', 'big.bin'), crypto.randomBytes(3 * 1024 * 1024 + 17));
  fs.writeFileSync(path.join(src, 'trip', '日本', '富士山.jpg'), crypto.randomBytes(5000));
  return src;
}

const HOSTILE: CraftedEntry[] = [
  { name: '../evil.txt', data: Buffer.from('escaped') },
  { name: '/tmp/haul-abs-evil.txt', data: Buffer.from('absolute') },
  { name: 'a/../../up.txt', data: Buffer.from('climbed') },
  { name: 'C:\\Windows\\win.txt', data: Buffer.from('drive') },
  { name: 'passwd', link: '/etc/passwd' },
  { name: 'ok/fine.txt', data: Buffer.from('fine') },
  { name: 'ok/fine.txt', data: Buffer.from('again') },
];
const HOSTILE_REFUSED = [
  { name: '../evil.txt', reason: 'leaves the folder (..)' },
  { name: '/tmp/haul-abs-evil.txt', reason: 'is an absolute path' },
  { name: 'a/../../up.txt', reason: 'leaves the folder (..)' },
  { name: 'C:\\Windows\\win.txt', reason: 'is an absolute path' },
  { name: 'passwd', reason: 'is a link' },
  { name: 'ok/fine.txt', reason: 'is in the archive twice' },
];

describe('extracting an archive', () => {
  it('extracts a zip made by zip and a tar.gz made by tar, byte for byte, beside the archive', async () => {
    const root = tempDir('haul-extract-');
    const src = honestFolder(root);
    const out = path.join(root, 'out');
    fs.mkdirSync(out);
    execFileSync('zip', ['-qr', path.join(out, 'photos.zip'), 'photos'], { cwd: root });
    execFileSync('tar', ['czf', path.join(out, 'photos.tar.gz'), 'photos'], { cwd: root });
    const zip = await extractArchive(path.join(out, 'photos.zip'));
    const tgz = await extractArchive(path.join(out, 'photos.tar.gz'));
    expect(zip).toMatchObject({ kind: 'extracted', folder: path.join(out, 'photos'), files: 3, refused: [] });
    // The second lands beside the first, not into it.
    expect(tgz).toMatchObject({ kind: 'extracted', folder: path.join(out, 'photos (1)'), files: 3, refused: [] });
    const want = tree(src).map((f) => [path.join('photos', f), sha(path.join(src, f))]);
    for (const folder of ['photos', 'photos (1)']) expect(tree(path.join(out, folder)).map((f) => [f, sha(path.join(out, folder, f))])).toEqual(want);
    expect(fs.readdirSync(out).sort()).toEqual(['photos', 'photos (1)', 'photos.tar.gz', 'photos.zip']);
  });

  it.each([
    ['zip', 'evil.zip', craftZip(HOSTILE)],
    ['tar.gz', 'evil.tar.gz', craftTar(HOSTILE, true)],
    ['tar', 'evil.tar', craftTar(HOSTILE)],
  ])('refuses a hostile %s’s escaping paths, links and repeats by name and keeps the rest', async (_, name, bytes) => {
    const root = tempDir('haul-extract-');
    const dir = path.join(root, 'downloads');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, name), bytes);
    const outcome = await extractArchive(path.join(dir, name));
    // yauzl reads a zip's backslashes as the slashes they mean.
    const refused = HOSTILE_REFUSED.map((r) => (name.endsWith('.zip') ? { ...r, name: r.name.replaceAll('\\', '/') } : r));
    expect(outcome).toEqual({ kind: 'extracted', folder: path.join(dir, 'evil'), files: 1, bytes: 4, refused });
    expect(tree(path.join(dir, 'evil'))).toEqual([path.join('ok', 'fine.txt')]);
    expect(fs.readFileSync(path.join(dir, 'evil', 'ok', 'fine.txt'), 'utf8')).toBe('fine');
    expect(fs.readdirSync(root)).toEqual(['downloads']);
    expect(fs.readdirSync(dir).sort()).toEqual(['evil', name]);
    expect(fs.existsSync('/tmp/haul-abs-evil.txt')).toBe(false);
  });

  it.each([
    ['zip', 'bomb.zip', craftZip([{ name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }])],
    ['tar.gz', 'bomb.tar.gz', craftTar([{ name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }], true)],
  ])('abandons a %s that expands past its bound and keeps nothing of it', async (_, name, bytes) => {
    const dir = tempDir('haul-extract-');
    fs.writeFileSync(path.join(dir, name), bytes);
    const outcome = await extractArchive(path.join(dir, name), { maxEntries: 100, maxBytes: 1024 ** 3, maxRatio: 50, ratioFloor: 1024 * 1024 });
    expect(outcome).toEqual({ kind: 'failed', reason: expect.stringMatching(/^it (would )?expands? past 1048576 bytes$/u) });
    expect(fs.readdirSync(dir)).toEqual([name]);
  });

  it('abandons a zip whose entry is bigger than it says, and one with too many entries', async () => {
    const dir = tempDir('haul-extract-');
    fs.writeFileSync(path.join(dir, 'liar.zip'), craftZip([{ name: 'a.bin', data: Buffer.alloc(100_000, 7), declaredSize: 1000 }]));
    fs.writeFileSync(path.join(dir, 'many.zip'), craftZip(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from(String(i)) }))));
    expect(await extractArchive(path.join(dir, 'liar.zip'))).toEqual({ kind: 'failed', reason: expect.stringMatching(/^the archive could not be read: .*too many bytes/u) });
    expect(await extractArchive(path.join(dir, 'many.zip'), { maxEntries: 10, maxBytes: 1024 ** 3, maxRatio: 100, ratioFloor: 1024 ** 2 })).toEqual({
      kind: 'failed',
      reason: 'it has more than 10 entries',
    });
    expect(fs.readdirSync(dir).sort()).toEqual(['liar.zip', 'many.zip']);
  });

  it('leaves a file that is no archive alone', async () => {
    const dir = tempDir('haul-extract-');
    fs.writeFileSync(path.join(dir, 'notes.zip'), 'just text, named like a zip');
    fs.writeFileSync(path.join(dir, 'single.gz'), craftTar([{ name: 'x', data: Buffer.from('x') }], true));
    expect(await extractArchive(path.join(dir, 'notes.zip'))).toEqual({ kind: 'not-an-archive' });
    expect(await extractArchive(path.join(dir, 'single.gz'))).toEqual({ kind: 'not-an-archive' });
    expect(fs.readdirSync(dir).sort()).toEqual(['notes.zip', 'single.gz']);
  });
});
