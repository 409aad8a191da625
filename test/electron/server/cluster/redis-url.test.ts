import { describe, expect, it } from 'vitest';
import { describeRedis, parseRedisUrl } from '../../../../electron/server/cluster/redis-url.ts';

describe('parseRedisUrl', () => {
  it('reads host, port, database and credentials, with defaults', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380/2')).toEqual({ ok: true, address: { host: '10.0.0.5', port: 6380, db: 2, tls: false } });
    expect(parseRedisUrl('redis://cache')).toEqual({ ok: true, address: { host: 'cache', port: 6379, db: 0, tls: false } });
    expect(parseRedisUrl('rediss://haul:s%40cret@[::1]:7000/0')).toEqual({ ok: true, address: { host: '::1', port: 7000, db: 0, tls: true, username: 'haul', password: 's@cret' } });
  });

  it('refuses what is not a Redis address, saying why', () => {
    const message = (text: string) => {
      const r = parseRedisUrl(text);
      return r.ok ? '' : r.message;
    };
    expect(message('localhost:6379')).toMatch(/redis:\/\//u);
    expect(message('http://127.0.0.1:6379')).toMatch(/must start with redis:\/\//u);
    expect(message('redis://127.0.0.1/abc')).toMatch(/database must be a number/u);
    expect(message('redis://127.0.0.1/0?x=1')).toMatch(/no query/u);
    expect(message('not an address')).toMatch(/is not an address/u);
  });

  it('describes an address without its password', () => {
    const r = parseRedisUrl('redis://u:pw@db.example:6379/3');
    expect(r.ok && describeRedis(r.address)).toBe('redis://db.example:6379/3');
  });
});
