import { describe, expect, it } from 'vitest';
import { bitRanges } from '../../../../electron/engine/torrent/bitfield.ts';
import { chosenBytes, seedablePieces, wantedPieces } from '../../../../electron/engine/torrent/torrent-files.ts';

// Three files over pieces of 100 bytes: a = bytes 0–249 (pieces 0–2), b = 250–349 (2–3), c = 350–499 (3–4).
const files = [
  { path: 't/a', length: 250 },
  { path: 't/b', length: 100 },
  { path: 't/c', length: 150 },
];
const torrent = (selected?: number[]) => ({ files, pieceLength: 100, pieces: 5, ...(selected === undefined ? {} : { selected }) });

describe('a torrent’s pieces and the files asked for', () => {
  it('fetches the pieces that hold any byte of a file asked for, shared pieces included', () => {
    expect(wantedPieces(torrent())).toEqual([[0, 5]]);
    expect(wantedPieces(torrent([1]))).toEqual([[2, 4]]);
    // a and c need piece 2 (shared with b) and piece 3 (shared with b): all of them, though b is not kept.
    expect(wantedPieces(torrent([0, 2]))).toEqual([[0, 5]]);
    expect(
      wantedPieces({
        files: [
          { path: 'x/a', length: 100 },
          { path: 'x/b', length: 100 },
          { path: 'x/c', length: 5000 },
        ],
        pieceLength: 1000,
        pieces: 6,
        selected: [2],
      }),
    ).toEqual([[0, 6]]);
    expect(
      wantedPieces({
        files: [
          { path: 'x/a', length: 3000 },
          { path: 'x/b', length: 100 },
        ],
        pieceLength: 1000,
        pieces: 4,
        selected: [0],
      }),
    ).toEqual([[0, 3]]);
    expect(chosenBytes(torrent([0, 2]))).toBe(400);
  });

  it('seeds only pieces whose every byte lies in a file it kept', () => {
    const all = new Uint8Array([0b1111_1000]);
    expect(bitRanges(seedablePieces(torrent(), all), 5)).toEqual([[0, 5]]);
    expect(bitRanges(seedablePieces(torrent([0, 2]), all), 5)).toEqual([
      [0, 2],
      [4, 5],
    ]);
    expect(bitRanges(seedablePieces(torrent([1]), all), 5)).toEqual([]);
  });
});
