import type { Download } from '../../../shared/api.ts';
import { statusStruct, type StatusSource } from './aria2-status.ts';

/** Lists kept per set of keys, and sets of keys kept: a few clients' pages, bounded. */
const MAX_LISTS_PER_KEYS = 8;
const MAX_KEY_SETS = 16;

/** JSON already written, as bytes, placed into an answer as it is. */
export class RawJson {
  readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
}

/** An answer as the pieces it is sent in: text, and lists written before (never copied into one string). */
export type Pieces = Array<string | Buffer>;

/** A result as the pieces of its JSON. */
export function resultPieces(value: unknown): Pieces {
  return value instanceof RawJson ? [value.bytes] : [JSON.stringify(value)];
}

export function joinPieces(pieces: Pieces): Buffer {
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

/**
 * Status answers as JSON, kept per download version: a download that is not running is a
 * frozen view that changes only by being replaced (see the engine's Publisher), so its answer
 * for the same keys is written once. A whole list is kept too, as bytes, while the same
 * versions make it: a client polling 1,000 waiting downloads each second costs a comparison.
 */
export class StatusJsonCache {
  readonly #byVersion = new WeakMap<Download, Map<string, string>>();
  /** The last lists written for each set of keys (a client asks for its waiting and its stopped ones): the versions each was made of, and its bytes. */
  readonly #lists = new Map<string, Array<{ made: readonly StatusSource[]; bytes: Buffer }>>();

  /** A list of status answers, each with only `keys` (every key when undefined). */
  list(sources: readonly StatusSource[], keys: ReadonlySet<string> | undefined): RawJson {
    const keysKey = keys === undefined ? '*' : [...keys].join('\n');
    const kept = this.#lists.get(keysKey) ?? [];
    const same = kept.find((list) => sameVersions(list.made, sources));
    if (same !== undefined) return new RawJson(same.bytes);
    const bytes = Buffer.from(`[${sources.map((src) => this.#one(src, keys, keysKey)).join(',')}]`);
    // Lists of running downloads change on every poll: only lists of still ones are worth keeping.
    if (sources.every((src) => Object.isFrozen(src.download))) {
      this.#lists.delete(keysKey);
      this.#lists.set(keysKey, [{ made: sources, bytes }, ...kept.slice(0, MAX_LISTS_PER_KEYS - 1)]);
      if (this.#lists.size > MAX_KEY_SETS) this.#lists.delete(this.#lists.keys().next().value ?? '');
    }
    return new RawJson(bytes);
  }

  #one(src: StatusSource, keys: ReadonlySet<string> | undefined, keysKey: string): string {
    if (!Object.isFrozen(src.download)) return JSON.stringify(statusStruct(src, keys));
    let answers = this.#byVersion.get(src.download);
    if (answers === undefined) this.#byVersion.set(src.download, (answers = new Map()));
    let text = answers.get(keysKey);
    if (text === undefined) answers.set(keysKey, (text = JSON.stringify(statusStruct(src, keys))));
    return text;
  }
}

function sameVersions(a: readonly StatusSource[], b: readonly StatusSource[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]?.download !== b[i]?.download || a[i]?.removed !== b[i]?.removed) return false;
  return true;
}
