import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../engine/clock.ts';
import { HaulError } from '../../engine/errors.ts';
import { describeRedis, type RedisAddress } from './redis-url.ts';

/** The oldest Redis Haul runs on (streams with MAXLEN ~ and explicit ids, HSET with many fields, Lua's cjson). */
export const MIN_REDIS = [6, 2] as const;

/**
 * A connection to the shared Redis. It reconnects by itself (every 0.2 s rising to 2 s) and
 * keeps commands made meanwhile in order until it is back; `commandTimeoutMs` makes a command
 * fail instead (for the heartbeat, which must notice Redis being away).
 */
export async function connectRedis(address: RedisAddress, name: string, commandTimeoutMs?: number): Promise<Redis> {
  // Loaded only here, so Haul without --redis (and haul get) never loads the client.
  const { Redis: Client } = await import('ioredis');
  const redis = new Client({
    host: address.host,
    port: address.port,
    db: address.db,
    username: address.username,
    password: address.password,
    ...(address.tls ? { tls: { servername: address.host } } : {}),
    connectionName: name,
    lazyConnect: true,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(200 * times, 2_000),
    commandTimeout: commandTimeoutMs,
  });
  // ioredis reports each failed reconnection as an 'error' event; the callers report outages themselves.
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await within(systemClock, redis.connect(), 5_000, () => new Error('no answer in 5 s'));
  } catch (cause) {
    redis.disconnect();
    // connect() only says the connection closed; the error event before it says why.
    const reason = lastError ?? (cause instanceof Error ? cause : new Error(String(cause)));
    throw new HaulError('UNAVAILABLE', `Haul could not reach Redis at ${describeRedis(address)} (${reason.message}). Start Redis there, or give the right address with --redis.`, { cause: reason });
  }
  return redis;
}

/** Refuses a Redis older than MIN_REDIS; warns when it keeps no append-only file (a restart would lose downloads). */
export async function checkRedis(redis: Redis, address: RedisAddress, warn: (line: string) => void): Promise<void> {
  const info = await redis.info('server');
  const version = /redis_version:(\d+)\.(\d+)/u.exec(info);
  const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
  if (major < MIN_REDIS[0] || (major === MIN_REDIS[0] && minor < MIN_REDIS[1])) {
    throw new HaulError('INVALID_STATE', `Redis at ${describeRedis(address)} is version ${major}.${minor}; Haul needs ${MIN_REDIS.join('.')} or later.`);
  }
  const config = (await redis.config('GET', 'appendonly').catch(() => undefined)) as string[] | undefined;
  if (config?.[1] === 'no') {
    warn(`haul: Redis at ${describeRedis(address)} keeps no append-only file, so restarting it loses Haul's downloads. Set "appendonly yes" and "appendfsync always" in its configuration.`);
  }
}

/**
 * `promise`, or an UNAVAILABLE error after `ms` (Redis not answering must not hold a request
 * for ever). For a change (`pending`), the error says it is still on its way: the connection
 * keeps it and sends it once Redis is back, so trying again at once could make it twice.
 */
export function answerWithin<T>(clock: Clock, promise: Promise<T>, ms: number, address: RedisAddress, pending = false): Promise<T> {
  const message = pending
    ? `Haul's shared Redis at ${describeRedis(address)} did not confirm this change in ${ms / 1000} s; it is kept and made once Redis is back, so check the list before trying again.`
    : `Haul's shared Redis at ${describeRedis(address)} did not answer in ${ms / 1000} s; try again once it is back.`;
  return within(clock, promise, ms, () => new HaulError('UNAVAILABLE', message));
}

/** `promise`, or the error `late()` makes once `ms` have passed. */
function within<T>(clock: Clock, promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const cancel = clock.setTimeout(() => reject(late()), ms);
    promise.then(
      (v) => {
        cancel();
        resolve(v);
      },
      (e: unknown) => {
        cancel();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
