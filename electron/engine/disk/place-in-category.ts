import path from 'node:path';
import { categoryOf, type Category } from '../../../shared/categories.ts';
import type { RecordBook } from '../records/record-book.ts';

/**
 * Sends download `id` to the folder of the category its name `name` falls in, below the folder
 * it was given (the download folder, or a user's own), before that name is reserved there.
 * Not when a folder was asked for, nor twice.
 */
export function placeInCategory(book: RecordBook, id: string, name: string, categories: readonly Category[]): void {
  const rec = book.require(id);
  if (rec.dirRequested === true || rec.category !== undefined || rec.filenameFixed) return;
  const category = categoryOf(name, categories);
  if (category === undefined) return;
  book.apply(id, { kind: 'category', category: category.name, dir: path.join(rec.dir, category.dir) });
}
