// @vitest-environment happy-dom
import { TEST_SETTINGS } from '../helpers/settings.ts';
import { act, Profiler } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Download } from '../../shared/api.ts';
import type { ApiClient } from '../../renderer/src/api/api-client.ts';
import { AppContext } from '../../renderer/src/app-context.tsx';
import { AddPanel } from '../../renderer/src/components/add-panel.tsx';
import { TableRow, type RowHandlers } from '../../renderer/src/components/table-row.tsx';
import { Header } from '../../renderer/src/components/header.tsx';
import { WhenDonePrompt } from '../../renderer/src/components/when-done-prompt.tsx';
import { CategoryChips } from '../../renderer/src/components/category-chips.tsx';
import { SettingsDialog } from '../../renderer/src/components/settings-dialog.tsx';
import { I18nProvider } from '../../renderer/src/i18n/i18n.tsx';
import { DownloadStore } from '../../renderer/src/state/download-store.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const settings = TEST_SETTINGS;
let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

/** Records calls instead of sending them: the component under test is the subject, not the server. */
function recordingApi(calls: string[]): ApiClient {
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')})`);
      return { downloads: [], count: 0 } as never;
    };
  return {
    ...({} as ApiClient),
    checkLinks: async (urls: string[]) => ({ items: urls.map((url) => ({ url, conflict: null })) }),
    pairedBrowsers: async () => ({ browsers: [], pending: [] }),
    nodes: async () => ({ self: '', nodes: [] }),
    add: record('add'),
    pause: record('pause'),
    resume: record('resume'),
    remove: record('remove'),
    settings: record('settings'),
    patchSettings: record('patchSettings'),
    pauseAll: record('pauseAll'),
    resumeAll: record('resumeAll'),
    clearCompleted: record('clearCompleted'),
    retryFailed: record('retryFailed'),
    removeFailed: record('removeFailed'),
    cancelWhenDone: record('cancelWhenDone'),
    startNow: record('startNow'),
  };
}

/** Row events, recorded: the table decides what they mean. */
function recordingHandlers(calls: string[]): RowHandlers {
  return {
    onClick: (id) => void calls.push(`click(${id})`),
    onOpen: (id) => void calls.push(`open(${id})`),
    onContextMenu: (id) => void calls.push(`menu(${id})`),
    onRetry: (id) => void calls.push(`retry(${id})`),
  };
}

function Row({ id, calls = [] }: { id: string; calls?: string[] }) {
  return <TableRow id={id} index={2} selected={false} focused={false} handlers={recordingHandlers(calls)} />;
}

function mount(node: React.ReactNode, store: DownloadStore, calls: string[], locale: 'en' | 'zh-CN' = 'en'): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() =>
    root!.render(
      <AppContext.Provider value={{ store, api: recordingApi(calls), desktop: undefined }}>
        <I18nProvider initial={locale}>{node}</I18nProvider>
      </AppContext.Provider>,
    ),
  );
  return container;
}

const download = (over: Partial<Download>): Download =>
  ({
    id: 'x',
    url: 'https://files.example/disk.iso',
    filename: 'disk.iso',
    dir: '/d',
    status: 'downloading',
    received: 512 * 1024 ** 2,
    total: 1024 ** 3,
    speed: 8 * 1024 ** 2,
    connections: 4,
    resumable: true,
    risky: false,
    order: 1,
    maxConnections: 0,
    speedLimit: 0,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  }) as Download;

describe('TableRow', () => {
  it('shows name, host, bytes, percent, speed and time left in its columns, and updates on progress only for itself', () => {
    const store = new DownloadStore();
    store.dispatch({ name: 'snapshot', id: 1, data: { downloads: [download({}), download({ id: 'other', filename: 'other.bin' })], settings } });
    const calls: string[] = [];
    const renders = { x: 0, other: 0 };
    const counted = (id: 'x' | 'other') => (
      <Profiler id={id} onRender={() => (renders[id] += 1)}>
        <div data-row={id}>
          <Row id={id} calls={calls} />
        </div>
      </Profiler>
    );
    const both = mount(
      <>
        {counted('x')}
        {counted('other')}
      </>,
      store,
      calls,
    );
    const el = both.querySelector('[data-row="x"]') as HTMLElement;
    const cell = (name: string) => el.querySelector(`.c-${name}`)?.textContent;
    expect(cell('name')).toBe('ISOdisk.isofiles.example');
    expect(cell('size')).toBe('512 MiB of 1.0 GiB');
    expect(cell('progress')).toBe('50%');
    expect(cell('speed')).toBe('8.0 MiB/s');
    // 512 MiB left at 8 MiB/s: 64 seconds.
    expect(cell('eta')).toBe('1m 4s');
    expect(cell('status')).toBe('Downloading');
    expect(el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('50');
    act(() => (el.querySelector('[role="row"]') as HTMLElement).dispatchEvent(new MouseEvent('dblclick', { bubbles: true })));
    expect(calls).toEqual(['open(x)']);
    const before = { ...renders };
    act(() => store.dispatch({ name: 'progress', id: 2, data: { items: [{ id: 'x', received: 768 * 1024 ** 2, total: 1024 ** 3, speed: 1, connections: 4 }] } }));
    expect(el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('75');
    // Only the row whose download moved rendered again.
    expect(renders.x).toBeGreaterThan(before.x);
    expect(renders.other).toBe(before.other);
  });

  it('explains a failure in plain words and offers Retry, in Chinese too', () => {
    const store = new DownloadStore();
    store.dispatch({
      name: 'snapshot',
      id: 1,
      data: { downloads: [download({ status: 'failed', error: { code: 'HTTP_ERROR', message: 'h.test answered HTTP 404. The file is not there: check the URL.' } } as Partial<Download>)], settings },
    });
    const calls: string[] = [];
    const el = mount(<Row id="x" calls={calls} />, store, [], 'zh-CN');
    expect(el.querySelector('.badge')?.textContent).toBe('失败');
    expect(el.querySelector('.row-error')?.textContent).toBe('服务器返回了错误（h.test answered HTTP 404. The file is not there: check the URL.）');
    const retry = [...el.querySelectorAll('button')].find((b) => b.textContent === '重试') as HTMLButtonElement;
    act(() => retry.click());
    expect(calls).toEqual(['retry(x)']);
  });

  it('says when a waiting download will retry, and does not call it downloading', () => {
    const store = new DownloadStore();
    const at = new Date(Date.now() + 4_000).toISOString();
    store.dispatch({
      name: 'snapshot',
      id: 1,
      data: { downloads: [download({ speed: 0, retry: { attempt: 2, limit: 5, at, error: { code: 'HTTP_ERROR', message: 'h.test answered HTTP 503.' } } })], settings },
    });
    const el = mount(<Row id="x" />, store, []);
    const badge = el.querySelector('.badge');
    expect(badge?.textContent).toMatch(/^Retrying in [34]s \(2 of 5\)$/u);
    expect(badge?.getAttribute('title')).toBe('h.test answered HTTP 503.');
    expect(el.textContent).not.toMatch(/Downloading|B\/s/u);
    expect(el.querySelector('.c-eta')?.textContent).toBe('');
  });

  it.each(['queued', 'paused', 'failed'] as const)('draws an empty track, not a full bar, for a %s download of unknown size', (status) => {
    const store = new DownloadStore();
    const extra = status === 'failed' ? { error: { code: 'HTTP_ERROR' as const, message: 'h answered HTTP 500.' } } : {};
    store.dispatch({ name: 'snapshot', id: 1, data: { downloads: [download({ status, total: null, received: 0, speed: 0, ...extra } as Partial<Download>)], settings } });
    const el = mount(<Row id="x" />, store, []);
    expect(el.querySelector('.progress.indeterminate')).toBeNull();
    expect((el.querySelector('.progress-fill') as HTMLElement).style.width).toBe('0%');
  });

  it('shows an indeterminate bar and bytes so far when the size is unknown', () => {
    const store = new DownloadStore();
    store.dispatch({ name: 'snapshot', id: 1, data: { downloads: [download({ total: null, received: 3 * 1024 ** 2 })], settings } });
    const el = mount(<Row id="x" />, store, []);
    expect(el.querySelector('.progress.indeterminate')).not.toBeNull();
    expect(el.querySelector('[role="progressbar"]')?.hasAttribute('aria-valuenow')).toBe(false);
    expect(el.querySelector('.c-size')?.textContent).toBe('3.0 MiB');
  });
});

describe('AddPanel', () => {
  it("shows the current settings as its fields' hints", () => {
    const store = new DownloadStore();
    store.dispatch({ name: 'snapshot', id: 1, data: { downloads: [], settings: { ...settings, downloadDir: '/home/me/Downloads', connectionsPerDownload: 12 } } });
    const el = mount(<AddPanel text="" setText={() => undefined} />, store, []);
    expect((el.querySelector('#add-folder') as HTMLInputElement).placeholder).toBe('/home/me/Downloads');
    expect((el.querySelector('input[type="number"]') as HTMLInputElement).placeholder).toBe('Default: 12');
  });

  it('explains every bad link in an alert, line by line, and adds nothing when none is good', async () => {
    const store = new DownloadStore();
    const calls: string[] = [];
    let text = 'ftp://nope.example/b\njavascript:alert(1)';
    const el = mount(<AddPanel text={text} setText={(t) => (text = t)} />, store, calls);
    await act(async () => (el.querySelector('button[type="submit"]') as HTMLButtonElement).click());
    const alert = el.querySelector('[role="alert"]');
    expect(alert?.textContent).toMatch(/^Line 1: "ftp:" URLs cannot be downloaded.* Line 2: "javascript:" URLs cannot be downloaded/u);
    expect(calls).toEqual([]);
    expect(text).toBe('ftp://nope.example/b\njavascript:alert(1)');
  });

  it('explains a bad URL in Chinese, keeping the exact reason', async () => {
    const calls: string[] = [];
    const el = mount(<AddPanel text="ftp://nope.example/b" setText={() => undefined} />, new DownloadStore(), calls, 'zh-CN');
    await act(async () => (el.querySelector('button[type="submit"]') as HTMLButtonElement).click());
    expect(el.querySelector('[role="alert"]')?.textContent).toMatch(/^第 1 行：不支持此类链接，仅支持 http、https 和磁力链接（"ftp:" URLs cannot be downloaded/u);
    expect(calls).toEqual([]);
  });

  it('adds a dropped link at once, leaving what is typed in the box alone', async () => {
    const calls: string[] = [];
    let text = 'half-typed';
    const el = mount(<AddPanel text={text} setText={(t) => (text = t)} dropped={{ text: 'https://drop.example/a.iso', seq: 1 }} />, new DownloadStore(), calls);
    await act(async () => undefined);
    expect(calls).toEqual(['add({"urls":["https://drop.example/a.iso"]})']);
    expect(text).toBe('half-typed');
    expect(el.querySelector('[role="status"]')?.textContent).toBe('Added 0 downloads.');
  });

  it('adds the good links from a paste, and keeps the bad line in the box with its reason', async () => {
    const calls: string[] = [];
    const store = new DownloadStore();
    let text = 'Get it here: https://a.example/1 (mirror)\nftp://old.example/x';
    const el = mount(<AddPanel text={text} setText={(t) => (text = t)} />, store, calls);
    await act(async () => (el.querySelector('button[type="submit"]') as HTMLButtonElement).click());
    expect(calls).toEqual(['add({"urls":["https://a.example/1"]})']);
    expect(text).toBe('ftp://old.example/x');
    expect(el.querySelector('[role="alert"]')?.textContent).toMatch(/^Line 2: "ftp:" URLs cannot be downloaded/u);
  });
});

describe('SettingsDialog', () => {
  function setInput(el: Element, label: string, value: string): void {
    const input = [...el.querySelectorAll('label')].find((l) => l.textContent?.includes(label))?.querySelector('input') as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    act(() => {
      setter.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  it('saves the edited settings, the limit in the unit chosen beside it', async () => {
    const calls: string[] = [];
    let closed = false;
    const el = mount(<SettingsDialog settings={settings} onClose={() => (closed = true)} />, new DownloadStore(), calls);
    setInput(el, 'Downloads at once', '5');
    setInput(el, 'aria2 RPC port', '6800');
    const limit = el.querySelector('input[aria-label="Speed limit (all downloads)"]') as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    act(() => {
      setter.call(limit, '512');
      limit.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const unit = el.querySelector('select[aria-label="Unit"]') as HTMLSelectElement;
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(unit, 'KiB');
      unit.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => (el.querySelector('button[type="submit"]') as HTMLButtonElement).click());
    expect(calls).toEqual([
      `patchSettings(${JSON.stringify({ downloadDir: '/d', maxConcurrent: 5, connectionsPerDownload: 8, speedLimit: 512 * 1024, rpcPort: 6800, schedule: null, whenDone: 'nothing', whenDoneCountdown: 60, actions: [], siteRules: [], torrent: settings.torrent })})`,
    ]);
    expect(closed).toBe(true);
  });

  it('saves download windows: days, hours and a limit of their own', async () => {
    const calls: string[] = [];
    const el = mount(<SettingsDialog settings={settings} onClose={() => undefined} />, new DownloadStore(), calls);
    const toggle = [...el.querySelectorAll('label')].find((l) => l.textContent === 'Download only during these hours')?.querySelector('input') as HTMLInputElement;
    act(() => toggle.click());
    const sunday = [...el.querySelectorAll('.schedule-window label.day')].find((l) => l.textContent === 'Sun')?.querySelector('input') as HTMLInputElement;
    act(() => sunday.click());
    setInput(el, 'to', '06:30');
    setInput(el, 'Limit (KiB/s, empty: none)', '512');
    await act(async () => (el.querySelector('button[type="submit"]') as HTMLButtonElement).click());
    const sent = JSON.parse(calls[0]?.slice('patchSettings('.length, -1) ?? '{}');
    expect(sent.schedule).toEqual({ windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '01:00', end: '06:30', speedLimit: 512 * 1024 }] });
  });

  it("shows the server's reason when a value is refused, and stays open", async () => {
    let closed = false;
    const store = new DownloadStore();
    const container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    const api = { ...recordingApi([]), patchSettings: async () => Promise.reject(new Error('"maxConcurrent" must be a whole number from 1 to 20.')) };
    act(() =>
      root!.render(
        <AppContext.Provider value={{ store, api, desktop: undefined }}>
          <I18nProvider initial="en">
            <SettingsDialog settings={settings} onClose={() => (closed = true)} />
          </I18nProvider>
        </AppContext.Provider>,
      ),
    );
    await act(async () => (container.querySelector('button[type="submit"]') as HTMLButtonElement).click());
    // Named by its label, not as the API spells it.
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('“Downloads at once” must be a whole number from 1 to 20.');
    expect(closed).toBe(false);
  });
});

describe('Header', () => {
  it('shows the speed limit while one is set, and nothing about it otherwise', () => {
    const store = new DownloadStore();
    store.dispatch({ name: 'snapshot', id: 1, data: { downloads: [], settings } });
    const el = mount(<Header onSettings={() => undefined} />, store, []);
    expect(el.querySelector('.limit')).toBeNull();
    act(() => store.dispatch({ name: 'settings', id: 2, data: { ...settings, speedLimit: 2 * 1024 * 1024 } }));
    expect(el.querySelector('.limit')?.textContent).toBe('limited to 2.0 MiB/s');
  });
});

describe('WhenDonePrompt', () => {
  it('counts down what Haul is about to do in every window, and cancels it', async () => {
    const store = new DownloadStore();
    const calls: string[] = [];
    const el = mount(<WhenDonePrompt onError={() => undefined} />, store, calls);
    expect(el.querySelector('.when-done')).toBeNull();
    act(() => store.dispatch({ name: 'when-done', id: 0, data: { action: 'shutdown', at: new Date(Date.now() + 42_000).toISOString() } }));
    expect(el.querySelector('.when-done p')?.textContent).toMatch(/^The queue is done: this computer shuts down in 4[12] ?s\.$/u);
    await act(async () => (el.querySelector('.when-done button') as HTMLButtonElement).click());
    expect(calls).toEqual(['cancelWhenDone()']);
    act(() => store.dispatch({ name: 'when-done-ended', id: 0, data: { reason: 'cancelled' } }));
    expect(el.querySelector('.when-done')).toBeNull();
  });
});

describe('a scheduled row', () => {
  it('says when it starts', () => {
    const store = new DownloadStore();
    const at = new Date();
    at.setHours(23, 30, 0, 0);
    store.dispatch({ name: 'snapshot', id: 1, data: { downloads: [download({ status: 'scheduled', startsAt: at.toISOString(), speed: 0 })], settings } });
    const el = mount(<Row id="x" />, store, []);
    expect(el.textContent).toContain(`Starts at ${at.toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' })}`);
  });
});

describe('CategoryChips', () => {
  it('offers the categories the list holds, and picks one', () => {
    const store = new DownloadStore();
    const withCategories = {
      ...settings,
      categories: [
        { name: 'Video', extensions: ['mp4'], dir: 'Video' },
        { name: 'Music', extensions: ['mp3'], dir: 'Music' },
        { name: 'Images', extensions: ['png'], dir: 'Images' },
      ],
    };
    store.dispatch({
      name: 'snapshot',
      id: 1,
      data: { downloads: [download({ id: 'a', category: 'Music' }), download({ id: 'b', category: 'Video' }), download({ id: 'c' })], settings: withCategories },
    });
    const picked: Array<string | null> = [];
    const el = mount(<CategoryChips value={null} onChange={(c) => picked.push(c)} />, store, []);
    expect([...el.querySelectorAll('.chip')].map((b) => b.textContent)).toEqual(['All categories', 'Video', 'Music']);
    act(() => ([...el.querySelectorAll('.chip')].find((b) => b.textContent === 'Music') as HTMLButtonElement).click());
    expect(picked).toEqual(['Music']);
  });
});
