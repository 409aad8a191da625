// What Haul changes in how WebTorrent works, each measured on a 1 GiB torrent from local aria2c
// seeders (CPU of the worker thread): the library's choices suit a browser tab with a few slow
// peers, not a desktop client with fast ones. Each is applied to a torrent or a wire as the
// worker takes it; nothing here changes what is downloaded, only how much work it takes.
import type { Torrent } from 'webtorrent';

/**
 * WebTorrent runs its piece picker over every wire after each block that arrives (a microtask
 * per 16 KiB: 65,536 runs for 1 GiB), and near the end each run scans every piece in flight for
 * a request to swap. The runs asked for while one is pending are one run: the next turn of the
 * event loop, after the socket's read has been taken in whole.
 */
export function coalesceUpdates(torrent: Torrent): void {
  const inner = torrent as unknown as { _update: () => void };
  const update = inner._update.bind(torrent);
  let pending = false;
  inner._update = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      update();
    });
  };
}

/**
 * Blocks asked of one peer at a time, at most. WebTorrent asks for a second's worth at the
 * speed it measures, unless the peer says how many it takes (BEP 10's `reqq`): over loopback
 * that was 12,000 blocks (190 MiB) in flight from one peer, and every block that came in was
 * looked for among them. 500 blocks (8 MiB) keep a link of 80 MiB/s and 100 ms busy; libtorrent
 * asks for no more either.
 */
const MAX_REQUESTS = 500;

/** Treats a peer as taking at most MAX_REQUESTS requests, or fewer if it says so (the extended handshake may come later, and is read again then). */
export function capRequestQueue(wire: { peerExtendedHandshake: { reqq?: unknown }; on(event: 'extended', listener: (ext: string) => void): unknown }): void {
  const cap = (): void => {
    const asked = wire.peerExtendedHandshake.reqq;
    wire.peerExtendedHandshake.reqq = typeof asked === 'number' && asked > 0 ? Math.min(asked, MAX_REQUESTS) : MAX_REQUESTS;
  };
  cap();
  wire.on('extended', (ext) => {
    if (ext === 'handshake') cap();
  });
}

/** A coarse clock: the tick advances every SPEED_TICK_MS, so a speed read again in the same tick is not measured again. */
const SPEED_TICK_MS = 5;
let tick = 0;
setInterval(() => tick++, SPEED_TICK_MS).unref();

/**
 * WebTorrent asks each wire for its speed from inside its piece picker, for every block of every
 * candidate piece: millions of reads of a clock for a large torrent. A read in the same tick
 * returns the last value; a measurement (with bytes) always goes through.
 */
export function cacheSpeed(wire: { downloadSpeed: (bytes?: number) => number }): void {
  const measure = wire.downloadSpeed;
  let at = -1;
  let last = 0;
  wire.downloadSpeed = (bytes?: number): number => {
    if (bytes !== undefined) {
      at = -1;
      return measure(bytes);
    }
    if (at !== tick) {
      at = tick;
      last = measure();
    }
    return last;
  };
}
