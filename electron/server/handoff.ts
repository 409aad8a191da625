import type { AddDownloadsRequest, Download } from '../../shared/api.ts';
import type { HandoffRequest } from '../../shared/extension-api.ts';
import type { Engine } from '../engine/engine.ts';
import { InputError } from '../engine/errors.ts';

/** How long a hand-over's key is remembered: far longer than any retry of the same hand-over. */
const KEY_TTL_MS = 24 * 60 * 60_000;
const MAX_KEYS = 10_000;

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
  accept(browserId: string, ask: HandoffRequest, who?: { owner: string; root: string }): { download: Download; repeated: boolean } {
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
