// Runs in every page: a link clicked with Alt held is the user's way to keep that download in
// the browser; a magnet link clicked without it goes to Haul (the background decides, and
// hands it back to the browser when Haul cannot take it). Only that link is sent; nothing
// else of the page is read.
addEventListener(
  'mousedown',
  (event) => {
    if (event.altKey) void chrome.runtime.sendMessage({ type: 'bypass' }).catch(() => undefined);
  },
  { capture: true },
);
addEventListener(
  'click',
  (event) => {
    if (event.altKey || event.button !== 0) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    const href = link?.getAttribute('href') ?? '';
    if (!/^magnet:\?/iu.test(href)) return;
    event.preventDefault();
    void chrome.runtime.sendMessage({ type: 'magnet', url: href }).catch(() => undefined);
  },
  { capture: true },
);
