/**
 * Every IPC handler checks its sender: only the app's own window, showing the app's own
 * origin, may call in. A page navigated elsewhere (it cannot be, but defence in depth) or
 * any other frame is refused.
 */
export function isTrustedSender(sender: { frameUrl: string | undefined; isMainFrame: boolean; webContentsId: number }, trusted: { origin: string; webContentsIds: ReadonlySet<number> }): boolean {
  if (!sender.isMainFrame || !trusted.webContentsIds.has(sender.webContentsId) || sender.frameUrl === undefined) return false;
  try {
    return new URL(sender.frameUrl).origin === trusted.origin;
  } catch {
    return false;
  }
}

/** Whether navigation to `url` stays within the app (anything else opens in the system browser or is refused). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    return new URL(url).origin === appOrigin;
  } catch {
    return false;
  }
}

/** Links the app may hand to the system browser: http(s) only, never file: or custom schemes. */
export function isExternalWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
