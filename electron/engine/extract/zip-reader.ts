import yauzl from 'yauzl';
import type { ArchiveEntry, ArchiveReader } from './archive-entry.ts';

// Unix's file type bits in a zip's external attributes (made by Unix zip tools).
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/**
 * A zip's entries through yauzl (it reads the central directory, checks each entry's sizes
 * against what it declares, and never trusts the local headers). Names are decoded here, not
 * by yauzl, so one hostile name is refused by the extractor rather than failing the archive.
 */
export async function openZip(file: string): Promise<ArchiveReader> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  const next = (): Promise<yauzl.Entry | null> =>
    new Promise((resolve, reject) => {
      const cleanup = (): void => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      };
      const onEntry = (entry: yauzl.Entry): void => {
        cleanup();
        resolve(entry);
      };
      const onEnd = (): void => {
        cleanup();
        resolve(null);
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(error);
      };
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<ArchiveEntry> {
      for (let entry = await next(); entry !== null; entry = await next()) {
        const name = nameOf(entry);
        const current = entry;
        yield { name, kind: kindOf(entry, name), size: entry.uncompressedSize, body: () => zip.openReadStreamPromise(current) };
      }
    },
    close: async () => zip.close(),
  };
}

const UTF8_FLAG = 0x800;
const INFO_ZIP_UNICODE_PATH = 0x7075;

/**
 * An entry's name. The spec says: UTF-8 when flagged (or given in Info-ZIP's Unicode field),
 * else code page 437; but zip on Linux and macOS's Archive Utility write UTF-8 without the flag,
 * so unflagged bytes that are valid UTF-8 are read as UTF-8, as 7-Zip and unzip do.
 */
function nameOf(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw as Buffer;
  const declared = (entry.generalPurposeBitFlag & UTF8_FLAG) !== 0 || entry.extraFields.some((f) => f.id === INFO_ZIP_UNICODE_PATH);
  if (!declared && raw.some((byte) => byte >= 0x80)) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      // Not UTF-8: the spec's code page 437 below.
    }
  }
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
}

function kindOf(entry: yauzl.Entry, name: string): ArchiveEntry['kind'] {
  const unixType = ((entry.externalFileAttributes >>> 16) & S_IFMT) >>> 0;
  if (unixType === S_IFLNK) return 'link';
  if (unixType === S_IFDIR || name.endsWith('/')) return 'folder';
  if (unixType === 0 || unixType === S_IFREG) return entry.isEncrypted() ? 'other' : 'file';
  return 'other';
}
