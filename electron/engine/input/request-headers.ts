import { HAUL_VERSION } from '../../../shared/version.ts';
import type { DownloadRecord } from '../records/record.ts';

/** Sent unless the user sets their own User-Agent. */
export const DEFAULT_USER_AGENT = `Haul/${HAUL_VERSION}`;

/**
 * Headers for a GET of `rec`'s bytes [from, end) (end null: to the end of the file). Range
 * requests carry If-Range with the strong ETag (else Last-Modified) so a changed file comes
 * back whole as 200 rather than as bytes of a different version spliced onto ours.
 */
export function requestHeaders(rec: Pick<DownloadRecord, 'headers' | 'etag' | 'lastModified'>, url: URL, from: number, end: number | null = null): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': DEFAULT_USER_AGENT, accept: '*/*' };
  for (const [name, value] of Object.entries(rec.headers)) headers[name.toLowerCase()] = value;
  // Stored bytes must be exactly what the server holds, never a transfer-encoded variant.
  headers['accept-encoding'] = 'identity';
  if (url.username !== '' && headers['authorization'] === undefined) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  if (from > 0 || end !== null) {
    headers['range'] = `bytes=${from}-${end === null ? '' : end - 1}`;
    const validator = rec.etag ?? rec.lastModified;
    if (validator !== undefined) headers['if-range'] = validator;
  }
  return headers;
}
