import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WireLimits } from '../../../../electron/engine/torrent/wire-limits.ts';
import { waitUntil } from '../../../helpers/wait.ts';

/** The parts of a wire the limits hold back, recording the pieces that go out. */
function fakeWire() {
  const events = new EventEmitter();
  const sent: string[] = [];
  const wire = {
    destroyed: false,
    _write: (_data: Uint8Array, cb: (error?: Error | null) => void) => cb(null),
    piece: (index: number, offset: number, _buffer: Uint8Array) => void sent.push(`${index}:${offset}`),
    on: (event: 'cancel', listener: (index: number, offset: number, length: number) => void) => events.on(event, listener),
  };
  return { wire, sent, cancel: (index: number, offset: number) => events.emit('cancel', index, offset, 16384) };
}

describe("a torrent's own upload limit", () => {
  it('sends the pieces asked for one after another, and one cancel takes back one request of that block', async () => {
    const limits = new WireLimits();
    // 64 KiB/s: a burst of a quarter second is one block, then a block every quarter second.
    limits.set({ download: 0, upload: 64 * 1024 });
    const { wire, sent, cancel } = fakeWire();
    limits.hold(wire);
    const block = new Uint8Array(16384);
    wire.piece(1, 0, block);
    wire.piece(2, 0, block);
    wire.piece(3, 0, block);
    // The peer's request for 3:0 timed out; it asked again, then cancelled the first.
    wire.piece(3, 0, block);
    cancel(3, 0);
    wire.piece(4, 0, block);
    cancel(4, 0);
    // The queue goes in order: once a block asked for last is sent, everything before it went or was taken back.
    wire.piece(9, 0, block);
    await waitUntil(() => sent.includes('9:0'), 5_000, 'the queued pieces sent');
    expect(sent).toEqual(['1:0', '2:0', '3:0', '9:0']);
  });
});
