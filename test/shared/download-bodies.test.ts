import { describe, expect, it } from 'vitest';
import { parseAddBody, parseDownloadPatchBody } from '../../shared/download-bodies.ts';
import { parseSettingsBody } from '../../shared/settings-body.ts';
import { parseCheckLinksBody } from '../../shared/route-bodies.ts';

describe('the download routes’ bodies', () => {
  it('an add: links normalised, the fields given kept, nothing added that was not given, and a parsed add parses again to itself', () => {
    const first = parseAddBody({ urls: ['HTTP://Example.test/a b.iso', 'https://example.test/c'], connections: 4, checksum: undefined, headers: { Referer: 'https://r.test/' } });
    expect(first).toEqual({ ok: true, value: { urls: ['http://example.test/a%20b.iso', 'https://example.test/c'], connections: 4, headers: { Referer: 'https://r.test/' } } });
    if (!first.ok) return;
    expect(parseAddBody(first.value)).toEqual(first);
    const one = parseAddBody({ url: 'https://example.test/x', checksum: `SHA256=${'AB'.repeat(32)}`, quality: '720p', container: 'ts' });
    expect(one).toMatchObject({ ok: true, value: { checksum: `sha256=${'ab'.repeat(32)}`, quality: '720p', container: 'ts' } });
    if (one.ok) expect(parseAddBody(one.value)).toEqual(one);
    // A torrent's add has no links; parsed, it still parses again to itself.
    const torrent = parseAddBody({ torrent: 'ZDQ6aW5mb2Vl', files: [2, 0, 2], seedRatio: 0.5, seedMinutes: 10 });
    expect(torrent).toEqual({ ok: true, value: { urls: [], torrent: 'ZDQ6aW5mb2Vl', files: [0, 2], seedRatio: 0.5, seedMinutes: 10 } });
    if (torrent.ok) expect(parseAddBody(torrent.value)).toEqual(torrent);
    expect(parseAddBody({ torrent: 'ZDQ6aW5mb2Vl', url: 'https://example.test/x' })).toMatchObject({
      ok: false,
      field: 'torrent',
      message: 'Give either "torrent" (a .torrent file) or "url"/"urls", not both.',
    });
    expect(parseAddBody({ torrent: 'not base64!' })).toMatchObject({ ok: false, field: 'torrent' });
    expect(parseAddBody({ url: `magnet:?xt=urn:btih:${'a'.repeat(40)}`, files: [-1] })).toMatchObject({ ok: false, field: 'files' });
  });

  it('names the field and, for a link, the code that says what is wrong with it', () => {
    expect(parseAddBody({ url: 'ftp://example.test/a' })).toMatchObject({ ok: false, field: 'url', code: 'UNSUPPORTED_PROTOCOL' });
    expect(parseAddBody({ urls: ['https://ok.test/', 'not a link'] })).toMatchObject({
      ok: false,
      field: 'urls[1]',
      code: 'INVALID_URL',
      message: expect.stringMatching(/^urls\[1\] \("not a link"\)/u),
    });
    expect(parseAddBody({ url: 'https://ok.test/', size: 3 })).toMatchObject({ ok: false, field: 'size', code: 'INVALID_FIELD' });
    expect(parseCheckLinksBody({ urls: [] })).toMatchObject({ ok: false, field: 'urls', message: '"urls" must be a list of 1 to 10000 links.' });
    expect(parseSettingsBody({ maxConcurrent: 0 })).toMatchObject({ ok: false, field: 'maxConcurrent' });
  });

  it('a download’s patch keeps the names it was sent with, so it too parses again to itself', () => {
    const patch = parseDownloadPatchBody({ maxConnections: 0, speedLimit: 1000 });
    expect(patch).toEqual({ ok: true, value: { maxConnections: 0, speedLimit: 1000 } });
    if (patch.ok) expect(parseDownloadPatchBody(patch.value)).toEqual(patch);
    expect(parseDownloadPatchBody({})).toMatchObject({ ok: false, message: 'Nothing to change: give url, maxConnections, speedLimit or uploadLimit.' });
  });
});
