import fs from 'node:fs/promises';
import { fileErrorFrom } from '../disk/file-errors.ts';
import type { ReadySegment, RemuxResult } from './remux.ts';
import type { RemuxRun } from './remux-runner.ts';

/**
 * Keeps an MPEG-TS stream as it is (`--container ts`): its segments, put end to end in their
 * order, are a valid transport stream. The file is written once every segment is here.
 */
export function joinTs(output: string): RemuxRun {
  const files = new Map<number, string>();
  return {
    add: (segment: ReadySegment) => {
      const file = segment.files.at(-1);
      if (file !== undefined) files.set(segment.index, file);
    },
    finish: async (): Promise<RemuxResult> => {
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(output, 'w', 0o644);
        for (const index of [...files.keys()].sort((a, b) => a - b)) await handle.write(await fs.readFile(files.get(index) ?? ''));
      } catch (error) {
        throw fileErrorFrom(error as NodeJS.ErrnoException, 'write the video', output);
      } finally {
        await handle?.close();
      }
      return { duration: 0 };
    },
    cancel: () => undefined,
  };
}
