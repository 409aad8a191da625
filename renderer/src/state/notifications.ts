import type { Download } from '../../../shared/api.ts';
import type { DownloadStore } from './download-store.ts';

const KEY = 'haul.notify';

/** Whether the user asked for a notification when a download finishes (browser mode; kept per browser). */
export function notificationsWanted(): boolean {
  try {
    return localStorage.getItem(KEY) === '1' && typeof Notification !== 'undefined' && Notification.permission === 'granted';
  } catch {
    return false;
  }
}

export function setNotificationsWanted(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (a private window): the choice lasts for this page only.
  }
}

/**
 * Shows a notification each time a download completes, while the user wants them. Only
 * changes seen live count: the snapshot at connect time announces nothing.
 */
export function watchCompletions(store: DownloadStore, show: (d: Download) => void): () => void {
  const seen = new Map<string, Download['status']>();
  for (const d of store.all()) seen.set(d.id, d.status);
  return store.subscribeList(() => {
    for (const d of store.all()) {
      const before = seen.get(d.id);
      seen.set(d.id, d.status);
      if (d.status === 'completed' && before !== undefined && before !== 'completed') show(d);
    }
  });
}
