import contentDisposition from 'content-disposition';
import path from 'node:path';

/** Used when neither the headers nor the URL give a usable name. */
export const FALLBACK_FILENAME = 'download';
/**
 * Names are kept within 255 bytes, the limit of every common filesystem; the partial file's
 * name is made to fit beside it (see partName), so it never shortens the user's name.
 */
export const MAX_NAME_BYTES = 255;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/iu;
// Path separators and characters Windows forbids in names; replaced so a name is valid everywhere.
const FORBIDDEN_CHARS = /[/\\<>:"|?*]/gu;
// C0 and C1 control characters, DEL, and bidi overrides that can disguise an extension.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The file name a `Content-Disposition` header asks for (RFC 6266: `filename*` per RFC 5987
 * wins over `filename`), or undefined. Malformed headers that real servers send (unquoted
 * spaces, stray semicolons) are read leniently rather than ignored.
 */
export function filenameFromContentDisposition(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  let name: string | undefined;
  try {
    name = contentDisposition.parse(header).parameters['filename'];
  } catch {
    name = lenientFilename(header);
  }
  return name === undefined || name === '' ? undefined : repairUtf8(name);
}

function lenientFilename(header: string): string | undefined {
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/iu.exec(header);
  if (extended?.[2] !== undefined) {
    const decoded = decodeExtValue(extended[1] ?? '', extended[2].trim());
    if (decoded !== undefined) return decoded;
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/iu.exec(header);
  if (plain === null) return undefined;
  const quoted = plain[2];
  return quoted !== undefined ? quoted.replace(/\\(.)/gu, '$1') : (plain[1] ?? '').trim();
}

function decodeExtValue(charset: string, value: string): string | undefined {
  try {
    const bytes = Buffer.from(
      value.replace(/%([0-9a-f]{2})/giu, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
    return new TextDecoder(charset.trim().toLowerCase() || 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * HTTP header values reach us as Latin-1 code units. Many servers put raw UTF-8 in a quoted
 * `filename`, which browsers show correctly; do the same when the bytes are valid UTF-8.
 */
function repairUtf8(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the Latin-1 range starts at U+0000
  if (!/[\u0080-\u00ff]/u.test(name) || /[^\u0000-\u00ff]/u.test(name)) return name;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(name, 'latin1'));
  } catch {
    return name;
  }
}

/** The last non-empty path segment of `url`, percent-decoded, or undefined. */
export function filenameFromUrl(url: URL): string | undefined {
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const last = segments.at(-1);
  if (last === undefined) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * Makes `name` safe to create inside a directory on any OS: no separators or `..`, no control
 * characters, no Windows reserved names, no trailing dots or spaces, at most MAX_NAME_BYTES
 * of UTF-8 (the extension kept). Returns the fallback when nothing usable is left.
 */
export function sanitizeFilename(name: string, fallback = FALLBACK_FILENAME): string {
  // A name that is a path keeps only its last segment, as browsers do.
  const segment =
    name
      .split(/[/\\]/u)
      .filter((part) => part !== '' && part !== '.' && part !== '..')
      .at(-1) ?? '';
  let safe = segment.normalize('NFC').replace(CONTROL_CHARS, '').replace(FORBIDDEN_CHARS, '_');
  safe = safe.trim().replace(/[. ]+$/u, '');
  // A leading dot would hide the file on Unix; a name of only dots is a path trick.
  safe = safe.replace(/^\.+/u, '');
  if (safe === '') return fallback;
  if (WINDOWS_RESERVED.test(safe)) safe = `_${safe}`;
  return truncateKeepingExtension(safe, MAX_NAME_BYTES);
}

/** Shortens `name` to `maxBytes` of UTF-8 without splitting a character, keeping a short extension. */
export function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const ext = path.extname(name);
  const keepExt = ext.length > 1 && Buffer.byteLength(ext) <= 16 ? ext : '';
  const base = keepExt === '' ? name : name.slice(0, -keepExt.length);
  return `${fitBytes(base, maxBytes - Buffer.byteLength(keepExt)).replace(/[. ]+$/u, '')}${keepExt}`;
}

/** The longest start of `text` within `maxBytes` of UTF-8, never splitting a character. */
export function fitBytes(text: string, maxBytes: number): string {
  let budget = maxBytes;
  let out = '';
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (size > budget) break;
    out += ch;
    budget -= size;
  }
  return out;
}

/** `name`, or `name (1).ext`, `name (2).ext`, … : the first that `isTaken` does not claim. */
export function uniqueFilename(name: string, isTaken: (candidate: string) => boolean): string {
  if (!isTaken(name)) return name;
  const ext = path.extname(name);
  const base = ext === '' || ext === name ? name : name.slice(0, -ext.length);
  for (let n = 1; ; n++) {
    const suffix = ` (${n})${ext}`;
    const candidate = truncateKeepingExtension(`${base}${suffix}`, MAX_NAME_BYTES);
    const fitted = candidate.endsWith(suffix) ? candidate : `${truncateKeepingExtension(base, MAX_NAME_BYTES - Buffer.byteLength(suffix))}${suffix}`;
    if (!isTaken(fitted)) return fitted;
  }
}

/** Picks the name for a response: explicit choice, then Content-Disposition, then the URL, then the fallback. */
export function chooseFilename(opts: { requested?: string | undefined; contentDisposition?: string | undefined; url: URL }): string {
  const raw = opts.requested ?? filenameFromContentDisposition(opts.contentDisposition) ?? filenameFromUrl(opts.url);
  return sanitizeFilename(raw ?? FALLBACK_FILENAME);
}
