import crypto from 'node:crypto';
import Wire from 'bittorrent-protocol';
import { describe, expect, it } from 'vitest';
import { readWithFewerCopies, type ReadingWire } from '../../../../electron/engine/torrent/wire-reading.ts';

/** A peer's bytes: its handshake, then messages of many sizes (pieces of 16 KiB, haves, a keep-alive, a bitfield). */
function peerBytes(): Buffer {
  const message = (id: number, body: Buffer): Buffer => {
    const head = Buffer.alloc(5);
    head.writeUInt32BE(body.length + 1, 0);
    head[4] = id;
    return Buffer.concat([head, body]);
  };
  const parts: Buffer[] = [Buffer.from([19]), Buffer.from('BitTorrent protocol'), Buffer.alloc(8), crypto.randomBytes(20), crypto.randomBytes(20)];
  parts.push(message(5, crypto.randomBytes(8)));
  for (let i = 0; i < 200; i++) {
    const where = Buffer.alloc(8);
    where.writeUInt32BE(i >> 4, 0);
    where.writeUInt32BE((i & 15) * 16384, 4);
    parts.push(message(7, Buffer.concat([where, crypto.randomBytes(16384)])));
    if (i % 7 === 0) parts.push(message(4, Buffer.from([0, 0, 0, i])));
    if (i % 3 === 0) parts.push(message(6, Buffer.from([0, 0, 0, i, 0, 0, 64, 0, 0, 0, 64, 0])));
    if (i % 50 === 0) parts.push(Buffer.alloc(4));
  }
  return Buffer.concat(parts);
}

/** What a wire reads from `bytes` handed in chunks of the given sizes (in turn), its reading patched after the handshake or not. */
function read(bytes: Buffer, sizes: number[], patched: boolean): { seen: string[]; views: number } {
  const wire = new Wire() as unknown as ReadingWire & { on(event: string, listener: (...args: unknown[]) => void): void };
  const seen: string[] = [];
  // Blocks handed out as views of the bytes that arrived, not of a copy.
  let views = 0;
  wire.on('handshake', () => {
    // Unchoked, the peer's requests are taken (choked, they are dropped unseen).
    (wire as unknown as { unchoke(): void }).unchoke();
    if (patched) readWithFewerCopies(wire);
  });
  wire.on('request', (index, offset, length) => seen.push(`request ${index} ${offset} ${length}`));
  wire.on('piece', (index, offset, data) => {
    const block = data as Uint8Array;
    seen.push(`piece ${index} ${offset} ${crypto.createHash('sha1').update(block).digest('hex')}`);
    if (block.buffer === bytes.buffer) views += 1;
  });
  wire.on('have', (index) => seen.push(`have ${index}`));
  wire.on('bitfield', () => seen.push('bitfield'));
  wire.on('keep-alive', () => seen.push('keep-alive'));
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    wire._write(bytes.subarray(at, at + size), () => undefined);
    at += size;
  }
  return { seen, views };
}

describe('reading a peer with fewer copies', () => {
  it('reads the same messages as the library does, whatever sizes the bytes arrive in', () => {
    const bytes = peerBytes();
    // All at once too: the rest of the chunk that finished the handshake is read without waiting for another.
    for (const sizes of [[65536], [3, 1, 4096], [16397, 3, 70000], [5, 16384, 100, 65536, 9], [bytes.length]]) {
      // Each wire reads its own copy: a wire keeps views of what it read (a bitfield) and changes them.
      const plain = read(Buffer.from(bytes), sizes, false);
      expect(plain.seen.filter((m) => m.startsWith('piece'))).toHaveLength(200);
      expect(plain.seen.filter((m) => m.startsWith('request'))).toHaveLength(67);
      const patched = read(Buffer.from(bytes), sizes, true);
      expect(patched.seen).toEqual(plain.seen);
      if (sizes[0] === 65536) expect(patched.views).toBeGreaterThan(plain.views + 100);
    }
  });
});
