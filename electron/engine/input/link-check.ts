import fs from 'node:fs/promises';
import path from 'node:path';
import type { LinkCheck } from '../../../shared/api.ts';
import { parseCheckLinksBody } from '../../../shared/route-bodies.ts';
import { mustParse } from './must-parse.ts';
import { FALLBACK_FILENAME, filenameFromUrl, sanitizeFilename } from './filename.ts';
import { finalPath, type DownloadRecord } from '../records/record.ts';

/**
 * Which links are already in the list (same URL, or same final URL) and which would land on
 * a file already in `dir` (by the name the URL suggests; the server may still name it
 * otherwise). Nothing changes: the caller asks the user, then adds.
 */
export async function checkLinks(records: ReadonlyArray<Readonly<DownloadRecord>>, urls: unknown, dirField: unknown, root: string): Promise<LinkCheck[]> {
  const body = mustParse(parseCheckLinksBody(dirField === undefined ? { urls } : { urls, dir: dirField }));
  const dir = body.dir ?? root;
  const byUrl = new Map<string, Readonly<DownloadRecord>>();
  for (const rec of records) {
    byUrl.set(rec.url, rec);
    if (rec.finalUrl !== undefined && !byUrl.has(rec.finalUrl)) byUrl.set(rec.finalUrl, rec);
  }
  return Promise.all(
    body.urls.map(async (url): Promise<LinkCheck> => {
      const rec = byUrl.get(url);
      if (rec !== undefined) return { url, conflict: { kind: 'in-list', id: rec.id, status: rec.status, path: finalPath(rec) } };
      const file = path.join(dir, sanitizeFilename(filenameFromUrl(new URL(url)) ?? FALLBACK_FILENAME));
      const exists = await fs.stat(file).then(
        (s) => s.isFile(),
        () => false,
      );
      return { url, conflict: exists ? { kind: 'file-exists', path: file } : null };
    }),
  );
}
