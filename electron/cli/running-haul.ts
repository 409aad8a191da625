import path from 'node:path';
import { ApiError, createHaulClient, fetchTransport, type HaulClient } from '../../shared/api-client.ts';
import { defaultDataDir } from '../app/paths.ts';
import { HaulError } from '../engine/errors.ts';
import { processAlive, readServerInfo, serverInfoPath } from '../server/server-info.ts';

/**
 * The running Haul (the desktop app or haul serve), found through <data-dir>/server.json, as a
 * client: with `token` (or HAUL_USER_TOKEN) a user's, else the machine owner's. `call` turns
 * the client's errors into Haul's, a server that stopped into one sentence saying so.
 */
export function runningHaul(opts: { dataDir: string | undefined; token: string | undefined; env: NodeJS.ProcessEnv }): { call: HaulClient['call'] } {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir(opts.env));
  const info = readServerInfo(dataDir);
  const notRunning = `No running Haul was found (${serverInfoPath(dataDir)}). Start the desktop app or "npx haul serve" first.`;
  if (info === undefined || !processAlive(info.pid)) throw new HaulError('NOT_FOUND', notRunning);
  const client = createHaulClient(fetchTransport(info.url, opts.token ?? (opts.env['HAUL_USER_TOKEN'] || info.token)));
  const call: HaulClient['call'] = async (...args) => {
    try {
      return await client.call(...args);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'NETWORK') throw new HaulError('NOT_FOUND', notRunning, { cause: error });
      throw new HaulError(error.code, error.message);
    }
  };
  return { call };
}
