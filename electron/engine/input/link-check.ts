import fs from 'node:fs/promises';
import path from 'node:path';
import type { LinkCheck } from '../../../shared/api.ts';
import { checkDownloadUrl } from '../../../shared/url.ts';
import { InputError } from '../errors.ts';
import { FALLBACK_FILENAME, filenameFromUrl, sanitizeFilename } from './filename.ts';
import { finalPath, type DownloadRecord } from '../records/record.ts';

const MAX_LINKS = 10_000;

/**
 * Which links are already in the list (same URL, or same final URL) and which would land on
 * a file already in `dir` (by the name the URL suggests; the server may still name it
 * otherwise). Nothing changes: the caller asks the user, then adds.
 */
export async function checkLinks(records: ReadonlyArray<Readonly<DownloadRecord>>, urls: unknown, dirField: unknown, root: string): Promise<LinkCheck[]> {
  const dir = dirField === undefined ? root : typeof dirField === 'string' ? dirField : '';
  if (dir === '') throw new InputError('INVALID_FIELD', '"dir" must be a folder path.', 'dir');
  if (!Array.isArray(urls) || urls.length === 0 || urls.length > MAX_LINKS) throw new InputError('INVALID_FIELD', `"urls" must be a list of 1 to ${MAX_LINKS} links.`, 'urls');
  const byUrl = new Map<string, Readonly<DownloadRecord>>();
  for (const rec of records) {
    byUrl.set(rec.url, rec);
    if (rec.finalUrl !== undefined && !byUrl.has(rec.finalUrl)) byUrl.set(rec.finalUrl, rec);
  }
  return Promise.all(
    urls.map(async (raw: unknown, i): Promise<LinkCheck> => {
      const check = checkDownloadUrl(raw);
      if (!check.ok) throw new InputError(check.code, `urls[${i}]: ${check.message}`, 'urls');
      const url = check.url.href;
      const rec = byUrl.get(url);
      if (rec !== undefined) return { url, conflict: { kind: 'in-list', id: rec.id, status: rec.status, path: finalPath(rec) } };
      const file = path.join(dir, sanitizeFilename(filenameFromUrl(check.url) ?? FALLBACK_FILENAME));
      const exists = await fs.stat(file).then(
        (s) => s.isFile(),
        () => false,
      );
      return { url, conflict: exists ? { kind: 'file-exists', path: file } : null };
    }),
  );
}
