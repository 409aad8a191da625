// Haul downloads torrents from a real swarm on loopback: opentracker and aria2c seeding files
// made by mktorrent. Every byte compared with the seed's by hash.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { makeTorrent, randomFiles, startAria2, startTracker, stopSwarm, sumsOf, swarmToolsMissing, trackerAddress, seededSwarm } from '../../../helpers/swarm.ts';

beforeAll(() => {
  const missing = swarmToolsMissing();
  if (missing !== undefined) throw new Error(missing);
});
afterEach(stopSwarm);

/** Torrents on loopback only: the tracker given, nothing else. */
const LOCAL = { torrent: { port: 0, dht: false, lsd: false, pex: false, trackers: true } };

describe('torrents from a real swarm', () => {
  it('downloads a single-file torrent given as a .torrent file, byte for byte, and moves it into place only when done', async () => {
    const seed = randomFiles({ 'movie.bin': 3 * 1024 * 1024 + 123 });
    const at = await trackerAddress();
    const torrent = makeTorrent(path.join(seed.dir, 'movie.bin'), at.announce);
    await startTracker(at, [torrent.infoHash]);
    await startAria2(torrent.file, seed.dir, { seed: true });
    const h = startEngine();
    h.engine.updateSettings(LOCAL);
    // Into a folder that does not exist yet: made when the torrent starts.
    const dir = path.join(h.downloadDir, 'new', 'films');
    const [d] = h.engine.add({ torrent: torrent.bytes.toString('base64'), dir });
    expect(d).toMatchObject({ filename: 'movie.bin', total: 3 * 1024 * 1024 + 123, torrent: { infoHash: torrent.infoHash, name: 'movie.bin' } });
    await h.waitFor(d?.id ?? '', 'completed', 60_000);
    expect(sumsOf(dir)).toEqual({ 'movie.bin': seed.sums['movie.bin'] });
    expect(fs.readdirSync(dir)).toEqual(['movie.bin']);
  }, 60_000);

  it("listens on another port when the one in Settings is another program's, and downloads", async () => {
    const { seed, torrent } = await seededSwarm({ 'taken.bin': 700_000 }, 'taken.bin');
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, resolve));
    try {
      const h = startEngine();
      h.engine.updateSettings({ torrent: { ...LOCAL.torrent, port: (other.address() as net.AddressInfo).port } });
      const [d] = h.engine.add({ torrent: torrent.bytes.toString('base64') });
      await h.waitFor(d?.id ?? '', 'completed', 60_000);
      expect(sumsOf(h.downloadDir)).toEqual({ 'taken.bin': seed.sums['taken.bin'] });
    } finally {
      other.close();
    }
  }, 60_000);

  it('downloads two files of three from a multi-file torrent', async () => {
    const seed = randomFiles({ 'album/a.bin': 700_000, 'album/sub/b.bin': 1_300_000, 'album/c.bin': 900_000 });
    const at = await trackerAddress();
    const final = makeTorrent(path.join(seed.dir, 'album'), at.announce);
    await startTracker(at, [final.infoHash]);
    await startAria2(final.file, seed.dir, { seed: true });
    const h = startEngine();
    h.engine.updateSettings(LOCAL);
    const [d] = h.engine.add({ torrent: final.bytes.toString('base64'), files: [0, 2] });
    const files = d?.torrent?.files?.map((f) => [f.path, f.selected]);
    expect(files).toHaveLength(3);
    await h.waitFor(d?.id ?? '', 'completed', 60_000);
    const got = sumsOf(h.downloadDir);
    const want = Object.fromEntries((d?.torrent?.files ?? []).filter((f) => f.selected).map((f) => [f.path, seed.sums[f.path]]));
    expect(got).toEqual(want);
    expect(Object.keys(got)).toHaveLength(2);
  }, 60_000);
});
