import { describe, expect, it } from 'vitest';
import type { DownloadRecord } from '../../../../electron/engine/records/record.ts';
import { diffFields, fromFields, patchRecord, toFields } from '../../../../electron/server/cluster/record-fields.ts';

const rec: DownloadRecord = {
  id: 'd1',
  url: 'https://example.com/a.iso',
  dir: '/srv/dl',
  filename: 'a.iso',
  filenameFixed: true,
  filenameRequested: false,
  status: 'downloading',
  received: 10,
  ranges: [[0, 10]],
  total: 100,
  resumable: true,
  createdAt: '2026-12-01T00:00:00.000Z',
  headers: { cookie: 'x=1' },
  connections: 0,
  speedLimit: 0,
  seq: 1,
  etag: '"v1"',
};

describe('record fields in a Redis hash', () => {
  it('round-trips a record field by field', () => {
    expect(fromFields(toFields(rec))).toEqual(rec);
    const flat = Object.entries(toFields(rec)).flat();
    expect(fromFields(flat)).toEqual(rec);
    expect(fromFields({})).toBeUndefined();
  });

  it('writes only what changed, and deletes what went away', () => {
    const next: DownloadRecord = { ...rec, status: 'paused', etag: undefined };
    const { set, del } = diffFields(rec, next);
    expect(set).toEqual({ status: '"paused"' });
    expect(del).toEqual(['etag']);
    expect(patchRecord(rec, set, del)).toEqual(JSON.parse(JSON.stringify(next)));
  });

  it("two nodes' changes to different fields both hold, in either order", () => {
    const paused = diffFields(rec, { ...rec, status: 'paused' });
    const named = diffFields(rec, { ...rec, filename: 'b.iso' });
    const one = patchRecord(patchRecord(rec, paused.set, paused.del), named.set, named.del);
    const other = patchRecord(patchRecord(rec, named.set, named.del), paused.set, paused.del);
    expect(one).toEqual(other);
    expect(one).toMatchObject({ status: 'paused', filename: 'b.iso' });
  });
});
