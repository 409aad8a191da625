import type { ErrorCode } from './error-codes.ts';
import { checkMagnet } from './torrent.ts';

export type UrlCheck = { ok: true; url: URL } | { ok: false; code: Extract<ErrorCode, 'INVALID_URL' | 'UNSUPPORTED_PROTOCOL'>; message: string };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * Checks that `input` is an absolute http(s) URL a download can start from, or a magnet link
 * with a usable info-hash.
 * Used by the engine (authoritative) and the renderer (to explain a bad paste at once).
 */
export function checkDownloadUrl(input: unknown): UrlCheck {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, code: 'INVALID_URL', message: 'The URL is empty: paste an address starting with http:// or https://.' };
  }
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, code: 'INVALID_URL', message: `"${shorten(text)}" is not a valid URL: use a full address such as https://example.com/file.zip.` };
  }
  if (url.protocol === 'magnet:') {
    const magnet = checkMagnet(text);
    return magnet.ok ? { ok: true, url } : { ok: false, code: 'INVALID_URL', message: magnet.message };
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    return {
      ok: false,
      code: 'UNSUPPORTED_PROTOCOL',
      message: `"${url.protocol}" URLs cannot be downloaded: Haul supports http://, https:// and magnet: links.`,
    };
  }
  if (url.hostname === '') {
    return { ok: false, code: 'INVALID_URL', message: `"${shorten(text)}" has no host name.` };
  }
  return { ok: true, url };
}

/** Splits pasted text (one URL per line, or separated by spaces) into candidate URLs. */
export function splitUrlList(text: string): string[] {
  return text
    .split(/[\s]+/u)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
