import { checkDownloadUrl } from '../../shared/url.ts';

/**
 * URLs a launch asks Haul to download: plain http(s) arguments and `haul://` links
 * (`haul://add?url=<encoded>`, repeatable, or `haul://<http url>`). Everything else on the
 * command line (Electron's and Chromium's own switches, the app path) is ignored.
 */
export function urlsFromArgs(argv: readonly string[]): string[] {
  const urls: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    if (/^haul:/iu.test(arg)) urls.push(...urlsFromDeepLink(arg));
    else if (/^https?:\/\//iu.test(arg) && checkDownloadUrl(arg).ok) urls.push(arg);
  }
  return [...new Set(urls)];
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
    candidates.push(decodeURIComponent(link.replace(/^haul:(\/\/)?/iu, '')));
  }
  return candidates.filter((candidate) => checkDownloadUrl(candidate).ok);
}
