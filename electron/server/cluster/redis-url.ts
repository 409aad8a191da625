/** Where the shared Redis is, from `--redis redis://HOST:PORT[/DB]`. */
export interface RedisAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisUrlResult = { ok: true; address: RedisAddress } | { ok: false; message: string };

/**
 * Reads a Redis address: `redis://` (or `rediss://` for TLS), a host, an optional port (6379),
 * an optional database number (0), and optionally `user:password@`. Anything else is refused
 * with the reason, so a typo never sends Haul's state to the wrong place.
 */
export function parseRedisUrl(text: string): RedisUrlResult {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `"${text.slice(0, 200)}" is not an address; write it as redis://HOST:PORT/DB, such as redis://127.0.0.1:6379/0.` };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return { ok: false, message: `the address must start with redis:// (or rediss:// for TLS), not "${url.protocol}//".` };
  if (url.hostname === '') return { ok: false, message: 'the address names no host; write it as redis://HOST:PORT/DB.' };
  if (url.search !== '' || url.hash !== '') return { ok: false, message: 'the address takes no query or fragment: only redis://HOST:PORT/DB.' };
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//u, '');
  if (dbText !== '' && !/^\d{1,2}$/u.test(dbText)) return { ok: false, message: `the database must be a number such as /0, not "/${dbText.slice(0, 50)}".` };
  const address: RedisAddress = { host: url.hostname.replace(/^\[(.*)\]$/u, '$1'), port, db: dbText === '' ? 0 : Number(dbText), tls: url.protocol === 'rediss:' };
  if (url.username !== '') address.username = decodeURIComponent(url.username);
  if (url.password !== '') address.password = decodeURIComponent(url.password);
  return { ok: true, address };
}

/** The address as people read it, without the password. */
export function describeRedis(address: RedisAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.tls ? 'rediss' : 'redis'}://${host}:${address.port}/${address.db}`;
}
