import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Download } from '../../shared/api.ts';
import { formatBytes, formatDuration, formatSpeed } from '../../shared/units.ts';
import { Engine } from '../engine/engine.ts';
import { HaulError } from '../engine/errors.ts';
import { defaultDataDir } from '../app/paths.ts';
import { LocalJournal } from '../engine/records/local-journal.ts';
import { SqliteStore } from '../engine/store/sqlite-store.ts';
import { EXIT, UsageError } from './cli-error.ts';
import { parseGetArgs, type GetOptions } from './get-args.ts';
import { partHolds, seedUntilDone, showProgress } from './get-progress.ts';
import { TORRENT_DEFAULTS } from '../../shared/torrent.ts';

/**
 * The state of one `haul get` target lives in its own small store, found again by the same
 * command. With -o the target is the file, whatever the URL (so a refreshed link continues
 * it); without, the URL in its folder.
 */
function stateFile(dataDir: string, opts: GetOptions): string {
  const target = opts.filename === undefined ? ['url', opts.url, opts.dir] : ['file', opts.dir, opts.filename];
  const key = createHash('sha256').update(JSON.stringify(target)).digest('hex').slice(0, 24);
  return path.join(dataDir, 'get', `${key}.sqlite`);
}

export async function runGet(argv: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const opts = parseGetArgs(argv, io.cwd);
  const caCert = opts.caCertFile === undefined ? undefined : await readCaCert(opts.caCertFile);
  const file = stateFile(defaultDataDir(io.env), opts);
  const store = new SqliteStore(file);
  // A torrent joins swarms on a port of its own (another Haul may hold 6881), finding peers as the flags allow.
  const torrent = { ...TORRENT_DEFAULTS, port: 0, dht: !opts.noDht, lsd: !opts.noLsd, pex: !opts.noPex };
  const engine = new Engine({ store, journal: new LocalJournal(store), downloadDir: opts.dir, defaults: { torrent } });
  engine.start();
  let download: Download;
  try {
    const done = await finishedEarlier(engine);
    if (done !== undefined) {
      await engine.shutdown();
      store.close();
      if (!opts.quiet) io.stderr.write(`Already downloaded: ${done}\n`);
      io.stdout.write(`${done}\n`);
      return EXIT.ok;
    }
    download = await continueOrAdd(engine, opts, caCert);
  } catch (error) {
    await engine.shutdown();
    store.close();
    throw error;
  }
  // Only bytes still in the partial file are resumed; an earlier run's record alone is not.
  const kept = download.received > 0 && (download.torrent !== undefined || (await partHolds(download)));
  const resumedAt = kept ? download.received : 0;
  if (!opts.quiet && resumedAt > 0) {
    const share = download.total === null || download.total === 0 ? '' : `${Math.floor((resumedAt / download.total) * 100)}% `;
    io.stderr.write(`Resuming at ${share}(${formatBytes(resumedAt)}).\n`);
  } else if (!opts.quiet && download.received > 0) io.stderr.write('The partial file of an earlier run is gone: downloading again from the start.\n');
  const started = Date.now();
  const stopProgress = opts.quiet ? (): void => undefined : showProgress(engine, download.id, io.stderr, resumedAt);
  const onSignal: { current: () => void } = { current: () => undefined };
  const signalled = (): void => onSignal.current();
  process.on('SIGINT', signalled);
  process.on('SIGTERM', signalled);
  const outcome = await new Promise<Download | 'interrupted'>((resolve) => {
    onSignal.current = () => resolve('interrupted');
    const check = (): void => {
      const d = engine.get(download.id);
      if (d?.status === 'completed' || d?.status === 'failed') resolve(d);
    };
    engine.on('updated', check);
    check();
  });
  // From here a signal stops at once: the progress is checkpointed as the transfer stops, and
  // a second Ctrl-C must not wait for that.
  onSignal.current = () => process.exit(EXIT.interrupted);
  stopProgress(outcome !== 'interrupted' && outcome.status === 'completed');
  if (outcome !== 'interrupted' && outcome.status === 'completed' && engine.get(download.id)?.torrent?.seeding === true) await seedUntilDone(engine, download.id, io.stderr, opts.quiet);
  await engine.shutdown();
  store.close();
  process.off('SIGINT', signalled);
  process.off('SIGTERM', signalled);
  if (outcome === 'interrupted') {
    io.stderr.write('\nInterrupted. Run the same command again to resume.\n');
    return EXIT.interrupted;
  }
  if (outcome.status === 'failed') {
    io.stderr.write(`haul get: ${outcome.error.message}\n`);
    return EXIT.failed;
  }
  const seconds = Math.max(0.001, (Date.now() - started) / 1000);
  const target = path.join(outcome.dir, outcome.filename);
  // Haul never writes over a file: a name already taken was saved beside it, and that is said.
  if (!opts.quiet && opts.filename !== undefined && outcome.filename !== opts.filename) io.stderr.write(`${opts.filename} already exists; saved as ${outcome.filename} beside it.\n`);
  // The speed is this run's: bytes already there from an earlier run came for free.
  const thisRun = outcome.received - resumedAt;
  const resumed = resumedAt > 0 ? ` (${formatBytes(thisRun)} this run)` : '';
  if (!opts.quiet)
    io.stderr.write(
      `Saved ${formatBytes(outcome.received)}${resumed} in ${formatDuration(seconds)} (${formatSpeed(thisRun / seconds)})${outcome.checksum?.verified ? `, ${outcome.checksum.algorithm} verified` : ''}.\n`,
    );
  io.stdout.write(`${target}\n`);
  return EXIT.ok;
}

async function readCaCert(file: string): Promise<string> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca-cert: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/**
 * Where an earlier run of this command saved the file, if it did and the file is still there
 * whole; a record of a file since moved or deleted is dropped, so it is downloaded again.
 */
async function finishedEarlier(engine: Engine): Promise<string | undefined> {
  const done = engine.list().find((d) => d.status === 'completed');
  if (done === undefined) return undefined;
  const file = path.join(done.dir, done.filename);
  // A torrent of several files is a folder: there if it is still there.
  if (done.torrent !== undefined && fs.existsSync(file)) return file;
  const size = await fs.promises.stat(file).then(
    (s) => s.size,
    () => -1,
  );
  if (size === done.received) return file;
  await engine.remove(done.id);
  return undefined;
}

/** Picks up this command's unfinished download from an earlier run (with the URL given now), or starts it. */
async function continueOrAdd(engine: Engine, opts: GetOptions, caCert: string | undefined): Promise<Download> {
  const previous = engine.list().find((d) => d.status !== 'completed');
  if (previous?.torrent !== undefined) return previous.status === 'paused' || previous.status === 'failed' ? engine.resume(previous.id) : previous;
  if (previous !== undefined) {
    const current = URL.canParse(opts.url) && previous.url === new URL(opts.url).href ? previous : await engine.refreshUrl(previous.id, opts.url);
    // The options of the run asked for now win over the earlier run's (a --limit dropped or raised).
    await engine.patch(current.id, { speedLimit: opts.speedLimit, maxConnections: opts.connections ?? 0 });
    return current.status === 'paused' || current.status === 'failed' ? engine.resume(current.id) : engine.require(current.id);
  }
  const [added] = engine.add({
    ...(opts.torrentFile === undefined ? { url: opts.url } : { torrent: (await fs.promises.readFile(opts.torrentFile)).toString('base64') }),
    ...(opts.select === undefined ? {} : { files: opts.select }),
    // Without --seed, a torrent leaves the swarm once it is complete.
    ...(opts.seed ? {} : { seedRatio: 0 }),
    filename: opts.filename,
    connections: opts.connections,
    checksum: opts.checksum,
    quality: opts.quality,
    container: opts.container,
    headers: opts.headers,
    speedLimit: opts.speedLimit,
    insecure: opts.insecure,
    caCert,
  });
  if (added === undefined) throw new HaulError('INTERNAL', 'The download could not be created.');
  return added;
}
