import { playlistRequest } from '../../shared/playlists.ts';
import { decide } from './capture-policy.ts';
import { offerToHaul } from './hand-over.ts';
import { pauseAll, showHaul } from './haul-client.ts';
import { notify } from './notify.ts';
import { loadPairing, loadSettings } from './settings.ts';
import { forgetVideos, noteVideo, videosOf } from './videos.ts';

// Every listener is registered at the top level, synchronously: a sleeping service worker (or
// Firefox event page) is woken for the event and finds its listener. State lives in storage,
// never only in memory, for the same reason.

/** Form posts seen lately (a download they start cannot be fetched again with a plain GET). */
const POST_MEMORY_MS = 60_000;
/** How long after an Alt+click a download stays in the browser. */
const BYPASS_MS = 3_000;

chrome.webRequest.onBeforeRequest.addListener(
  (details) => {
    if (details.method !== 'POST') return undefined;
    void chrome.storage.session.get('posts').then(({ posts }) => {
      const now = Date.now();
      const kept = ((posts as Array<[string, number]> | undefined) ?? []).filter(([, at]) => now - at < POST_MEMORY_MS).slice(-50);
      void chrome.storage.session.set({ posts: [...kept, [details.url, now]] });
    });
    return undefined;
  },
  { urls: ['<all_urls>'], types: ['main_frame', 'sub_frame'] },
);

// A player loads its playlist by script: the answer's type (or its .m3u8/.mpd address) says it
// is one. The tab's badge counts them, and the popup and the page's menu offer "Download video".
chrome.webRequest.onHeadersReceived.addListener(
  (details) => {
    if (details.tabId < 0 || details.statusCode < 200 || details.statusCode >= 300) return undefined;
    const type = details.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-type')?.value;
    const kind = playlistRequest(details.url, type);
    if (kind === undefined) return undefined;
    // Firefox names the page that asked; Chromium only its origin, so there the tab's address serves.
    const page = (details as { documentUrl?: string }).documentUrl;
    void noteVideo(details.tabId, { url: details.url, kind, page, at: Date.now() }).then((count) => {
      void chrome.action.setBadgeText({ tabId: details.tabId, text: String(count) }).catch(() => undefined);
    });
    return undefined;
  },
  { urls: ['<all_urls>'], types: ['xmlhttprequest', 'media', 'other'] },
  ['responseHeaders'],
);
chrome.tabs.onRemoved.addListener((tabId) => void forgetVideos(tabId));
chrome.tabs.onUpdated.addListener((tabId, change) => {
  if (change.url !== undefined) void forgetVideos(tabId);
});

/** Hands tab `tabId`'s video at `url` to Haul with the tab's cookies; says so when Haul does not take it. */
async function downloadVideo(tabId: number, url: string): Promise<string | undefined> {
  const tab = await chrome.tabs.get(tabId).catch(() => undefined);
  const found = (await videosOf(tabId)).find((v) => v.url === url);
  const storeId = (tab as { cookieStoreId?: string } | undefined)?.cookieStoreId ?? (tab?.incognito === true ? '1' : '0');
  return offerToHaul({ key: `video-${Date.now()}-${Math.random().toString(36).slice(2)}`, url, referrer: found?.page ?? tab?.url, storeId });
}

chrome.runtime.onMessage.addListener((message: { type?: string; url?: string }, sender) => {
  if (message.type === 'bypass') void chrome.storage.session.set({ bypassUntil: Date.now() + BYPASS_MS });
  if (message.type === 'magnet' && typeof message.url === 'string') void takeMagnet(message.url, sender.tab?.id);
  return false;
});

/**
 * A magnet link clicked in a page: to Haul when capture is on and the browser is paired;
 * otherwise (or when Haul refuses it) the tab opens it, as the click would have.
 */
async function takeMagnet(url: string, tabId: number | undefined): Promise<void> {
  const [settings, pairing] = await Promise.all([loadSettings(), loadPairing()]);
  const refused = settings.enabled && pairing !== undefined ? await offerToHaul({ key: `magnet-${Date.now()}-${Math.random().toString(36).slice(2)}`, url }) : 'capture is off';
  if (refused === undefined) return;
  if (settings.enabled && pairing !== undefined) notify(`Haul did not take this magnet link: ${refused}`);
  if (tabId !== undefined) await chrome.tabs.update(tabId, { url }).catch(() => undefined);
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url === undefined || url === '' ? undefined : new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** Whether the download was handed to Haul (and the browser's own copy cancelled and erased). */
async function capture(item: chrome.downloads.DownloadItem): Promise<boolean> {
  // A download this extension started itself is the fallback for one Haul could not take.
  if (item.byExtensionId === chrome.runtime.id) return false;
  const [settings, session] = await Promise.all([loadSettings(), chrome.storage.session.get(['posts', 'bypassUntil'])]);
  const posts = new Set(((session['posts'] as Array<[string, number]> | undefined) ?? []).map(([url]) => url));
  const verdict = decide(
    {
      url: item.url,
      finalUrl: item.finalUrl,
      filename: item.filename,
      size: item.totalBytes > 0 ? item.totalBytes : item.fileSize,
      mime: item.mime,
      pageHost: hostOf(item.referrer),
      posted: posts.has(item.url) || posts.has(item.finalUrl),
      bypass: Date.now() < Number(session['bypassUntil'] ?? 0),
    },
    settings,
  );
  if (verdict.kind === 'browser') return false;
  if ((await loadPairing()) === undefined) return false;
  const storeId = (item as { cookieStoreId?: string }).cookieStoreId ?? (item.incognito ? '1' : '0');
  const refused = await offerToHaul({
    key: `${item.id}-${item.startTime}`,
    url: item.url,
    finalUrl: item.finalUrl,
    referrer: item.referrer,
    filename: item.filename,
    mime: item.mime,
    size: item.totalBytes,
    storeId,
  });
  if (refused !== undefined) {
    notify(`Haul did not take this download, so the browser saves it: ${refused}`);
    return false;
  }
  await chrome.downloads.cancel(item.id).catch(() => undefined);
  await chrome.downloads.erase({ id: item.id }).catch(() => undefined);
  return true;
}

// Chromium holds a download while an extension determines its name: the hand-over happens
// then, before the browser writes the file. Firefox has no such hold: it sees the download as
// created, and cancels it once Haul has accepted it.
if (__HAUL_TARGET__ === 'chromium') {
  chrome.downloads.onDeterminingFilename.addListener((item, suggest) => {
    void capture(item).then(
      (handed) => {
        if (!handed) suggest();
      },
      () => suggest(),
    );
    return true;
  });
} else {
  chrome.downloads.onCreated.addListener((item) => void capture(item));
}

function createMenus(): void {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: 'haul-link', title: 'Download with Haul', contexts: ['link'] });
    chrome.contextMenus.create({ id: 'haul-media', title: 'Download with Haul', contexts: ['image', 'video', 'audio'] });
    chrome.contextMenus.create({ id: 'haul-all', title: 'Download all links with Haul…', contexts: ['page'] });
    chrome.contextMenus.create({ id: 'haul-video', title: 'Download video with Haul', contexts: ['page', 'video'] });
  });
}
chrome.runtime.onInstalled.addListener(createMenus);
chrome.runtime.onStartup.addListener(createMenus);

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === 'haul-video') {
    const tabId = tab?.id ?? -1;
    void videosOf(tabId).then(async (videos) => {
      const newest = videos.at(-1);
      if (newest === undefined) {
        notify('This page has loaded no video playlist yet: play the video first, then try again.');
        return;
      }
      const refused = await downloadVideo(tabId, newest.url);
      if (refused !== undefined) notify(`Haul did not take the video: ${refused}`);
    });
    return;
  }
  if (info.menuItemId === 'haul-all') {
    void chrome.tabs.create({ url: chrome.runtime.getURL(`picker.html?tab=${tab?.id ?? -1}`) });
    return;
  }
  const url = info.menuItemId === 'haul-link' ? info.linkUrl : info.srcUrl;
  if (url === undefined) return;
  const storeId = (tab as { cookieStoreId?: string } | undefined)?.cookieStoreId ?? (tab?.incognito === true ? '1' : '0');
  void offerToHaul({ key: `menu-${Date.now()}-${Math.random().toString(36).slice(2)}`, url, referrer: info.pageUrl, storeId }).then((refused) => {
    if (refused === undefined) return;
    // A magnet link is no file the browser can download: it is said, and left at that.
    if (/^magnet:/iu.test(url)) {
      notify(`Haul did not take this magnet link: ${refused}`);
      return;
    }
    notify(`Haul did not take it (${refused}); the browser downloads it instead.`);
    void chrome.downloads.download({ url });
  });
});

// The popup's "Download video", "Pause all" and "Open Haul" go through here, so the popup may close at once.
chrome.runtime.onMessage.addListener((message: { type?: string; tabId?: number; url?: string }, _sender, reply) => {
  if (message.type === 'download-video' && message.tabId !== undefined && message.url !== undefined) {
    void downloadVideo(message.tabId, message.url).then((refused) => reply(refused === undefined ? { ok: true } : { ok: false, message: refused }));
    return true;
  }
  if (message.type !== 'pause-all' && message.type !== 'show') return false;
  void (message.type === 'pause-all' ? pauseAll() : showHaul()).then(
    () => reply({ ok: true }),
    (error: Error) => reply({ ok: false, message: error.message }),
  );
  return true;
});
