import fs from 'node:fs';
import { entries } from 'tar';
import type { ArchiveEntry, ArchiveReader } from './archive-entry.ts';

/**
 * A tar's entries, gzipped or not, through node-tar (npm's own: long names, pax headers and
 * gzip handled); reading is pulled, so nothing is decompressed ahead of what is written.
 */
export function openTar(file: string): ArchiveReader {
  const input = fs.createReadStream(file);
  const reader = entries(input);
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<ArchiveEntry> {
      for await (const entry of reader) {
        yield { name: entry.path, kind: kindOf(entry.type), size: entry.size, body: async () => entry.body };
      }
    },
    close: async () => {
      await reader.return?.();
      input.destroy();
    },
  };
}

function kindOf(type: string): ArchiveEntry['kind'] {
  switch (type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
      return 'folder';
    case 'SymbolicLink':
    case 'Link':
      return 'link';
    default:
      return 'other';
  }
}
