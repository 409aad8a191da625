// Haul's upload limit holds while a real aria2c downloads from it alone.
import fs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { freePort } from '../../../helpers/proxies.ts';
import { startAria2, stopSwarm, sumsOf, swarmToolsMissing, seededSwarm } from '../../../helpers/swarm.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { waitUntil } from '../../../helpers/wait.ts';

beforeAll(() => {
  const missing = swarmToolsMissing();
  if (missing !== undefined) throw new Error(missing);
});
afterEach(stopSwarm);

describe('torrent limits', () => {
  it.each([
    ['the upload limit of Settings', true],
    ['its own upload limit', false],
  ])(
    'sends no faster than %s',
    async (_, global) => {
      const size = 1024 * 1024;
      const limit = 128 * 1024;
      const { seed, torrent, peer: first } = await seededSwarm({ 'slow.bin': size }, 'slow.bin', { pieceLengthLog2: 15 });
      const h = startEngine();
      h.engine.updateSettings({ torrent: { port: await freePort(), dht: false, lsd: false, pex: false, trackers: true, uploadLimit: global ? limit : 0, seedRatio: 5 } });
      const [d] = h.engine.add({ torrent: torrent.bytes.toString('base64'), ...(global ? {} : { uploadLimit: limit }) });
      await h.waitFor(d?.id ?? '', 'completed', 45_000);
      await waitUntil(() => h.engine.get(d?.id ?? '')?.torrent?.seeding === true, 10_000, 'Haul seeding');
      // Every piece is recorded as on disk before seeding starts: seeding offers the pieces the record holds.
      const have = h.store.loadDownloads().find((r) => r.id === d?.id)?.torrent?.have ?? '';
      expect(Buffer.from(have, 'base64').toString('hex')).toBe('ffffffff');
      first.child.kill('SIGKILL');
      const leech = tempDir('haul-leech-');
      const started = Date.now();
      const other = await startAria2(torrent.file, leech, { seed: false, extra: ['--seed-time=0'] });
      await waitUntil(() => other.child.exitCode !== null, 90_000, 'aria2c downloading from Haul').catch((error: Error) => {
        // What each side saw, to tell a stuck swarm from a slow machine.
        throw new Error(`${error.message}; Haul: ${JSON.stringify(h.engine.get(d?.id ?? '')?.torrent)}; aria2c: ${fs.readFileSync(other.log, 'utf8').split('\n').slice(-15).join('\n')}`);
      });
      const seconds = (Date.now() - started) / 1000;
      expect(sumsOf(leech)).toEqual({ 'slow.bin': seed.sums['slow.bin'] });
      // Unlimited, loopback takes well under a second; at the limit, about eight.
      expect(size / seconds).toBeLessThan(limit * 1.25);
    },
    120_000,
  );

  it('receives no faster than its own download limit', async () => {
    const size = 1024 * 1024;
    const limit = 256 * 1024;
    const { seed, torrent } = await seededSwarm({ 'paced.bin': size }, 'paced.bin', { pieceLengthLog2: 15 });
    const h = startEngine();
    h.engine.updateSettings({ torrent: { port: 0, dht: false, lsd: false, pex: false, trackers: true } });
    const started = Date.now();
    const [d] = h.engine.add({ torrent: torrent.bytes.toString('base64'), speedLimit: limit, seedRatio: 0 });
    await h.waitFor(d?.id ?? '', 'completed', 60_000);
    const seconds = (Date.now() - started) / 1000;
    expect(sumsOf(h.downloadDir)).toEqual({ 'paced.bin': seed.sums['paced.bin'] });
    // Unlimited, loopback takes well under a second; at the limit, about four.
    expect(size / seconds).toBeLessThan(limit * 1.25);
  }, 90_000);
});
