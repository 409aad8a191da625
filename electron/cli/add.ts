import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AddDownloadsRequest, Download, ErrorBody } from '../../shared/api.ts';
import { ROUTES } from '../../shared/api.ts';
import { HaulError } from '../engine/errors.ts';
import { defaultDataDir } from '../engine/paths.ts';
import { processAlive, readServerInfo, serverInfoPath } from '../server/server-info.ts';
import { EXIT, UsageError } from './cli-error.ts';

export const ADD_USAGE = `Usage: haul add <url>... [-d DIR] [-x N]

Hands the URLs to the running Haul (the desktop app or haul serve), found through
<data-dir>/server.json.`;

export async function runAdd(argv: string[], io: { stdout: NodeJS.WriteStream; env: NodeJS.ProcessEnv; cwd: string }): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string', short: 'd' }, connections: { type: 'string', short: 'x' }, 'data-dir': { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError('give at least one URL to add.');
  const body: AddDownloadsRequest = { urls: positionals };
  if (values.dir !== undefined) body.dir = path.resolve(io.cwd, values.dir);
  if (values.connections !== undefined) {
    const n = Number(values.connections);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError(`-x must be a whole number from 1 to 32, not "${values.connections}".`);
    body.connections = n;
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir(io.env));
  const info = readServerInfo(dataDir);
  const notRunning = `No running Haul was found (${serverInfoPath(dataDir)}). Start the desktop app or "npx haul serve" first.`;
  if (info === undefined || !processAlive(info.pid)) throw new HaulError('NOT_FOUND', notRunning);
  let response: Response;
  try {
    response = await fetch(new URL(ROUTES.addDownloads.path, info.url), {
      method: ROUTES.addDownloads.method,
      headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new HaulError('NOT_FOUND', notRunning, { cause });
  }
  const json = (await response.json()) as { downloads: Download[] } | ErrorBody;
  if ('error' in json) throw new HaulError(json.error.code, json.error.message);
  for (const d of json.downloads) io.stdout.write(`Added ${d.url} → ${path.join(d.dir, d.filename)} (${d.id})\n`);
  return EXIT.ok;
}
