// aria2's addTorrent, from aria2.js, against a real swarm (opentracker, aria2c seeding).
import path from 'node:path';
import Aria2 from 'aria2';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHaul } from '../../../helpers/haul-harness.ts';
import { makeTorrent, randomFiles, startAria2, startTracker, stopSwarm, sumsOf, trackerAddress } from '../../../helpers/swarm.ts';
import { eventually } from '../../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
let client: Aria2 | undefined;
afterEach(async () => {
  if (client?.socket?.readyState === 1) await client.close();
  client = undefined;
  await stopSwarm();
});

describe('aria2.addTorrent', () => {
  it('adds a .torrent with select-file and reports it as a torrent; the chosen file is exact', async () => {
    const seed = randomFiles({ 'pair/one.bin': 400_000, 'pair/two.bin': 600_000 });
    const at = await trackerAddress();
    const torrent = makeTorrent(path.join(seed.dir, 'pair'), at.announce);
    await startTracker(at, [torrent.infoHash]);
    await startAria2(torrent.file, seed.dir, { seed: true });
    const haul = await startTestHaul();
    haul.engine.updateSettings({ torrent: { port: 0, dht: false, lsd: false, pex: false } });
    client = new Aria2({ host: '127.0.0.1', port: haul.port, secure: false, secret: TOKEN, path: '/jsonrpc' });
    const gid: string = await client.call('addTorrent', torrent.bytes.toString('base64'), [], { 'select-file': '2', 'seed-ratio': '0' });
    await eventually(async () => (await client?.call('tellStatus', gid, ['status']))?.status === 'complete', 30_000, 'the torrent completing');
    const status = await client.call('tellStatus', gid, ['infoHash', 'bittorrent', 'totalLength']);
    expect(status).toEqual({ infoHash: torrent.infoHash, bittorrent: { info: { name: 'pair' }, mode: 'multi' }, totalLength: '600000' });
    expect(sumsOf(haul.downloadDir)).toEqual({ 'pair/two.bin': seed.sums['pair/two.bin'] });
    await expect(client.call('addTorrent', Buffer.from('not a torrent').toString('base64'))).rejects.toMatchObject({ message: expect.stringMatching(/The torrent cannot be used/u) });
  }, 60_000);
});
