import type { Category } from '../../../shared/categories.ts';
import { finalize } from '../disk/finalize.ts';
import { placeInCategory } from '../disk/place-in-category.ts';
import type { PartFile } from '../disk/part-file.ts';
import { toHaulError } from '../errors.ts';
import { chooseFilename } from '../input/filename.ts';
import { digestOf } from '../http/digest-headers.ts';
import { headerValue } from '../http/headers.ts';
import type { ResponseHead } from '../http/send-get.ts';
import type { RecordBook } from '../records/record-book.ts';
import type { WritePlan } from './transfer-context.ts';

/**
 * Readies download `id`'s file for a response body; undefined when a continuing body needs
 * nothing. A new representation is recorded at once (size, ranges, validators, final URL);
 * then, asynchronously, its name is reserved on disk (the first time) and the part file emptied.
 */
export function beginBody(book: RecordBook, part: PartFile, id: string, plan: WritePlan, head: ResponseHead, categories: readonly Category[]): Promise<void> | undefined {
  if (!plan.fresh) {
    const rec = book.require(id);
    if (rec.total === null && plan.total !== null) book.apply(id, { kind: 'total', total: plan.total });
    return part.isOpen ? undefined : part.prepare();
  }
  book.apply(id, {
    kind: 'representation',
    total: plan.total,
    resumable: plan.resumable,
    ...plan.validators,
    ...(head.url.href === book.require(id).url ? {} : { finalUrl: head.url.href }),
    digest: digestOf(head.headers, head.status),
  });
  return (async () => {
    const rec = book.require(id);
    if (!rec.filenameFixed) {
      const disposition = headerValue(head.headers, 'content-disposition');
      const wanted = rec.filenameRequested ? rec.filename : chooseFilename({ contentDisposition: disposition, url: head.url });
      placeInCategory(book, id, wanted, categories);
      const dir = book.require(id).dir;
      const filename = await part.reserve(wanted, (name) => book.isClaimed(dir, name, rec.id));
      book.apply(id, { kind: 'filename', filename });
    }
    await part.restart();
  })();
}

/**
 * Completes download `id` once every byte is in its part file: flushes and closes it,
 * verifies the checksum, moves it into place and records that. A checksum mismatch discards
 * the bytes (and says so) so that a retry starts clean.
 */
export async function finishFile(book: RecordBook, part: PartFile, id: string, now: number, whileFlushing?: () => Promise<void>): Promise<void> {
  // What runs beside the last flush is over before the file moves: it may still name the part file.
  await Promise.all([part.checkpoint(true), whileFlushing?.()]);
  await part.close();
  const rec = book.require(id);
  try {
    const done = await finalize(rec, (name) => book.isClaimed(rec.dir, name, rec.id));
    book.apply(id, { kind: 'finished', size: part.onDisk.size, completedAt: new Date(now).toISOString(), ...done });
  } catch (error) {
    if (toHaulError(error).code === 'CHECKSUM_MISMATCH') book.apply(id, { kind: 'discarded' });
    throw error;
  }
}
