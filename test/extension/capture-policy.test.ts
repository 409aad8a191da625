import { describe, expect, it } from 'vitest';
import { decide, type Candidate } from '../../extension/src/capture-policy.ts';
import { DEFAULT_SETTINGS } from '../../extension/src/capture-settings.ts';

const base: Candidate = { url: 'https://files.example/a/report.pdf', filename: 'report.pdf', size: 5_000_000, pageHost: 'portal.example', posted: false, bypass: false };

describe('which downloads go to Haul', () => {
  it('hands over a plain https download by default', () => {
    expect(decide(base, DEFAULT_SETTINGS)).toEqual({ kind: 'haul' });
  });

  it('keeps in the browser what a plain GET cannot fetch again, and what the user held Alt for', () => {
    for (const url of ['blob:https://app.example/5b1c', 'data:text/plain,hi', 'file:///tmp/x'])
      expect(decide({ ...base, url }, DEFAULT_SETTINGS)).toEqual({ kind: 'browser', reason: 'not-replayable' });
    expect(decide({ ...base, posted: true }, DEFAULT_SETTINGS)).toEqual({ kind: 'browser', reason: 'post' });
    expect(decide({ ...base, bypass: true }, DEFAULT_SETTINGS)).toEqual({ kind: 'browser', reason: 'bypass' });
    expect(decide(base, { ...DEFAULT_SETTINGS, enabled: false })).toEqual({ kind: 'browser', reason: 'disabled' });
  });

  it('applies the size, type and site filters; an unknown size passes the size filter', () => {
    expect(decide({ ...base, size: 1000 }, { ...DEFAULT_SETTINGS, minSize: 1_000_000 })).toEqual({ kind: 'browser', reason: 'small' });
    expect(decide({ ...base, size: -1 }, { ...DEFAULT_SETTINGS, minSize: 1_000_000 })).toEqual({ kind: 'haul' });
    // A .torrent is small but stands for large files: by its type, its name or its address.
    for (const torrent of [{ mime: 'application/x-bittorrent', filename: '' }, { filename: 'ubuntu.torrent' }, { url: 'https://files.example/get/ubuntu.torrent', filename: '' }])
      expect(decide({ ...base, size: 30_000, ...torrent }, { ...DEFAULT_SETTINGS, minSize: 1_000_000 })).toEqual({ kind: 'haul' });
    expect(decide(base, { ...DEFAULT_SETTINGS, types: ['zip', '.iso'] })).toEqual({ kind: 'browser', reason: 'type' });
    expect(decide({ ...base, filename: '/home/me/Downloads/disk.ISO' }, { ...DEFAULT_SETTINGS, types: ['zip', '.iso'] })).toEqual({ kind: 'haul' });
    // A name covers its subdomains, not names that merely end the same way.
    expect(decide(base, { ...DEFAULT_SETTINGS, skipSites: ['les.example', 'tal.example'] })).toEqual({ kind: 'haul' });
    expect(decide(base, { ...DEFAULT_SETTINGS, skipSites: ['files.example'] })).toEqual({ kind: 'browser', reason: 'site' });
    expect(decide({ ...base, url: 'https://cdn.files.example/x.pdf' }, { ...DEFAULT_SETTINGS, skipSites: ['files.example'] })).toEqual({ kind: 'browser', reason: 'site' });
    expect(decide(base, { ...DEFAULT_SETTINGS, skipSites: ['portal.example'] })).toEqual({ kind: 'browser', reason: 'site' });
  });

  it('judges the URL the browser ended at, after redirects', () => {
    expect(decide({ ...base, url: 'https://x.example/get', finalUrl: 'blob:https://x.example/1' }, DEFAULT_SETTINGS)).toEqual({ kind: 'browser', reason: 'not-replayable' });
  });
});
