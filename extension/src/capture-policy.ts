import type { CaptureSettings } from './capture-settings.ts';

/** A download the browser started, as far as the policy needs to know it. */
export interface Candidate {
  url: string;
  finalUrl?: string;
  filename: string;
  /** Bytes; -1 or undefined when unknown. */
  size?: number;
  /** Its type, as the server said. */
  mime?: string | undefined;
  /** The page's origin host, when known. */
  pageHost?: string | undefined;
  /** The request that started it was a POST (a form): a plain GET cannot replay it. */
  posted: boolean;
  /** The user held the bypass key (Alt) when clicking. */
  bypass: boolean;
}

export type Verdict = { kind: 'haul' } | { kind: 'browser'; reason: 'disabled' | 'bypass' | 'not-replayable' | 'post' | 'small' | 'type' | 'site' };

/**
 * Whether a download goes to Haul or stays in the browser. Policy first, in this order: off,
 * the bypass key, what a plain GET cannot fetch again (blob:, data:, file:, a form POST), then
 * the user's filters (size, type, site).
 */
export function decide(c: Candidate, settings: CaptureSettings): Verdict {
  if (!settings.enabled) return { kind: 'browser', reason: 'disabled' };
  if (c.bypass) return { kind: 'browser', reason: 'bypass' };
  const target = c.finalUrl !== undefined && c.finalUrl !== '' ? c.finalUrl : c.url;
  if (!/^https?:\/\//iu.test(target)) return { kind: 'browser', reason: 'not-replayable' };
  if (c.posted) return { kind: 'browser', reason: 'post' };
  // A .torrent is small, but it stands for files that are not: the size filter does not apply to
  // it. (Its name may not be known yet when the browser asks: its type or address says it too.)
  const torrent = c.mime === 'application/x-bittorrent' || [c.filename, new URL(target).pathname].some((name) => /\.torrent$/iu.test(name));
  if (!torrent && settings.minSize > 0 && c.size !== undefined && c.size >= 0 && c.size < settings.minSize) return { kind: 'browser', reason: 'small' };
  if (settings.types.length > 0) {
    const ext = /\.([a-z0-9]+)$/iu.exec(c.filename.split(/[\\/]/u).at(-1) ?? '')?.[1]?.toLowerCase() ?? '';
    if (!settings.types.map((t) => t.replace(/^\./u, '').toLowerCase()).includes(ext)) return { kind: 'browser', reason: 'type' };
  }
  const hosts = [hostOf(target), hostOf(c.url), c.pageHost].filter((h): h is string => h !== undefined && h !== '');
  if (settings.skipSites.some((site) => hosts.some((h) => h === site.toLowerCase() || h.endsWith(`.${site.toLowerCase()}`)))) return { kind: 'browser', reason: 'site' };
  return { kind: 'haul' };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
