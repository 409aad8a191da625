// Runs in every page: a link clicked with Alt held is the user's way to keep that download in
// the browser. Only the fact is sent; nothing of the page is read.
addEventListener(
  'mousedown',
  (event) => {
    if (event.altKey) void chrome.runtime.sendMessage({ type: 'bypass' }).catch(() => undefined);
  },
  { capture: true },
);
