// Haul with a second BitTorrent implementation as its peer: Debian's qbittorrent-nox (libtorrent)
// seeding to Haul, and downloading from Haul alone. Every byte compared with the seed's by hash.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { freePort } from '../../../helpers/proxies.ts';
import { QBITTORRENT, startQbittorrent } from '../../../helpers/qbittorrent.ts';
import { makeTorrent, randomFiles, startTracker, stopSwarm, sumsOf, swarmToolsMissing, trackerAddress, seededSwarm } from '../../../helpers/swarm.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { eventually, waitUntil } from '../../../helpers/wait.ts';

beforeAll(() => {
  const missing = swarmToolsMissing() ?? (fs.existsSync(QBITTORRENT) ? undefined : 'The torrent tests need qbittorrent-nox: apt-get install qbittorrent-nox.');
  if (missing !== undefined) throw new Error(missing);
});
afterEach(stopSwarm);

const LOCAL = { port: 0, dht: false, lsd: false, pex: false, trackers: true };

describe('torrents with qBittorrent as the peer', () => {
  it('downloads a multi-file torrent that qBittorrent seeds, byte for byte', async () => {
    const seed = randomFiles({ 'show/e1.bin': 1_200_000, 'show/e2.bin': 900_000, 'show/extras/notes.txt': 3_000 });
    const at = await trackerAddress();
    const torrent = makeTorrent(path.join(seed.dir, 'show'), at.announce);
    await startTracker(at, [torrent.infoHash]);
    const qbt = await startQbittorrent();
    await qbt.add(torrent.file, seed.dir);
    await eventually(async () => (await qbt.torrents())[0]?.progress === 1, 20_000, 'qBittorrent checked its files and seeds');
    const h = startEngine();
    h.engine.updateSettings({ torrent: LOCAL });
    const [d] = h.engine.add({ torrent: torrent.bytes.toString('base64') });
    await h.waitFor(d?.id ?? '', 'completed', 60_000).catch((error: Error) => {
      throw new Error(`${error.message}; Haul: ${JSON.stringify(h.engine.get(d?.id ?? '')?.torrent)}; qBittorrent: ${qbt.logTail()}`);
    });
    expect(sumsOf(h.downloadDir)).toEqual({ 'show/e1.bin': seed.sums['show/e1.bin'], 'show/e2.bin': seed.sums['show/e2.bin'], 'show/extras/notes.txt': seed.sums['show/extras/notes.txt'] });
  }, 90_000);

  it('seeds to qBittorrent, which gets the file from Haul alone, byte for byte', async () => {
    const { seed, torrent, peer: first } = await seededSwarm({ 'talk.bin': 2_500_000 }, 'talk.bin');
    const h = startEngine();
    h.engine.updateSettings({ torrent: { ...LOCAL, port: await freePort(), seedRatio: 5, seedMinutes: 30 } });
    const [d] = h.engine.add({ torrent: torrent.bytes.toString('base64') });
    const id = d?.id ?? '';
    await h.waitFor(id, 'completed', 60_000);
    await waitUntil(() => h.engine.get(id)?.torrent?.seeding === true, 10_000, 'Haul seeding');
    // The only seed left is Haul.
    first.child.kill('SIGKILL');
    const leech = tempDir('haul-qbt-leech-');
    const qbt = await startQbittorrent();
    await qbt.add(torrent.file, leech);
    await eventually(async () => (await qbt.torrents())[0]?.progress === 1, 60_000, 'qBittorrent downloading from Haul').catch((error: Error) => {
      throw new Error(`${error.message}; Haul: ${JSON.stringify(h.engine.get(id)?.torrent)}; qBittorrent: ${qbt.logTail()}`);
    });
    expect(sumsOf(leech)).toEqual({ 'talk.bin': seed.sums['talk.bin'] });
    await waitUntil(() => (h.engine.get(id)?.torrent?.uploaded ?? 0) >= 2_500_000, 10_000, 'what Haul sent counted');
  }, 120_000);
});
