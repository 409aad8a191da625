// `haul get` and `haul add` with torrents, against a real swarm (opentracker, aria2c): a
// .torrent file with --select, a magnet link, kill -9 in the middle and the same command again.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runHaul, spawnHaul } from '../../helpers/run-cli.ts';
import { stopSwarm, sumsOf, swarmToolsMissing, seededSwarm } from '../../helpers/swarm.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitUntil } from '../../helpers/wait.ts';

beforeAll(() => {
  const missing = swarmToolsMissing();
  if (missing !== undefined) throw new Error(missing);
});
afterEach(stopSwarm);

const TRACKERS_ONLY = ['--no-dht', '--no-lsd', '--no-pex'];

function seeded(files: Record<string, number>, content: string, seedExtra: string[] = []) {
  return seededSwarm(files, content, { seedExtra });
}

describe('haul get with torrents', () => {
  it('gets the files chosen with --select from a .torrent file, prints the folder and exits 0', async () => {
    const { seed, torrent } = await seeded({ 'set/1.bin': 300_000, 'set/2.bin': 500_000, 'set/3.bin': 200_000 }, 'set');
    const dir = tempDir();
    const result = await runHaul(['get', torrent.file, '-d', dir, '--select', '1,3', ...TRACKERS_ONLY], { HAUL_DATA_DIR: tempDir() });
    expect(result.stderr).toMatch(/Saved /u);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${path.join(dir, 'set')}\n`);
    expect(sumsOf(dir)).toEqual({ 'set/1.bin': seed.sums['set/1.bin'], 'set/3.bin': seed.sums['set/3.bin'] });
  }, 60_000);

  it('gets a magnet link, and after kill -9 the same command resumes from the flushed pieces to an exact file', async () => {
    // The seeder sends slowly, so the kill lands in the middle.
    const { seed, torrent, at, peer } = await seeded({ 'big.bin': 6 * 1024 * 1024 }, 'big.bin', ['--max-overall-upload-limit=1M']);
    const dir = tempDir();
    const env = { HAUL_DATA_DIR: tempDir() };
    const args = ['get', `magnet:?xt=urn:btih:${torrent.infoHash}&tr=${encodeURIComponent(at.announce)}`, '-d', dir, ...TRACKERS_ONLY];
    const first = spawnHaul(args, env);
    let stderr = '';
    first.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitUntil(() => /\b[3-9]\d%/u.test(stderr), 30_000, 'a third downloaded');
    first.child.kill('SIGKILL');
    await first.done;
    const again = spawnHaul(args, env);
    let said = '';
    again.child.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    let ended = false;
    const second = await Promise.race([
      again.done.finally(() => (ended = true)),
      waitUntil(() => ended, 50_000, 'the second haul get finishing').then(
        () => again.done,
        (error: Error) => {
          again.child.kill('SIGKILL');
          throw new Error(`${error.message}; it said: ${said.slice(-500)}; aria2c: ${fs.readFileSync(peer.log, 'utf8').split('\n').slice(-25).join('\n')}`);
        },
      ),
    ]);
    expect(second.stderr).toMatch(/Resuming at \d+% /u);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`${path.join(dir, 'big.bin')}\n`);
    expect(sumsOf(dir)).toEqual({ 'big.bin': seed.sums['big.bin'] });
  }, 90_000);
});
