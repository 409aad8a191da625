// A download given no folder lands in its category's, by its final name; against a real server.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from '../../../shared/categories.ts';
import { parseSettingsBody } from '../../../shared/settings-body.ts';
import { startEngine } from '../../helpers/engine-harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('categories', () => {
  it('sorts by the final name (the server’s, when it names the file), and keeps a folder that was asked for', async () => {
    const data = testBytes(32 * 1024, 61);
    server = await startTestServer({
      '/movie.mp4': serveBytes(data),
      '/get': serveBytes(data, { contentDisposition: 'attachment; filename="song.mp3"' }),
      '/notes.unknown': serveBytes(data),
    });
    // The app's defaults (a library use of the engine, as haul get, has none).
    const h = startEngine({ defaults: { categories: [...DEFAULT_CATEGORIES] } });
    const [movie, song, other] = h.engine.add({ urls: [server.url('/movie.mp4'), server.url('/get'), server.url('/notes.unknown')] });
    const chosen = tempDir('haul-chosen-');
    h.engine.approveFolder(chosen);
    const [kept] = h.engine.add({ url: server.url('/movie.mp4'), dir: chosen });
    for (const d of [movie, song, other, kept]) await h.waitFor(d?.id ?? '', 'completed');
    expect(h.engine.require(movie?.id ?? '')).toMatchObject({ category: 'Video', dir: path.join(h.downloadDir, 'Video'), filename: 'movie.mp4' });
    expect(h.engine.require(song?.id ?? '')).toMatchObject({ category: 'Music', dir: path.join(h.downloadDir, 'Music'), filename: 'song.mp3' });
    expect(h.engine.require(other?.id ?? '')).toMatchObject({ dir: h.downloadDir, filename: 'notes.unknown' });
    expect(h.engine.require(other?.id ?? '').category).toBeUndefined();
    expect(h.engine.require(kept?.id ?? '')).toMatchObject({ dir: chosen, filename: 'movie.mp4' });
    expect(sha256(fs.readFileSync(path.join(h.downloadDir, 'Music', 'song.mp3')))).toBe(sha256(data));
  });

  it('follows the categories of the settings, and refuses a folder outside the download folder', async () => {
    server = await startTestServer({ '/a.iso': serveBytes(testBytes(1024, 62)) });
    const h = startEngine();
    h.engine.updateSettings({ categories: [{ name: 'Disks', extensions: ['ISO', 'img'], dir: 'media/disks' }] });
    const [d] = h.engine.add({ url: server.url('/a.iso') });
    await h.waitFor(d?.id ?? '', 'completed');
    expect(h.engine.require(d?.id ?? '')).toMatchObject({ category: 'Disks', dir: path.join(h.downloadDir, 'media', 'disks') });
    for (const dir of ['../elsewhere', '/etc', 'a/../../b', '']) {
      const parsed = parseSettingsBody({ categories: [{ name: 'X', extensions: ['x'], dir }] });
      expect(parsed.ok ? 'accepted' : parsed.message, dir).toMatch(/"categories\[0\].dir" must be a folder below the download folder/u);
    }
    expect(
      parseSettingsBody({
        categories: [
          { name: 'A', extensions: ['a'], dir: 'a' },
          { name: 'a', extensions: ['b'], dir: 'b' },
        ],
      }),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/is there twice/u) });
  });
});
