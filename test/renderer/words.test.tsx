// @vitest-environment happy-dom
import { TEST_SETTINGS } from '../helpers/settings.ts';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Download, DownloadDetails } from '../../shared/api.ts';
import type { ApiClient } from '../../renderer/src/api/api-client.ts';
import type { DownloadActions } from '../../renderer/src/actions/use-download-actions.ts';
import { AppContext } from '../../renderer/src/app-context.tsx';
import { DetailPanel } from '../../renderer/src/components/detail-panel.tsx';
import { Header } from '../../renderer/src/components/header.tsx';
import { I18nProvider } from '../../renderer/src/i18n/i18n.tsx';
import { DownloadStore } from '../../renderer/src/state/download-store.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

const settings = TEST_SETTINGS;
const download = (over: Partial<Download>): Download =>
  ({
    id: 'x',
    url: 'https://files.example/disk.iso',
    filename: 'disk.iso',
    dir: '/d',
    status: 'downloading',
    received: 0,
    total: null,
    speed: 0,
    connections: 0,
    resumable: false,
    risky: false,
    order: 1,
    maxConnections: 0,
    speedLimit: 0,
    createdAt: '2026-01-01T10:00:00.000Z',
    ...over,
  }) as Download;

async function mount(node: React.ReactNode, downloads: Download[], details: Partial<DownloadDetails> = {}, locale: 'en' | 'zh-CN' = 'en'): Promise<HTMLElement> {
  const store = new DownloadStore();
  store.dispatch({ name: 'snapshot', id: 1, data: { downloads, settings } });
  const api = {
    ...({} as ApiClient),
    details: async () => ({ id: 'x', path: '/d/disk.iso', url: '', requestHeaders: {}, ranges: [], connections: [], speeds: [], log: [], ...details }) as DownloadDetails,
  };
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () =>
    root?.render(
      <AppContext.Provider value={{ store, api, desktop: undefined }}>
        <I18nProvider initial={locale}>{node}</I18nProvider>
      </AppContext.Provider>,
    ),
  );
  return container;
}

const panel = <DetailPanel id="x" actions={{} as DownloadActions} onClose={() => undefined} onError={() => undefined} />;

describe('numbers and words that tell the truth', () => {
  it('a download that never received a byte has no peak speed', async () => {
    const el = await mount(panel, [download({ status: 'failed', error: { code: 'NETWORK_ERROR', message: 'refused' } } as Partial<Download>)], { speeds: [0, 0, 0] });
    expect(el.querySelector('figcaption')?.textContent).toBe('Nothing received yet');
  });

  it('a finished download shows its average speed and time taken, and no options that cannot apply', async () => {
    const done = download({ status: 'completed', received: 60 * 1024 * 1024, total: 60 * 1024 * 1024, completedAt: '2026-01-01T10:01:00.000Z' } as Partial<Download>);
    const el = await mount(panel, [done], { log: [{ at: '2026-01-01T10:00:30.000Z', kind: 'started' }] });
    expect(el.querySelector('figcaption')?.textContent).toBe('Average 2.0 MiB/s over 30s');
    expect(el.querySelector('.detail-options')).toBeNull();
  });

  it('the log says a retry in the interface’s language, count and reason included', async () => {
    const log = [
      {
        at: '2026-01-01T10:00:30.000Z',
        kind: 'retrying' as const,
        detail: '2 of 5: h answered HTTP 503.',
        retry: { attempt: 2, limit: 5, error: { code: 'HTTP_ERROR' as const, message: 'h answered HTTP 503.', params: { host: 'h', status: 503 } } },
      },
    ];
    const el = await mount(panel, [download({})], { log }, 'zh-CN');
    const line = el.querySelector('.log li')?.textContent ?? '';
    expect(line).toContain('重试 第 2/5 次：');
    expect(line).not.toMatch(/ of /u);
  });

  it('the panel says how many connections run of how many may', async () => {
    const el = await mount(panel, [download({ connections: 2, maxConnections: 0 })]);
    expect(el.querySelector('.conn-count')?.textContent).toBe('2 of 8 connections');
  });

  it('the header counts running and queued downloads apart', async () => {
    const el = await mount(<Header onSettings={() => undefined} />, [download({ id: 'a' }), download({ id: 'b', status: 'queued' }), download({ id: 'c', status: 'queued' })]);
    const totals = el.querySelector('.totals')?.textContent ?? '';
    expect(totals).toMatch(/^1 active·2 queued·/u);
  });
});
