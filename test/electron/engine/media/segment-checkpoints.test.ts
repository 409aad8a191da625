import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegmentCheckpoints } from '../../../../electron/engine/media/segment-checkpoints.ts';
import type { Range } from '../../../../electron/engine/range-set.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';

function checkpoints(done: Range[] = []) {
  const records: Array<{ done: Range[]; bytes: number }> = [];
  const disk = new SegmentCheckpoints({ done, record: (ranges, bytes) => records.push({ done: ranges, bytes }) });
  return { disk, records };
}

describe('segment checkpoints', () => {
  it('counts a written segment as on disk at once, and records it only at the next checkpoint', async () => {
    const dir = tempDir();
    const { disk, records } = checkpoints([[0, 2]]);
    await disk.write(3, path.join(dir, '3'), Buffer.from('three'));
    await disk.write(2, path.join(dir, '2'), Buffer.from('two'));
    expect(fs.readFileSync(path.join(dir, '3'), 'utf8')).toBe('three');
    expect([0, 1, 2, 3, 4].map((i) => disk.has(i))).toEqual([true, true, true, true, false]);
    expect(disk.all()).toEqual([[0, 4]]);
    expect(disk.writtenBytes).toBe(8);
    expect(records).toEqual([]);
    await disk.checkpoint();
    expect(records).toEqual([{ done: [[0, 4]], bytes: 8 }]);
    expect(disk.writtenBytes).toBe(0);
    // Nothing new: nothing recorded.
    await disk.checkpoint();
    expect(records).toHaveLength(1);
  });

  it('records checkpoints in the order they were asked for, each with what was written before it', async () => {
    const dir = tempDir();
    const { disk, records } = checkpoints();
    await disk.write(0, path.join(dir, '0'), Buffer.alloc(100));
    const first = disk.checkpoint();
    await disk.write(1, path.join(dir, '1'), Buffer.alloc(10));
    const second = disk.checkpoint();
    await Promise.all([first, second]);
    expect(records).toEqual([
      { done: [[0, 1]], bytes: 100 },
      { done: [[0, 2]], bytes: 10 },
    ]);
  });

  it('records nothing when a segment cannot be flushed, saying which, and a later checkpoint still can', async () => {
    const dir = tempDir();
    const { disk, records } = checkpoints();
    await disk.write(0, path.join(dir, '0'), Buffer.alloc(5));
    fs.rmSync(path.join(dir, '0'));
    await expect(disk.checkpoint()).rejects.toThrow(/flush a segment.*[/\\]0/u);
    expect(records).toEqual([]);
    expect(disk.has(0)).toBe(true);
    await disk.write(0, path.join(dir, '0'), Buffer.alloc(5));
    await disk.checkpoint();
    expect(records).toEqual([{ done: [[0, 1]], bytes: 5 }]);
  });

  it('says which segment could not be written', async () => {
    const { disk } = checkpoints();
    await expect(disk.write(0, path.join(tempDir(), 'missing-folder', '0'), Buffer.alloc(1))).rejects.toThrow(/write a segment.*missing-folder/u);
    expect(disk.has(0)).toBe(false);
  });
});
