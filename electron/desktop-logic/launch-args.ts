import { checkDownloadUrl } from '../../shared/url.ts';

/**
 * URLs a launch asks Haul to download: plain http(s) arguments and `haul://` links
 * (`haul://add?url=<encoded>`, repeatable, or `haul://<http url>`). Everything else on the
 * command line (Electron's and Chromium's own switches, the app path) is ignored.
 */
export function urlsFromArgs(argv: readonly string[]): string[] {
  return launchLinks(argv).urls;
}

/**
 * Like urlsFromArgs, and also the `haul:` links it could not read (malformed escapes, no
 * usable URL), so the app can say it ignored them. Never throws: a bad link must not stop
 * the app from starting.
 */
export function launchLinks(argv: readonly string[]): { urls: string[]; ignored: string[] } {
  const urls: string[] = [];
  const ignored: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    if (/^haul:/iu.test(arg)) {
      const found = urlsFromDeepLink(arg);
      if (found.length === 0) ignored.push(arg.slice(0, 200));
      urls.push(...found);
    } else if (/^https?:\/\//iu.test(arg) && checkDownloadUrl(arg).ok) urls.push(arg);
  }
  return { urls: [...new Set(urls)], ignored };
}

export function urlsFromDeepLink(link: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(link);
  } catch {
    return [];
  }
  if (parsed.protocol !== 'haul:') return [];
  const candidates = parsed.searchParams.getAll('url');
  if (candidates.length === 0) {
    // haul://https://example.com/file or haul:https://example.com/file
    const rest = link.replace(/^haul:(\/\/)?/iu, '');
    try {
      candidates.push(decodeURIComponent(rest));
    } catch {
      return [];
    }
  }
  return candidates.filter((candidate) => checkDownloadUrl(candidate).ok);
}
