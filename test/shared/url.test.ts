import { describe, expect, it } from 'vitest';
import { checkDownloadUrl, splitUrlList } from '../../shared/url.ts';

describe('checkDownloadUrl', () => {
  it('accepts http and https', () => {
    expect(checkDownloadUrl('https://example.com/a.zip')).toMatchObject({ ok: true });
    expect(checkDownloadUrl('  http://127.0.0.1:8080/x  ')).toMatchObject({ ok: true });
  });
  it.each([
    ['', 'INVALID_URL'],
    ['example.com/file', 'INVALID_URL'],
    ['file:///etc/passwd', 'UNSUPPORTED_PROTOCOL'],
    ['ftp://example.com/x', 'UNSUPPORTED_PROTOCOL'],
    ['javascript:alert(1)', 'UNSUPPORTED_PROTOCOL'],
  ])('rejects %j with %s', (input, code) => {
    const check = checkDownloadUrl(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.code).toBe(code);
  });
  it('rejects non-strings', () => {
    expect(checkDownloadUrl(42)).toMatchObject({ ok: false, code: 'INVALID_URL' });
  });
});

describe('splitUrlList', () => {
  it('splits pasted lists on lines and spaces', () => {
    expect(splitUrlList('https://a.test/1\r\n\n  https://b.test/2 https://c.test/3\n')).toEqual(['https://a.test/1', 'https://b.test/2', 'https://c.test/3']);
  });
});
