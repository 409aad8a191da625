import type { AddDownloadsRequest, Download } from '../../shared/api.ts';
import type { HandoffRequest } from '../../shared/extension-api.ts';
import type { Engine } from '../engine/engine.ts';
import { InputError } from '../engine/errors.ts';

/** How long a hand-over's key is remembered: far longer than any retry of the same hand-over. */
const KEY_TTL_MS = 24 * 60 * 60_000;
const MAX_KEYS = 10_000;

const OPTIONAL_FIELDS = ['finalUrl', 'referrer', 'pageUrl', 'filename', 'mime', 'userAgent', 'cookie'] as const;
const STRING_FIELDS = ['key', 'url', ...OPTIONAL_FIELDS] as const;

/**
 * Downloads handed over by a browser. Each carries a key: the same key again (the extension
 * retrying after a lost answer) returns the download added the first time, never a second.
 * What the browser would have sent goes with it: its cookies (for the requested host only;
 * Haul drops them on a redirect to another origin), User-Agent and Referer.
 */
export class Handoffs {
  readonly #engine: Engine;
  readonly #now: () => number;
  readonly #byKey = new Map<string, { id: string; at: number }>();

  constructor(engine: Engine, now: () => number) {
    this.#engine = engine;
    this.#now = now;
  }

  /** With `who` (a user's token, accounts on), the download is that user's, in their folder. */
  accept(browserId: string, body: unknown, who?: { owner: string; root: string }): { download: Download; repeated: boolean } {
    const ask = parseHandoff(body);
    const key = `${browserId}\0${ask.key}`;
    this.#forgetOld();
    const earlier = this.#byKey.get(key);
    const known = earlier === undefined ? undefined : this.#engine.get(earlier.id);
    if (known !== undefined) return { download: known, repeated: true };
    const headers: Record<string, string> = {};
    if (ask.cookie !== undefined && ask.cookie !== '') headers['Cookie'] = ask.cookie;
    if (ask.userAgent !== undefined && ask.userAgent !== '') headers['User-Agent'] = ask.userAgent;
    const referrer = ask.referrer ?? ask.pageUrl;
    if (referrer !== undefined && /^https?:/u.test(referrer)) headers['Referer'] = referrer;
    const request: AddDownloadsRequest = { url: ask.finalUrl ?? ask.url, headers };
    if (ask.filename !== undefined && ask.filename.trim() !== '') request.filename = ask.filename.split(/[\\/]/u).at(-1) ?? ask.filename;
    const [download] = this.#engine.add(request, who);
    if (download === undefined) throw new InputError('INVALID_FIELD', 'Nothing was handed over.', 'url');
    this.#byKey.set(key, { id: download.id, at: this.#now() });
    return { download, repeated: false };
  }

  #forgetOld(): void {
    const cutoff = this.#now() - KEY_TTL_MS;
    for (const [key, entry] of this.#byKey) {
      if (entry.at >= cutoff && this.#byKey.size <= MAX_KEYS) break;
      this.#byKey.delete(key);
    }
  }
}

function parseHandoff(body: unknown): HandoffRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputError('INVALID_FIELD', 'The body must be a JSON object describing the download.', 'body');
  const obj = body as Record<string, unknown>;
  const text = (field: (typeof STRING_FIELDS)[number]): string | undefined => {
    const value = obj[field];
    if (value !== undefined && (typeof value !== 'string' || value.length > 16_384)) throw new InputError('INVALID_FIELD', `"${field}" must be a string (at most 16 KiB).`, field);
    return value;
  };
  const key = text('key');
  if (key === undefined || key.length < 8) throw new InputError('INVALID_FIELD', '"key" is required: a unique id for this browser download (8 characters or more).', 'key');
  const url = text('url');
  if (url === undefined) throw new InputError('INVALID_FIELD', '"url" is required.', 'url');
  const size = obj['size'];
  if (size !== undefined && (typeof size !== 'number' || size < 0)) throw new InputError('INVALID_FIELD', '"size" must be a number of bytes.', 'size');
  const request: HandoffRequest = { key, url };
  for (const field of OPTIONAL_FIELDS) {
    const value = text(field);
    if (value !== undefined) request[field] = value;
  }
  if (size !== undefined) request.size = size;
  return request;
}
