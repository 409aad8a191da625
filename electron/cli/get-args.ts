import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseFileSelection } from '../../shared/torrent.ts';
import { parseByteRate } from '../../shared/units.ts';
import { checkDownloadUrl } from '../../shared/url.ts';
import { parseQuality } from '../engine/media/quality.ts';
import { UsageError } from './cli-error.ts';

export interface GetOptions {
  /** A .torrent file given by its path (then `url` is that path). */
  torrentFile?: string;
  /** A torrent's files to download, by index from 0. */
  select?: number[];
  /** Seed after the download, by the torrent settings' policy, before exiting. */
  seed: boolean;
  /** Torrent peer discovery switched off (trackers only). */
  noDht: boolean;
  noLsd: boolean;
  noPex: boolean;
  url: string;
  dir: string;
  filename?: string;
  connections?: number;
  speedLimit: number;
  headers: Record<string, string>;
  checksum?: string;
  quality?: string;
  container?: 'mp4' | 'ts';
  caCertFile?: string;
  insecure: boolean;
  quiet: boolean;
}

export function parseGetArgs(argv: string[], cwd: string): GetOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      dir: { type: 'string', short: 'd' },
      connections: { type: 'string', short: 'x' },
      limit: { type: 'string' },
      header: { type: 'string', short: 'H', multiple: true },
      checksum: { type: 'string' },
      quality: { type: 'string' },
      container: { type: 'string' },
      'ca-cert': { type: 'string' },
      insecure: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      select: { type: 'string' },
      seed: { type: 'boolean' },
      'no-dht': { type: 'boolean' },
      'no-lsd': { type: 'boolean' },
      'no-pex': { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the URL to download.' : 'give exactly one URL; "haul add" takes several.');
  const given = positionals[0] ?? '';
  // A path to a .torrent on this machine is taken as that torrent.
  const torrentFile = !URL.canParse(given) && /\.torrent$/iu.test(given) ? path.resolve(cwd, given) : undefined;
  if (torrentFile !== undefined && !fs.existsSync(torrentFile)) throw new UsageError(`${given}: no such .torrent file.`);
  const url = torrentFile === undefined ? checkDownloadUrl(given) : undefined;
  if (url !== undefined && !url.ok) throw new UsageError(url.message);
  let dir = path.resolve(cwd, values.dir ?? '.');
  let filename: string | undefined;
  if (values.output !== undefined) {
    const out = path.resolve(dir, values.output);
    dir = path.dirname(out);
    filename = path.basename(out);
  }
  const opts: GetOptions = {
    url: given,
    dir,
    speedLimit: 0,
    headers: {},
    insecure: values.insecure ?? false,
    quiet: values.quiet ?? false,
    seed: values.seed ?? false,
    noDht: values['no-dht'] ?? false,
    noLsd: values['no-lsd'] ?? false,
    noPex: values['no-pex'] ?? false,
  };
  if (torrentFile !== undefined) opts.torrentFile = torrentFile;
  if (values.select !== undefined) {
    const select = parseFileSelection(values.select);
    if (select === undefined) throw new UsageError(`--select "${values.select}" is not a list of files; write their numbers from 1, such as 1,3-5.`);
    opts.select = select;
  }
  if (values['ca-cert'] !== undefined) opts.caCertFile = path.resolve(cwd, values['ca-cert']);
  if (filename !== undefined) opts.filename = filename;
  if (values.connections !== undefined) {
    const n = Number(values.connections);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError(`-x must be a whole number from 1 to 32, not "${values.connections}".`);
    opts.connections = n;
  }
  if (values.limit !== undefined) {
    const rate = parseByteRate(values.limit);
    if (rate === undefined) throw new UsageError(`--limit "${values.limit}" is not a rate; use a number of bytes per second such as 500K or 2M.`);
    opts.speedLimit = rate;
  }
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new UsageError(`-H "${header}" is not a header; write it as 'Name: value'.`);
    opts.headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  if (values.checksum !== undefined) opts.checksum = values.checksum;
  if (values.quality !== undefined) {
    try {
      parseQuality(values.quality);
    } catch (error) {
      throw new UsageError(`--quality: ${error instanceof Error ? error.message : String(error)}`);
    }
    opts.quality = values.quality;
  }
  if (values.container !== undefined) {
    if (values.container !== 'mp4' && values.container !== 'ts') throw new UsageError(`--container must be mp4 or ts, not "${values.container}".`);
    opts.container = values.container;
  }
  return opts;
}
