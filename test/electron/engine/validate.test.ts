import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../../helpers/settings.ts';
import { InputError } from '../../../electron/engine/errors.ts';
import { parseAddRequest, parseSettingsPatch } from '../../../electron/engine/input/validate.ts';

function fieldOf(fn: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseAddRequest', () => {
  it('accepts one url or many, with options', () => {
    const [one] = parseAddRequest({ url: ' https://h.test/a.zip ', dir: '/tmp/x', connections: 4, checksum: `sha1=${'a'.repeat(40)}`, paused: true });
    expect(one).toMatchObject({ url: 'https://h.test/a.zip', dir: '/tmp/x', connections: 4, paused: true, checksum: { algorithm: 'sha1' } });
    expect(parseAddRequest({ urls: ['http://a.test/1', 'http://a.test/2'] })).toHaveLength(2);
  });

  it.each([
    [{}, 'url', 'INVALID_FIELD'],
    [{ url: 'ftp://h.test/f' }, 'url', 'UNSUPPORTED_PROTOCOL'],
    [{ url: 'not a url' }, 'url', 'INVALID_URL'],
    [{ urls: ['http://ok.test/', 'javascript:alert(1)'] }, 'urls[1]', 'UNSUPPORTED_PROTOCOL'],
    [{ urls: 'http://h.test/' }, 'urls', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', connections: 0 }, 'connections', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', connections: 33 }, 'connections', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', dir: 'relative/dir' }, 'dir', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', checksum: 'crc32=abcd' }, 'checksum', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', checksum: 'sha256=abc' }, 'checksum', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', headers: { Range: 'bytes=0-' } }, 'headers', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', headers: { 'X-A': 'a\r\nInjected: 1' } }, 'headers', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', paused: 'yes' }, 'paused', 'INVALID_FIELD'],
    [{ url: 'http://h.test/', colour: 'red' }, 'colour', 'INVALID_FIELD'],
    [{ urls: ['http://a.test/', 'http://b.test/'], filename: 'x' }, 'filename', 'INVALID_FIELD'],
  ])('rejects %j naming %s', (body, field, code) => {
    const err = fieldOf(() => parseAddRequest(body));
    expect(err.field).toBe(field);
    expect(err.code).toBe(code);
    expect(err.message.length).toBeGreaterThan(10);
  });
});

describe('parseSettingsPatch', () => {
  const current = TEST_SETTINGS;
  it('merges valid fields', () => {
    expect(parseSettingsPatch({ maxConcurrent: 5, speedLimit: 1_000_000 }, current)).toEqual({ ...current, maxConcurrent: 5, speedLimit: 1_000_000 });
  });
  it('names the bad field', () => {
    expect(fieldOf(() => parseSettingsPatch({ maxConcurrent: 0 }, current)).field).toBe('maxConcurrent');
    expect(fieldOf(() => parseSettingsPatch({ speedLimit: -1 }, current)).field).toBe('speedLimit');
    expect(fieldOf(() => parseSettingsPatch({ theme: 'dark' }, current)).field).toBe('theme');
  });
});
