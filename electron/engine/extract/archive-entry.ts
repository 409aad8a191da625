/** One entry of an archive as the extractor sees it, whatever the format. */
export interface ArchiveEntry {
  /** Its path inside the archive, as the archive spells it (not yet checked). */
  name: string;
  kind: 'file' | 'folder' | 'link' | 'other';
  /** The size it says it has (a zip's central directory, a tar header); the bytes are counted anyway. */
  size: number;
  /** Its bytes; read once, before the next entry is asked for. */
  body: () => Promise<AsyncIterable<Uint8Array>>;
}

/** Entries one at a time; `close` stops reading (early, on a refusal of the whole archive). */
export interface ArchiveReader extends AsyncIterable<ArchiveEntry> {
  close: () => Promise<void>;
}
