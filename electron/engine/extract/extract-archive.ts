import fs from 'node:fs';
import path from 'node:path';
import { uniqueFilename } from '../input/filename.ts';
import type { ArchiveEntry, ArchiveReader } from './archive-entry.ts';
import { DEFAULT_ARCHIVE_LIMITS, entryPath, expansionBudget, type ArchiveLimits } from './archive-policy.ts';
import { openTar } from './tar-reader.ts';
import { openZip } from './zip-reader.ts';

export interface RefusedEntry {
  name: string;
  reason: string;
}

export type ExtractOutcome = { kind: 'extracted'; folder: string; files: number; bytes: number; refused: RefusedEntry[] } | { kind: 'not-an-archive' } | { kind: 'failed'; reason: string };

type Format = 'zip' | 'tar';

/** A stop of the whole extraction (a bound passed, the archive damaged): nothing of it is kept. */
class Abandon extends Error {}

/**
 * Extracts a zip or a tar (gzipped or not) into a folder beside it named after it. Entries that
 * would land outside that folder, links and devices are refused by name and the rest extracted;
 * past the limits (entries, bytes, expansion ratio) the whole extraction is abandoned. It is
 * written into a hidden folder first and renamed into place only when complete.
 */
export async function extractArchive(file: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ExtractOutcome> {
  const format = await formatOf(file);
  if (format === undefined) return { kind: 'not-an-archive' };
  const dir = path.dirname(file);
  const work = await fs.promises.mkdtemp(path.join(dir, '.haul-extract-'));
  let reader: ArchiveReader | undefined;
  try {
    reader = format === 'zip' ? await openZip(file) : openTar(file);
    const budget = expansionBudget(limits, (await fs.promises.stat(file)).size);
    const tally = { entries: 0, declared: 0, files: 0, bytes: 0, refused: [] as RefusedEntry[] };
    for await (const entry of reader) {
      if (++tally.entries > limits.maxEntries) throw new Abandon(`it has more than ${limits.maxEntries} entries`);
      // Refused entries' bodies are still decompressed to be skipped: they count too.
      tally.declared += entry.size;
      if (tally.declared > budget) throw new Abandon(`it would expand past ${budget} bytes`);
      const refusal = await place(entry, work, budget, tally);
      if (refusal !== undefined) tally.refused.push({ name: entry.name, reason: refusal });
    }
    const folder = path.join(
      dir,
      uniqueFilename(folderName(file), (name) => fs.existsSync(path.join(dir, name))),
    );
    await fs.promises.rename(work, folder);
    return { kind: 'extracted', folder, files: tally.files, bytes: tally.bytes, refused: tally.refused };
  } catch (error) {
    await fs.promises.rm(work, { recursive: true, force: true });
    return { kind: 'failed', reason: error instanceof Abandon ? error.message : `the archive could not be read: ${(error as Error).message}` };
  } finally {
    await reader?.close().catch(() => undefined);
  }
}

/** Writes one entry under `root`; the reason it was refused, if it was. */
async function place(entry: ArchiveEntry, root: string, budget: number, tally: { files: number; bytes: number }): Promise<string | undefined> {
  const where = entryPath(entry.name);
  if (where.kind === 'refused') return where.reason;
  if (entry.kind === 'link') return 'is a link';
  if (entry.kind === 'other') return 'is not a plain file or folder';
  const target = path.join(root, ...where.parts);
  try {
    if (entry.kind === 'folder') {
      await fs.promises.mkdir(target, { recursive: true });
      return undefined;
    }
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const out = await fs.promises.open(target, 'wx');
    try {
      for await (const chunk of await entry.body()) {
        tally.bytes += chunk.byteLength;
        if (tally.bytes > budget) throw new Abandon(`it expands past ${budget} bytes`);
        await out.write(chunk);
      }
    } finally {
      await out.close();
    }
    tally.files++;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'is in the archive twice';
    if (code === 'ENOTDIR') return 'collides with a file of the same name';
    throw error;
  }
}

async function formatOf(file: string): Promise<Format | undefined> {
  const head = Buffer.alloc(512);
  const handle = await fs.promises.open(file, 'r');
  const { bytesRead } = await handle.read(head, 0, 512, 0).finally(() => handle.close());
  if (bytesRead >= 4 && head.readUInt32BE(0) === 0x504b0304) return 'zip';
  if (bytesRead >= 4 && head.readUInt32BE(0) === 0x504b0506) return 'zip';
  if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return /\.(tgz|tar\.gz)$/iu.test(file) ? 'tar' : undefined;
  if (bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return undefined;
}

/** "photos.tar.gz" → "photos". */
function folderName(file: string): string {
  const base = path.basename(file).replace(/\.(zip|tgz|tar\.gz|tar)$/iu, '');
  return base === '' || base.startsWith('.') ? `extracted ${base}`.trim() : base;
}
