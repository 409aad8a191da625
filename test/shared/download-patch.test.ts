import { describe, expect, it } from 'vitest';
import type { Download } from '../../shared/api.ts';
import { applyPatch, diffDownload } from '../../shared/download-patch.ts';

const base: Download = {
  id: 'd1',
  url: 'https://example.test/a.iso',
  filename: 'a.iso',
  dir: '/d',
  received: 0,
  total: null,
  speed: 0,
  connections: 0,
  resumable: false,
  risky: false,
  order: 1,
  maxConnections: 0,
  speedLimit: 0,
  filenameFinal: false,
  createdAt: '2026-12-01T00:00:00.000Z',
  status: 'queued',
};

/** Views one download passes through: each next one is what the server sends a patch for. */
const views: Download[] = [
  base,
  { ...base, status: 'downloading', total: 1000, received: 10, resumable: true, node: 'n1', finalUrl: 'https://cdn.example.test/a.iso' },
  { ...base, status: 'failed', total: 1000, received: 10, error: { code: 'NETWORK_ERROR', message: 'reset' } },
  { ...base, status: 'queued', total: 1000, received: 10 },
  { ...base, status: 'completed', total: 1000, received: 1000, completedAt: '2026-12-01T00:01:00.000Z', checksum: { algorithm: 'sha256', expected: 'ab', verified: true } },
];

describe('a patch, both ways', () => {
  it('applied to the view it was taken from gives the next view exactly: set fields, cleared ones gone, a null size kept null', () => {
    for (let i = 1; i < views.length; i++) {
      const prev = views[i - 1] as Download;
      const next = views[i] as Download;
      const patch = diffDownload(prev, next);
      expect(patch).toBeDefined();
      expect(applyPatch(prev, patch ?? { id: prev.id })).toStrictEqual(next);
    }
  });

  it('a size the server cleared back to unknown is null, not missing', () => {
    const sized: Download = { ...base, total: 5 };
    expect(applyPatch(sized, { id: 'd1', total: null })).toStrictEqual(base);
  });
});
