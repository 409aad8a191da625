import type { Download } from '../../shared/api.ts';
import { applyEvent, emptyModel, type StreamEvent } from '../../shared/download-model.ts';
import { formatBytes } from '../../shared/units.ts';
import { el } from './dom.ts';
import { type ApiError, completePairing, followEvents, startPairing } from './haul-client.ts';
import { loadPairing } from './settings.ts';
import { videosOf, type FoundVideo } from './videos.ts';

const root = document.getElementById('root') as HTMLElement;
const show = (...nodes: Array<Node | string>): void => root.replaceChildren(el('h1', {}, 'Haul'), ...nodes);
const browserName = (): string => {
  const m = /(Firefox|Edg|OPR|Chrome|Chromium)\/(\d+)/u.exec(navigator.userAgent);
  const name = m?.[1] === 'Edg' ? 'Edge' : m?.[1] === 'OPR' ? 'Opera' : (m?.[1] ?? 'A browser');
  return `${name} ${m?.[2] ?? ''} on ${navigator.platform || 'this computer'}`.replace(/\s+/gu, ' ');
};

function pairView(note?: string): void {
  const button = el('button', { type: 'button', id: 'pair' }, 'Pair with Haul');
  show(el('p', {}, 'Pair this browser with Haul, and its downloads go to Haul.'), ...(note === undefined ? [] : [el('p', { class: 'error', role: 'alert' }, note)]), button);
  button.addEventListener('click', () => {
    startPairing(browserName()).then(
      ({ base, pairingId }) => codeView(base, pairingId),
      (error: Error) => pairView(error.message),
    );
  });
}

function codeView(base: string, pairingId: string, note?: string): void {
  const input = el('input', { id: 'code', inputmode: 'numeric', autocomplete: 'off', 'aria-label': 'Pairing code', class: 'code', maxlength: '7' });
  const form = el('form', {}, el('label', { for: 'code' }, 'Type the code Haul shows in its own window'), input, el('button', { type: 'submit' }, 'Pair'));
  show(form, ...(note === undefined ? [] : [el('p', { class: 'error', role: 'alert' }, note)]));
  input.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    completePairing(base, pairingId, input.value).then(
      () => statusView(),
      (error: ApiError) => (/has ended/u.test(error.message) ? pairView(error.message) : codeView(base, pairingId, error.message)),
    );
  });
}

/** The tab the popup is about: the active one, or (opened as a page, as the tests do) the one its address names. */
async function currentTab(): Promise<number | undefined> {
  const named = new URLSearchParams(location.search).get('tab');
  if (named !== null) return Number(named);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** A playlist's name as a person reads it: the last part of its path. */
const playlistName = (url: string): string =>
  decodeURIComponent(
    new URL(url).pathname
      .split('/')
      .filter((p) => p !== '')
      .at(-1) ?? url,
  );

function statusView(): void {
  const model = emptyModel();
  const abort = new AbortController();
  addEventListener('unload', () => abort.abort());
  let videos: FoundVideo[] = [];
  let tabId: number | undefined;
  let videoNote = '';
  const videoSection = (): Node[] => {
    if (videos.length === 0 || tabId === undefined) return [];
    const tab = tabId;
    const rows = videos
      .slice(-3)
      .reverse()
      .map((v) => {
        const button = el('button', { type: 'button', class: 'video' }, 'Download video');
        button.addEventListener('click', () => {
          void chrome.runtime.sendMessage({ type: 'download-video', tabId: tab, url: v.url }).then((answer: { ok: boolean; message?: string }) => {
            videoNote = answer.ok ? `Sent ${playlistName(v.url)} to Haul.` : `Haul did not take it: ${answer.message ?? 'no answer'}`;
            render();
          });
        });
        return el('li', { class: 'row' }, el('span', { class: 'name', title: v.url }, `${v.kind === 'hls' ? 'HLS' : 'DASH'} · ${playlistName(v.url)}`), button);
      });
    return [el('p', { class: 'muted' }, 'Videos on this page'), el('ul', { id: 'videos' }, ...rows), el('p', { id: 'video-status', role: 'status' }, videoNote)];
  };
  let connected = false;
  void currentTab().then(async (id) => {
    tabId = id;
    videos = id === undefined ? [] : await videosOf(id);
    if (connected) render();
  });
  const render = (): void => {
    const all = model.order.map((id) => model.byId.get(id)).filter((d): d is Download => d !== undefined);
    const active = all.filter((d) => d.status === 'downloading' || d.status === 'queued');
    const speed = active.reduce((n, d) => n + d.speed, 0);
    const done = all
      .filter((d) => d.status === 'completed')
      .slice(-3)
      .reverse();
    const line = (d: Download, right: string) => el('li', { class: 'row' }, el('span', { class: 'name', title: d.filename }, d.filename), el('span', {}, right));
    const pause = el('button', { type: 'button', id: 'pause-all' }, 'Pause all');
    const open = el('button', { type: 'button', id: 'open' }, 'Open Haul');
    pause.addEventListener('click', () => void chrome.runtime.sendMessage({ type: 'pause-all' }));
    open.addEventListener('click', () => void chrome.runtime.sendMessage({ type: 'show' }).then(() => close()));
    show(
      el('p', { id: 'summary' }, `${active.length} active · ${formatBytes(speed)}/s`),
      ...videoSection(),
      el('ul', {}, ...active.slice(0, 5).map((d) => line(d, d.total === null ? formatBytes(d.received) : `${Math.floor((d.received / Math.max(1, d.total)) * 100)}%`))),
      ...(done.length === 0 ? [] : [el('p', { class: 'muted' }, 'Finished lately'), el('ul', { id: 'finished' }, ...done.map((d) => line(d, formatBytes(d.total ?? d.received))))]),
      el('div', { class: 'actions' }, pause, open),
    );
  };
  show(el('p', {}, 'Connecting to Haul…'));
  followEvents((name, data, id) => {
    applyEvent(model, { name, id, data } as StreamEvent);
    connected = true;
    render();
  }, abort.signal).catch((error: ApiError) => {
    if (error.code === 'NOT_PAIRED') pairView(error.message);
    else {
      // Haul may run on another port or machine: say where the extension looked, and where to change it.
      const options = el('button', { type: 'button', id: 'options' }, "Set Haul's address");
      options.addEventListener('click', () => void chrome.runtime.openOptionsPage());
      show(
        el('p', { id: 'off', role: 'status' }, "Haul is off, or not where this extension looks: downloads stay in the browser. Start Haul, or set Haul's address in the options."),
        el('div', { class: 'actions' }, options),
      );
    }
  });
}

void loadPairing().then((pairing) => (pairing === undefined ? pairView() : statusView()));
