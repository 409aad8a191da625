import { systemClock } from '../clock.ts';
import { RateLimiter } from '../policy/rate-limiter.ts';
import type { TorrentLimits } from './torrent-protocol.ts';

/** The parts of a bittorrent-protocol wire a torrent's own limits hold back. */
interface LimitedWire {
  destroyed?: boolean;
  _write(data: Uint8Array, cb: (error?: Error | null) => void): void;
  piece(index: number, offset: number, buffer: Uint8Array): void;
  on(event: 'cancel', listener: (index: number, offset: number, length: number) => void): unknown;
}

/**
 * One torrent's own download and upload limits, over all its peers. WebTorrent's throttles are
 * the client's (all torrents); these hold a torrent's wires back where the bytes pass: what
 * arrives is taken in only as the download bucket allows (the peer is then held back by TCP),
 * and the pieces a peer asked for are sent one after another as the upload bucket allows, each
 * paid for when it goes (a piece the peer cancels meanwhile is not sent): a peer that asks for
 * many at once never runs the bucket into a debt its requests time out behind.
 */
export class WireLimits {
  readonly #down = new RateLimiter(systemClock, 0);
  readonly #up = new RateLimiter(systemClock, 0);

  get current(): TorrentLimits {
    return { download: this.#down.rate, upload: this.#up.rate };
  }

  set(limits: TorrentLimits): void {
    if (limits.download !== this.#down.rate) this.#down.setRate(limits.download);
    if (limits.upload !== this.#up.rate) this.#up.setRate(limits.upload);
  }

  /** Puts `wire` under these limits (a new peer of the torrent). */
  hold(wire: LimitedWire): void {
    const write = wire._write.bind(wire);
    wire._write = (data, cb) => {
      const wait = this.#down.take(data.byteLength);
      if (wait <= 0) write(data, cb);
      else setTimeout(() => write(data, cb), wait);
    };
    const send = wire.piece.bind(wire);
    const queue: Array<{ index: number; offset: number; buffer: Uint8Array }> = [];
    let waiting = false;
    const pump = (): void => {
      while (!waiting && queue.length > 0) {
        const next = queue.shift();
        if (next === undefined || wire.destroyed === true) return;
        const wait = this.#up.take(next.buffer.byteLength);
        if (wait <= 0) send(next.index, next.offset, next.buffer);
        else {
          waiting = true;
          setTimeout(() => {
            waiting = false;
            if (wire.destroyed !== true) send(next.index, next.offset, next.buffer);
            pump();
          }, wait);
        }
      }
    };
    wire.piece = (index, offset, buffer) => {
      queue.push({ index, offset, buffer });
      pump();
    };
    // One cancel takes back one request, the oldest of that block, as the library pulls one: a peer
    // that asked for a block again (its request timed out) and then cancels the first still gets it.
    wire.on('cancel', (index, offset) => {
      const at = queue.findIndex((p) => p.index === index && p.offset === offset);
      if (at !== -1) queue.splice(at, 1);
    });
  }
}
