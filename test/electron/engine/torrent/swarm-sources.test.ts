// The other ways a torrent arrives (a magnet link, its metadata from a real aria2c; a .torrent
// served over HTTP), Haul seeding to a real aria2c, and torrents Haul must refuse.
import bencode from 'bencode';
import fs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { freePort } from '../../../helpers/proxies.ts';
import { startAria2, stopSwarm, sumsOf, swarmToolsMissing, seededSwarm } from '../../../helpers/swarm.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, type TestServer } from '../../../helpers/test-server.ts';
import { waitUntil } from '../../../helpers/wait.ts';

let files: TestServer | undefined;
beforeAll(() => {
  const missing = swarmToolsMissing();
  if (missing !== undefined) throw new Error(missing);
});
afterEach(async () => {
  await stopSwarm();
  await files?.close();
  files = undefined;
});

const LOCAL = { port: 0, dht: false, lsd: false, pex: false, trackers: true };

/** A seeded single-file torrent: the file's sums, the torrent, its tracker (over HTTP, or UDP when asked). */
function seeded(size: number, udp = false) {
  return seededSwarm({ 'clip.bin': size }, 'clip.bin', { udp });
}

describe('torrents by magnet link and over HTTP', () => {
  it('takes a magnet link: the metadata comes from the aria2c peer, then the file, byte for byte', async () => {
    const { seed, at, torrent } = await seeded(2 * 1024 * 1024 + 5);
    const h = startEngine();
    h.engine.updateSettings({ torrent: LOCAL });
    const [d] = h.engine.add({ url: `magnet:?xt=urn:btih:${torrent.infoHash}&dn=from-magnet&tr=${encodeURIComponent(at.announce)}` });
    expect(d).toMatchObject({ filename: 'from-magnet', total: null, torrent: { infoHash: torrent.infoHash } });
    const done = await h.waitFor(d?.id ?? '', 'completed', 45_000);
    expect(done).toMatchObject({ filename: 'clip.bin', total: 2 * 1024 * 1024 + 5, torrent: { name: 'clip.bin', pieces: 33 } });
    expect(sumsOf(h.downloadDir)).toEqual({ 'clip.bin': seed.sums['clip.bin'] });
  }, 60_000);

  it('takes a .torrent served over HTTP as the torrent it describes, its tracker spoken to over UDP', async () => {
    const { seed, torrent } = await seeded(1024 * 1024, true);
    files = await startTestServer({ '/get/latest.torrent': serveBytes(torrent.bytes, { extraHeaders: { 'content-type': 'application/x-bittorrent' } }) });
    const h = startEngine();
    h.engine.updateSettings({ torrent: LOCAL });
    const [d] = h.engine.add({ url: files.url('/get/latest.torrent') });
    const done = await h.waitFor(d?.id ?? '', 'completed', 45_000);
    expect(done).toMatchObject({ filename: 'clip.bin', torrent: { infoHash: torrent.infoHash } });
    expect(sumsOf(h.downloadDir)).toEqual({ 'clip.bin': seed.sums['clip.bin'] });
    expect(h.engine.details(d?.id ?? '').log.map((e) => e.detail)).toContain('a .torrent file: its files are downloaded as clip.bin');
  }, 60_000);

  it('seeds what it downloaded, on after a restart: a real aria2c gets the file from Haul alone, and seeding ends at the ratio', async () => {
    const { seed, torrent, peer } = await seeded(1536 * 1024);
    const first = startEngine();
    first.engine.updateSettings({ torrent: { ...LOCAL, port: await freePort(), seedRatio: 1, seedMinutes: 60 } });
    const [d] = first.engine.add({ torrent: torrent.bytes.toString('base64') });
    const id = d?.id ?? '';
    await first.waitFor(id, 'completed', 45_000);
    await waitUntil(() => first.engine.get(id)?.torrent?.seeding === true, 10_000, 'Haul seeding');
    peer.child.kill('SIGKILL');
    // Haul restarts while it seeds: it seeds on.
    await first.engine.shutdown();
    first.store.close();
    const h = startEngine({ dataDir: first.dataDir, downloadDir: first.downloadDir });
    expect(h.engine.get(id)?.torrent?.seeding).toBe(true);
    // Every one of the 24 pieces is in the record it seeds from (a late, older checkpoint once took the last out).
    const have = h.store.loadDownloads().find((r) => r.id === id)?.torrent?.have ?? '';
    expect(Buffer.from(have, 'base64').toString('hex')).toBe('ffffff');
    const leech = tempDir('haul-leech-');
    const other = await startAria2(torrent.file, leech, { seed: false, extra: ['--seed-time=0'] });
    await waitUntil(() => other.child.exitCode !== null, 45_000, 'aria2c downloading from Haul').catch((error: Error) => {
      throw new Error(`${error.message}; Haul: ${JSON.stringify(h.engine.get(id)?.torrent)}; aria2c: ${fs.readFileSync(other.log, 'utf8').split('\n').slice(-20).join('\n')}`);
    });
    expect(other.child.exitCode).toBe(0);
    expect(sumsOf(leech)).toEqual({ 'clip.bin': seed.sums['clip.bin'] });
    await waitUntil(() => h.engine.get(id)?.torrent?.seeding === false, 15_000, 'seeding ended at ratio 1');
    expect(h.engine.get(id)?.torrent?.uploaded).toBeGreaterThanOrEqual(1536 * 1024);
    expect(h.engine.details(id).log.map((e) => e.detail ?? '')).toContainEqual(expect.stringMatching(/^seeding ended: ratio 1\.\d\d reached$/u));
  }, 90_000);
});

describe('torrents Haul refuses', () => {
  const info = (files: unknown) => ({ name: Buffer.from('pack'), 'piece length': 16384, pieces: Buffer.alloc(20), files });

  it('refuses a damaged .torrent, naming what is wrong', () => {
    const h = startEngine();
    const refused = (torrent: Buffer): string => {
      try {
        h.engine.add({ torrent: torrent.toString('base64') });
        return 'accepted';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    expect(refused(Buffer.from('this is not a torrent'))).toMatch(/^BAD_TORRENT: The torrent cannot be used: it is not bencoded data/u);
    expect(refused(Buffer.from(bencode.encode({ announce: Buffer.from('x') })))).toBe('BAD_TORRENT: The torrent cannot be used: "info" is not a dictionary.');
    expect(refused(Buffer.from(bencode.encode({ info: { ...info([{ length: 10, path: [Buffer.from('a')] }]), pieces: Buffer.alloc(19) } })))).toBe(
      'BAD_TORRENT: The torrent cannot be used: "pieces" is not a list of SHA-1 hashes.',
    );
    expect(refused(Buffer.from(bencode.encode({ info: info([{ length: 100_000, path: [Buffer.from('a')] }]) })))).toBe(
      'BAD_TORRENT: The torrent cannot be used: it lists 1 pieces, but its files need 7.',
    );
    expect(h.engine.list()).toEqual([]);
  });

  it('refuses a torrent larger than the free space before it starts, saying how much it needs', async () => {
    const made = Buffer.from(bencode.encode({ info: { name: Buffer.from('big.iso'), length: 5_000_000, 'piece length': 1_048_576, pieces: Buffer.alloc(100, 1) } }));
    const h = startEngine({ torrent: { freeSpace: async () => 1_000_000 } });
    const [d] = h.engine.add({ torrent: made.toString('base64') });
    const failed = await h.waitFor(d?.id ?? '', 'failed');
    expect(failed.error).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/^The torrent needs 5000000 more bytes, but .* has 1000000 free\./u) });
    expect(fs.readdirSync(h.downloadDir)).toEqual([]);
  });

  it('refuses a torrent whose paths would leave the download folder, and sanitises reserved names', () => {
    const h = startEngine();
    const hostile = (parts: string[]) => Buffer.from(bencode.encode({ info: info([{ length: 10, path: parts.map((p) => Buffer.from(p)) }]) })).toString('base64');
    for (const parts of [['..', '..', 'etc', 'passwd'], ['a', '..', '..', 'b'], ['/etc/passwd'], ['C:\\Windows', 'x']])
      expect(() => h.engine.add({ torrent: hostile(parts) }), parts.join('/')).toThrow(/^The torrent cannot be used: the path ".*" would leave the download folder\.$/u);
    const [d] = h.engine.add({ torrent: hostile(['CON', 'aux.txt']), paused: true });
    expect(d?.torrent?.files?.map((f) => f.path)).toEqual(['pack/_CON/_aux.txt']);
    expect(() => h.engine.add({ url: 'magnet:?xt=urn:btih:123' })).toThrow('This magnet link has no usable info-hash: it needs xt=urn:btih: with 40 hex or 32 base32 characters.');
    expect(fs.readdirSync(h.downloadDir)).toEqual([]);
  });
});
