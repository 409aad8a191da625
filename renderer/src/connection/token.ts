const KEY = 'haul.token';

/**
 * Takes the token from `#token=` (then removes it from the address bar, so it is not left in
 * history or screenshots) or from this tab's session storage.
 */
export function takeToken(location: Location, history: History, storage: Storage): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/u.exec(location.hash);
  if (match?.[1] !== undefined) {
    const token = decodeURIComponent(match[1]);
    try {
      storage.setItem(KEY, token);
    } catch {
      // Storage refused: the token still works for this page.
    }
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return token;
  }
  try {
    return storage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
