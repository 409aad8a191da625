import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HaulClient } from '../../shared/api-client.ts';
import type { AddDownloadsRequest, Download } from '../../shared/api.ts';
import { parseFileSelection } from '../../shared/torrent.ts';
import { checkDownloadUrl } from '../../shared/url.ts';
import { EXIT, UsageError } from './cli-error.ts';
import { runningHaul } from './running-haul.ts';

export async function runAdd(argv: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv; cwd: string }): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'd' },
      connections: { type: 'string', short: 'x' },
      select: { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('give at least one URL to add.');
  // A path to a .torrent on this machine is sent as the file itself.
  const torrents = positionals.filter((p) => !URL.canParse(p) && /\.torrent$/iu.test(p)).map((p) => path.resolve(io.cwd, p));
  const links = positionals.filter((p) => URL.canParse(p) || !/\.torrent$/iu.test(p));
  const select = values.select === undefined ? undefined : parseFileSelection(values.select);
  if (values.select !== undefined && (select === undefined || positionals.length !== 1))
    throw new UsageError(`--select chooses the files of one torrent, numbered from 1 (such as 1,3-5); give it with one magnet link or .torrent file.`);
  // Every bad link is named at once, not only the first.
  const bad = links.flatMap((url) => {
    const check = checkDownloadUrl(url);
    return check.ok ? [] : [check.message];
  });
  if (bad.length > 0) throw new UsageError(bad.length === 1 ? (bad[0] ?? '') : `${bad.length} links cannot be added (nothing was):\n  ${bad.join('\n  ')}`);
  const common: Omit<AddDownloadsRequest, 'urls'> = {};
  if (values.dir !== undefined) common.dir = path.resolve(io.cwd, values.dir);
  if (values.connections !== undefined) {
    const n = Number(values.connections);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError(`-x must be a whole number from 1 to 32, not "${values.connections}".`);
    common.connections = n;
  }
  if (select !== undefined) common.files = select;
  const bodies: AddDownloadsRequest[] = links.length === 0 ? [] : [{ ...common, urls: links }];
  for (const file of torrents) bodies.push({ ...common, torrent: await readTorrent(file) });
  const haul = runningHaul({ dataDir: values['data-dir'], token: values.token, env: io.env });
  const added: Download[] = [];
  for (const body of bodies) added.push(...(await haul.call('addDownloads', { body })).downloads);
  const settled = await Promise.all(added.map((d) => namedDownload(haul.call, d)));
  // Each link's outcome, by its URL; one that already failed is said so, and the exit is 1.
  let failed = 0;
  for (const d of settled) {
    const where = path.join(d.dir, d.filename);
    if (d.status === 'failed') {
      failed += 1;
      io.stderr.write(`Failed ${d.url}: ${d.error.message} (${d.id})\n`);
    } else if (d.filenameFinal) io.stdout.write(`Added ${d.url} → ${where} (${d.id})\n`);
    else io.stdout.write(`Added ${d.url} → ${where} for now: it waits in the queue, and the server may name it otherwise (${d.id})\n`);
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

async function readTorrent(file: string): Promise<string> {
  try {
    return (await fs.promises.readFile(file)).toString('base64');
  } catch (error) {
    throw new UsageError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/** How long `haul add` waits for the server's first answer, which fixes the name. */
const NAME_WAIT_MS = 10_000;
/** How long a download just added may stay queued before it counts as waiting its turn (a free slot starts it at once). */
const START_WAIT_MS = 1_000;

/**
 * The download once its name is final (the first response reserves it: Content-Disposition, or
 * "name (1)" beside an existing file), or as it is while it waits in the queue.
 */
async function namedDownload(call: HaulClient['call'], d: Download): Promise<Download> {
  const until = Date.now() + NAME_WAIT_MS;
  const queuedUntil = Date.now() + START_WAIT_MS;
  let now = d;
  // Only a running download is about to be named (or to fail at its first answer); one waiting
  // its turn in the queue may wait for hours.
  // A torrent is named by its metadata, and keeps that name: nothing to wait for.
  const waiting = (x: Download): boolean => (x.torrent === undefined && x.status === 'downloading' && !x.filenameFinal) || (x.status === 'queued' && Date.now() < queuedUntil);
  while (waiting(now) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latest = await call('getDownload', { param: d.id }).catch(() => undefined);
    if (latest === undefined) return now;
    now = latest;
  }
  return now;
}
