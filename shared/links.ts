import type { ErrorCode } from './error-codes.ts';
import { checkDownloadUrl } from './url.ts';

export interface LinkProblem {
  /** 1-based line of the pasted text. */
  line: number;
  code: Extract<ErrorCode, 'INVALID_URL' | 'UNSUPPORTED_PROTOCOL'>;
  message: string;
}

/** Most URLs one batch pattern may expand to. */
export const MAX_EXPANSION = 10_000;

// Something written as a link: a scheme and "://", or a "javascript:"/"data:" trick.
const CANDIDATE = /\b(?:[a-z][a-z0-9+.-]*:\/\/|magnet:\?|(?:javascript|data|file|vbscript):)[^\s<>"'`]+/giu;
// Punctuation that ends a sentence, not a URL.
const TRAILING = /[.,;:!?'"»”’]+$/u;

/**
 * The links in pasted text, as people paste it: one per line, several on a line, or inside
 * prose ("Here is the file: https://example.com/a.iso (mirror)"). Punctuation around a link is
 * not part of it; a closing bracket is kept only when the link opened one. Batch patterns
 * expand: `file[001-120].zip` (zero-padded as written), `part[a-e].rar`. Links that cannot be
 * downloaded are reported with their line, and the rest are still returned.
 */
export function extractLinks(text: string): { urls: string[]; problems: LinkProblem[] } {
  const urls: string[] = [];
  const problems: LinkProblem[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(CANDIDATE)) {
      const candidate = trimLink(match[0]);
      for (const expanded of expandPattern(candidate)) {
        const check = checkDownloadUrl(expanded);
        if (check.ok) urls.push(check.url.href);
        else problems.push({ line: index + 1, code: check.code, message: check.message });
      }
    }
  });
  if (urls.length === 0 && problems.length === 0) {
    const words = text.trim();
    const check = checkDownloadUrl(words === '' ? '' : words.split(/\s+/u)[0]);
    if (!check.ok) problems.push({ line: 1, code: check.code, message: words === '' ? check.message : `${check.message} No link was found in the text.` });
  }
  return { urls: [...new Set(urls)], problems };
}

function trimLink(raw: string): string {
  let link = raw.replace(TRAILING, '');
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (link.endsWith(close) && count(link, close) > count(link, open)) link = link.slice(0, -1).replace(TRAILING, '');
  }
  return link;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** Expands the first `[a-b]` range (numbers, or single letters), recursively; the link itself when there is none. */
export function expandPattern(link: string, limit = MAX_EXPANSION): string[] {
  const match = /\[(\d+)-(\d+)\]|\[([a-z])-([a-z])\]/iu.exec(link);
  if (match === null) return [link];
  const [whole] = match;
  const before = link.slice(0, match.index);
  const after = link.slice(match.index + whole.length);
  let items: string[];
  if (match[1] !== undefined && match[2] !== undefined) {
    const from = Number(match[1]);
    const to = Number(match[2]);
    const width = match[1].length;
    if (to < from || to - from + 1 > limit) return [link];
    items = Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(width, '0'));
  } else {
    const from = (match[3] ?? 'a').charCodeAt(0);
    const to = (match[4] ?? 'a').charCodeAt(0);
    if (to < from) return [link];
    items = Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
  }
  const out: string[] = [];
  for (const item of items) {
    for (const rest of expandPattern(`${before}${item}${after}`, limit)) {
      if (out.length >= limit) return out;
      out.push(rest);
    }
  }
  return out;
}
