/** A notification from the extension (why a download stayed in the browser, and the like). */
export function notify(message: string): void {
  void chrome.notifications.create({ type: 'basic', iconUrl: chrome.runtime.getURL('icons/48.png'), title: 'Haul', message }).catch(() => undefined);
}
