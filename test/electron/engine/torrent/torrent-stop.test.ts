// A torrent stopped the moment it starts (Haul quit right after a magnet link was added) ends:
// its run was still making its folder when the stop came, and must not wait for it forever.
import { describe, expect, it } from 'vitest';
import { startEngine } from '../../../helpers/engine-harness.ts';

describe('a torrent stopped as it starts', () => {
  it('shuts down while its run is still making the folder', async () => {
    const h = startEngine();
    h.engine.updateSettings({ torrent: { port: 0, dht: false, lsd: false, pex: false, trackers: false } });
    const [d] = h.engine.add({ url: `magnet:?xt=urn:btih:${'e'.repeat(40)}` });
    expect(h.engine.get(d?.id ?? '')?.status).toBe('downloading');
    // No turn of the event loop between the start and the stop: the run is at its first await.
    // On the old code this never resolved: the test's own timeout is the failure.
    await h.engine.shutdown();
    // Not failed: it resumes on the next start.
    expect(h.store.loadDownloads().find((r) => r.id === d?.id)?.status).toBe('downloading');
  }, 10_000);
});
