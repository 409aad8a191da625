import { describe, expect, it } from 'vitest';
import { chooseFilename, filenameFromContentDisposition, filenameFromUrl, MAX_NAME_BYTES, sanitizeFilename, uniqueFilename } from '../../../electron/engine/input/filename.ts';

describe('Content-Disposition (RFC 6266)', () => {
  it.each([
    ['attachment; filename="report.pdf"', 'report.pdf'],
    [`attachment; filename="fallback.txt"; filename*=UTF-8''%E4%B8%AD%E6%96%87.txt`, '中文.txt'],
    [`attachment; filename*=UTF-8''na%C3%AFve.txt; filename="naive.txt"`, 'naïve.txt'],
    [`attachment; filename*=iso-8859-1'en'%A3%20rates.txt`, '£ rates.txt'],
    ['attachment; filename=my file.txt', 'my file.txt'],
    ['attachment;filename="x.zip";', 'x.zip'],
    ['attachment; filename="a \\"quoted\\" name.txt"', 'a "quoted" name.txt'],
    // Raw UTF-8 bytes in a quoted filename reach us as Latin-1 code units.
    [`attachment; filename="${Buffer.from('résumé.pdf').toString('latin1')}"`, 'résumé.pdf'],
  ])('%s → %s', (header, expected) => {
    expect(filenameFromContentDisposition(header)).toBe(expected);
  });

  it('gives nothing for inline or empty headers', () => {
    expect(filenameFromContentDisposition('inline')).toBeUndefined();
    expect(filenameFromContentDisposition('')).toBeUndefined();
    expect(filenameFromContentDisposition(undefined)).toBeUndefined();
  });
});

describe('names from URLs', () => {
  it('takes the last segment, percent-decoded', () => {
    expect(filenameFromUrl(new URL('https://h.test/a/b/My%20File%C3%A9.tar.gz?x=1'))).toBe('My Fileé.tar.gz');
    expect(filenameFromUrl(new URL('https://h.test/dir/'))).toBe('dir');
    expect(filenameFromUrl(new URL('https://h.test/'))).toBeUndefined();
    expect(filenameFromUrl(new URL('https://h.test/bad%E0%A4%A'))).toBe('bad%E0%A4%A');
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system.ini', 'system.ini'],
    ['..', 'download'],
    ['', 'download'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1', '_com1'],
    ['clock$', '_clock$'],
    ['CONIN$', '_CONIN$'],
    ['conout$.log', '_conout$.log'],
    ['name. . ', 'name'],
    ['a\u0000b\u001fc\u007f.txt', 'abc.txt'],
    ['evil\u202Etxt.exe', 'eviltxt.exe'],
    ['what?<is>this:"|*.txt', 'what__is_this____.txt'],
    ['.hidden', 'hidden'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('keeps at most 255 UTF-8 bytes and the extension, never splitting a character; a name of 255 bytes stays whole', () => {
    const long = `${'字'.repeat(200)}.iso`;
    const safe = sanitizeFilename(long);
    expect(MAX_NAME_BYTES).toBe(255);
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(255);
    expect(Buffer.byteLength(safe)).toBeGreaterThan(250);
    const exact = `${'n'.repeat(251)}.zip`;
    expect(sanitizeFilename(exact)).toBe(exact);
    expect(safe.endsWith('.iso')).toBe(true);
    expect(safe).not.toContain('\uFFFD');
  });
});

describe('uniqueFilename', () => {
  it('numbers copies before the extension', () => {
    const taken = new Set(['a.zip', 'a (1).zip']);
    expect(uniqueFilename('a.zip', (n) => taken.has(n))).toBe('a (2).zip');
    expect(uniqueFilename('README', (n) => n === 'README')).toBe('README (1)');
    expect(uniqueFilename('free.txt', () => false)).toBe('free.txt');
  });

  it('stays within 255 bytes when numbering a long name', () => {
    const name = `${'x'.repeat(251)}.bin`;
    const next = uniqueFilename(name, (n) => n === name);
    expect(Buffer.byteLength(next)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(next.endsWith(' (1).bin')).toBe(true);
  });
});

describe('chooseFilename', () => {
  it('prefers the user, then Content-Disposition, then the URL', () => {
    const url = new URL('https://h.test/path/file.bin');
    expect(chooseFilename({ requested: 'mine.bin', contentDisposition: 'attachment; filename=cd.bin', url })).toBe('mine.bin');
    expect(chooseFilename({ contentDisposition: 'attachment; filename=cd.bin', url })).toBe('cd.bin');
    expect(chooseFilename({ url })).toBe('file.bin');
    expect(chooseFilename({ url: new URL('https://h.test/') })).toBe('download');
  });
});
