import type { PlaylistKind } from '../../shared/playlists.ts';

/** A playlist a tab's page loaded: what "Download video" hands to Haul. */
export interface FoundVideo {
  url: string;
  kind: PlaylistKind;
  /** The page that loaded it (sent as the Referer). */
  page?: string | undefined;
  at: number;
}

/** At most this many per tab, the newest kept (a player may load a playlist per quality). */
const MAX_PER_TAB = 20;

const key = (tabId: number): string => `videos-${tabId}`;

/** The playlists tab `tabId` loaded since its page was opened, newest last. Kept in session storage: the service worker may sleep between events. */
export async function videosOf(tabId: number): Promise<FoundVideo[]> {
  const stored = (await chrome.storage.session.get(key(tabId)))[key(tabId)];
  return Array.isArray(stored) ? (stored as FoundVideo[]) : [];
}

/** Notes a playlist tab `tabId` loaded; returns how many the tab has now. */
export async function noteVideo(tabId: number, video: FoundVideo): Promise<number> {
  const kept = (await videosOf(tabId)).filter((v) => v.url !== video.url);
  const next = [...kept, video].slice(-MAX_PER_TAB);
  await chrome.storage.session.set({ [key(tabId)]: next });
  return next.length;
}

/** The tab navigated away or closed: what its page loaded is gone with it. */
export async function forgetVideos(tabId: number): Promise<void> {
  await chrome.storage.session.remove(key(tabId));
}
