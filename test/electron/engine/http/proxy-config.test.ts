import { describe, expect, it } from 'vitest';
import { bypassed, proxyFor } from '../../../../electron/engine/http/proxy-config.ts';

const http = new URL('http://files.example.com/a');
const https = new URL('https://files.example.com/a');

describe('proxyFor (curl rules)', () => {
  it('uses http_proxy for http and https_proxy for https, lower case first', () => {
    const env = { http_proxy: 'http://h:1', HTTP_PROXY: 'http://ignored:1', HTTPS_PROXY: 'http://s:2' };
    expect(proxyFor(http, env)).toMatchObject({ kind: 'http', proxy: new URL('http://h:1'), variable: 'HTTP_PROXY' });
    expect(proxyFor(https, env)).toMatchObject({ kind: 'http', proxy: new URL('http://s:2'), variable: 'HTTPS_PROXY' });
  });

  it('falls back to ALL_PROXY, and goes direct with nothing set', () => {
    expect(proxyFor(https, { ALL_PROXY: 'socks5h://u:p@s:1080' })).toMatchObject({ kind: 'socks5', variable: 'ALL_PROXY' });
    expect(proxyFor(https, { HTTP_PROXY: 'http://h:1' })).toEqual({ kind: 'direct' });
    expect(proxyFor(http, {})).toEqual({ kind: 'direct' });
  });

  it('reads a value without a scheme as http://, and keeps SOCKS credentials', () => {
    expect(proxyFor(http, { HTTP_PROXY: '127.0.0.1:3128' })).toMatchObject({ kind: 'http', proxy: new URL('http://127.0.0.1:3128') });
    const socks = proxyFor(http, { ALL_PROXY: 'socks5h://us%40r:p%3Ass@127.0.0.1:1080' });
    expect(socks.kind === 'socks5' && socks.proxy.href).toBe('socks5://us%40r:p%3Ass@127.0.0.1:1080');
  });

  it('names the variable and says what to do for values it cannot use', () => {
    expect(proxyFor(http, { HTTP_PROXY: 'socks4://h:1' })).toMatchObject({ kind: 'invalid', variable: 'HTTP_PROXY', message: expect.stringContaining('socks5h://') });
    expect(proxyFor(https, { https_proxy: 'http://[bad' })).toMatchObject({ kind: 'invalid', variable: 'HTTPS_PROXY' });
  });
});

describe('NO_PROXY', () => {
  it.each([
    ['*', 'http://anything.test/', true],
    ['example.com', 'http://files.example.com/', true],
    ['.example.com', 'http://example.com/', true],
    ['example.com', 'http://notexample.com/', false],
    ['10.0.0.0/8', 'http://10.1.2.3/', true],
    ['10.0.0.0/8', 'http://11.1.2.3/', false],
    ['::1/128', 'http://[::1]:8080/', true],
    ['127.0.0.1', 'http://127.0.0.1:9/', true],
    ['localhost:8080', 'http://localhost:9/', true],
    ['1.2.3.0/24', 'http://host.test/', false],
  ])('%s on %s → %s', (noProxy, url, expected) => {
    expect(bypassed(new URL(url), noProxy)).toBe(expected);
  });
});
