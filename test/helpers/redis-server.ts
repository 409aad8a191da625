import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../electron/server/cluster/connect.ts';
import { parseRedisUrl, type RedisAddress } from '../../electron/server/cluster/redis-url.ts';
import { freePort, waitForPort } from './proxies.ts';
import { lastingDir } from './temp-dir.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RunningRedis {
  /** A connection as Haul makes them (see connectRedis), closed when the server stops. */
  connect(name?: string): Promise<Redis>;
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
  const url = `redis://127.0.0.1:${port}/0`;
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) throw new Error(parsed.message);
  const dir = lastingDir('haul-redis-');
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--logfile', `${dir}/redis.log`], {
      stdio: 'ignore',
    });
    await waitForPort(port);
  };
  const connections: Redis[] = [];
  const connect = async (name = 'test'): Promise<Redis> => {
    const redis = await connectRedis(parsed.address, name);
    connections.push(redis);
    return redis;
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await launch();
  const stop = async (): Promise<void> => {
    for (const redis of connections.splice(0)) redis.disconnect();
    await end('SIGTERM');
  };
  return { port, url, address: parsed.address, dir, connect, kill9: () => end('SIGKILL'), restart: launch, stop };
}
