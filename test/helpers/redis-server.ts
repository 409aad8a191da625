import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { parseRedisUrl, type RedisAddress } from '../../electron/server/cluster/redis-url.ts';
import { freePort, waitForPort } from './proxies.ts';
import { lastingDir } from './temp-dir.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RunningRedis {
  port: number;
  url: string;
  /** The address as Haul reads it from `--redis`. */
  address: RedisAddress;
  dir: string;
  /** Kills it without warning (SIGKILL): only what was on disk survives. */
  kill9(): Promise<void>;
  /** Starts it again on the same port from the same files. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Debian's redis-server on a loopback port, in a temp folder, with the append-only file
 * fsynced on every write (what Haul asks of a Redis that must lose nothing acknowledged).
 */
export async function startRedis(): Promise<RunningRedis> {
  if (!fs.existsSync(REDIS_SERVER)) throw new Error('redis-server is needed for the cluster tests: apt-get install redis-server.');
  const port = await freePort();
  const dir = lastingDir('haul-redis-');
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--logfile', `${dir}/redis.log`], {
      stdio: 'ignore',
    });
    await waitForPort(port);
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await launch();
  const url = `redis://127.0.0.1:${port}/0`;
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) throw new Error(parsed.message);
  return { port, url, address: parsed.address, dir, kill9: () => end('SIGKILL'), restart: launch, stop: () => end('SIGTERM') };
}
