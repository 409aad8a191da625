import { checkDownloadUrl, splitUrlList } from '../../shared/url.ts';

/**
 * Opt-in clipboard watching: given what the clipboard held before and holds now, the links
 * worth offering to add (new, http(s), not offered already). Nothing is added without the
 * user's click; watching is off unless they turn it on.
 */
export function linksToOffer(previous: string, current: string, alreadyOffered: ReadonlySet<string>): string[] {
  if (current === previous || current.length > 100_000) return [];
  return [...new Set(splitUrlList(current))].filter((candidate) => /^https?:\/\//iu.test(candidate) && checkDownloadUrl(candidate).ok && !alreadyOffered.has(candidate));
}
