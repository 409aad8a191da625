// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenView } from '../../shared/accounts-api.ts';
import type { ApiClient } from '../../renderer/src/api/api-client.ts';
import { opensHere } from '../../renderer/src/actions/use-download-actions.ts';
import { AppContext } from '../../renderer/src/app-context.tsx';
import { TokenSection } from '../../renderer/src/components/token-section.tsx';
import { I18nProvider } from '../../renderer/src/i18n/i18n.tsx';
import { DownloadStore } from '../../renderer/src/state/download-store.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

describe('TokenSection', () => {
  it('lists each token with when it was made and last used, revokes one alone, and shows a new one once', async () => {
    let tokens: TokenView[] = [
      { id: 'aaaaaaaaaaaaaaaa', label: 'nightly', createdAt: '2026-11-01T10:00:00.000Z', lastUsed: '2026-12-01T10:00:00.000Z' },
      { id: 'bbbbbbbbbbbbbbbb', label: 'extension', createdAt: '2026-11-02T10:00:00.000Z', lastUsed: null },
    ];
    const revoked: string[] = [];
    const api = {
      ...({} as ApiClient),
      tokens: async () => ({ tokens }),
      revokeToken: async (id: string) => {
        revoked.push(id);
        tokens = tokens.filter((t) => t.id !== id);
      },
      createToken: async () => {
        tokens = [...tokens, { id: 'cccccccccccccccc', label: 'Settings', createdAt: '2026-12-07T10:00:00.000Z', lastUsed: null }];
        return { token: 'hu_secret', id: 'cccccccccccccccc' };
      },
    };
    const container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    await act(async () =>
      root?.render(
        <AppContext.Provider value={{ store: new DownloadStore(), api, desktop: undefined, user: { name: 'ann', role: 'user' } }}>
          <I18nProvider initial="en">
            <TokenSection onError={(e) => revoked.push(`error:${String(e)}`)} />
          </I18nProvider>
        </AppContext.Provider>,
      ),
    );
    const items = () => [...container.querySelectorAll('li')].map((li) => li.textContent ?? '');
    expect(items()).toHaveLength(2);
    expect(items()[0]).toMatch(/nightly.*made .*last used/u);
    expect(items()[1]).toMatch(/extension.*never used/u);
    await act(async () => (container.querySelector('li button') as HTMLButtonElement).click());
    expect(revoked).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(items().map((t) => t.split(' ')[0])).toEqual(['extension']);
    await act(async () => (container.querySelector('section > button') as HTMLButtonElement).click());
    expect((container.querySelector('input') as HTMLInputElement).value).toBe('hu_secret');
    expect(items()).toHaveLength(2);
  });
});

describe('open on this machine', () => {
  it('is offered in the desktop app, and in a browser on this machine to its owner or an admin, never to a user or viewer', () => {
    expect(opensHere({ desktop: {} as never, user: undefined }, 'nas.example')).toBe(true);
    expect(opensHere({ desktop: undefined, user: undefined }, '127.0.0.1')).toBe(true);
    expect(opensHere({ desktop: undefined, user: { name: 'root', role: 'admin' } }, 'localhost')).toBe(true);
    expect(opensHere({ desktop: undefined, user: { name: 'bob', role: 'user' } }, '127.0.0.1')).toBe(false);
    expect(opensHere({ desktop: undefined, user: { name: 'vic', role: 'viewer' } }, '127.0.0.1')).toBe(false);
    expect(opensHere({ desktop: undefined, user: undefined }, 'nas.example')).toBe(false);
  });
});
