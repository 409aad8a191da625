import { systemClock } from '../clock.ts';
import { RateLimiter } from '../policy/rate-limiter.ts';
import type { TorrentLimits } from './torrent-protocol.ts';

/** The parts of a bittorrent-protocol wire a torrent's own limits hold back. */
interface LimitedWire {
  destroyed?: boolean;
  _write(data: Uint8Array, cb: (error?: Error | null) => void): void;
  piece(index: number, offset: number, buffer: Uint8Array): void;
}

/**
 * One torrent's own download and upload limits, over all its peers. WebTorrent's throttles are
 * the client's (all torrents); these hold a torrent's wires back where the bytes pass: what
 * arrives is taken in only as the download bucket allows (the peer is then held back by TCP),
 * and each piece sent waits for the upload bucket.
 */
export class WireLimits {
  readonly #down = new RateLimiter(systemClock, 0);
  readonly #up = new RateLimiter(systemClock, 0);

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
    const piece = wire.piece.bind(wire);
    wire.piece = (index, offset, buffer) => {
      const wait = this.#up.take(buffer.byteLength);
      if (wait <= 0) piece(index, offset, buffer);
      else
        setTimeout(() => {
          if (wire.destroyed !== true) piece(index, offset, buffer);
        }, wait);
    };
  }
}
