import { describe, expect, it } from 'vitest';
import { expandPattern, extractLinks, MAX_EXPANSION } from '../../shared/links.ts';

describe('extractLinks', () => {
  it('finds links in prose, leaving sentence punctuation and unmatched brackets out', () => {
    const text = 'Here is the file: https://files.example/disk.iso (mirror: http://m.example/disk.iso). See https://en.example/wiki/Foo_(bar), thanks!';
    expect(extractLinks(text)).toEqual({ urls: ['https://files.example/disk.iso', 'http://m.example/disk.iso', 'https://en.example/wiki/Foo_(bar)'], problems: [] });
  });

  it('takes one per line or several on a line, and drops duplicates', () => {
    expect(extractLinks(' https://a.example/1 https://b.example/2\n\nhttps://a.example/1 ').urls).toEqual(['https://a.example/1', 'https://b.example/2']);
  });

  it('reports a link that cannot be downloaded with its line, and keeps the others', () => {
    const result = extractLinks('https://a.example/1\nftp://old.example/x\njavascript:alert(1)\nhttps://b.example/2');
    expect(result.urls).toEqual(['https://a.example/1', 'https://b.example/2']);
    expect(result.problems).toEqual([
      { line: 2, code: 'UNSUPPORTED_PROTOCOL', message: expect.stringContaining('"ftp:"') },
      { line: 3, code: 'UNSUPPORTED_PROTOCOL', message: expect.stringContaining('"javascript:"') },
    ]);
  });

  it('says so when there is nothing to add', () => {
    expect(extractLinks('').problems[0]?.message).toMatch(/empty/u);
    expect(extractLinks('just some words').problems[0]?.message).toMatch(/No link was found/u);
  });

  it('expands batch patterns', () => {
    const { urls } = extractLinks('https://h.example/file[001-120].zip');
    expect(urls).toHaveLength(120);
    expect(urls[0]).toBe('https://h.example/file001.zip');
    expect(urls[119]).toBe('https://h.example/file120.zip');
    expect(extractLinks('https://h.example/part[a-c]-[1-2].rar').urls).toEqual([
      'https://h.example/parta-1.rar',
      'https://h.example/parta-2.rar',
      'https://h.example/partb-1.rar',
      'https://h.example/partb-2.rar',
      'https://h.example/partc-1.rar',
      'https://h.example/partc-2.rar',
    ]);
  });
});

describe('expandPattern', () => {
  it('leaves a link without a pattern, a reversed range, or one too large as it is', () => {
    expect(expandPattern('https://h.example/a.zip')).toEqual(['https://h.example/a.zip']);
    expect(expandPattern('https://h.example/[9-1].zip')).toEqual(['https://h.example/[9-1].zip']);
    expect(expandPattern(`https://h.example/[0-${MAX_EXPANSION}].zip`)).toEqual([`https://h.example/[0-${MAX_EXPANSION}].zip`]);
    // Combined ranges stop at the limit.
    expect(expandPattern('https://h.example/[0-99]/[0-9].zip', 500)).toHaveLength(500);
  });
});
