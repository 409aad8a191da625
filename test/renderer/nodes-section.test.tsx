// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodesAnswer, NodeView } from '../../shared/api.ts';
import type { ApiClient } from '../../renderer/src/api/api-client.ts';
import { AppContext } from '../../renderer/src/app-context.tsx';
import { NodesSection } from '../../renderer/src/components/nodes-section.tsx';
import { I18nProvider } from '../../renderer/src/i18n/i18n.tsx';
import { DownloadStore } from '../../renderer/src/state/download-store.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

const node = (over: Partial<NodeView>): NodeView => ({ name: 'a', alive: true, draining: false, running: 2, maxConcurrent: 3, startedAt: '', seenAt: '', ...over });

/** The section with a client that answers `answer` and records drains (the component is the subject, not the server). */
async function mount(answer: NodesAnswer, canDrain: boolean, drains: string[] = []): Promise<HTMLElement> {
  const api = {
    ...({} as ApiClient),
    nodes: async () => answer,
    drainNode: async (name: string, draining: boolean) => {
      drains.push(`${name}:${draining}`);
      return { ...(answer.nodes.find((n) => n.name === name) as NodeView), draining };
    },
  };
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () =>
    root?.render(
      <AppContext.Provider value={{ store: new DownloadStore(), api, desktop: undefined }}>
        <I18nProvider initial="en">
          <NodesSection onError={(e) => drains.push(`error:${String(e)}`)} canDrain={canDrain} />
        </I18nProvider>
      </AppContext.Provider>,
    ),
  );
  return container;
}

describe('NodesSection', () => {
  it('shows nothing for one node alone', async () => {
    const el = await mount({ self: '', nodes: [] }, true);
    expect(el.textContent).toBe('');
  });

  it("lists each node's state, marks this one, and drains or lets one go for an admin", async () => {
    const drains: string[] = [];
    const el = await mount({ self: 'b', nodes: [node({ name: 'a' }), node({ name: 'b', draining: true, running: 0 }), node({ name: 'c', alive: false, running: 0 })] }, true, drains);
    const items = [...el.querySelectorAll('li')].map((li) => li.textContent);
    expect(items[0]).toContain('2 of 3 running');
    expect(items[1]).toContain('b (this one)');
    expect(items[1]).toContain('draining');
    expect(items[2]).toContain('not answering');
    // A node not answering cannot be drained; the others can.
    expect(el.querySelectorAll('li')[2]?.querySelector('button')).toBeNull();
    await act(async () => (el.querySelector('button[aria-label="Drain a: hand its downloads to the other nodes"]') as HTMLButtonElement).click());
    await act(async () => (el.querySelector('button[aria-label="Let b take downloads again"]') as HTMLButtonElement).click());
    expect(drains).toEqual(['a:true', 'b:false']);
    expect(el.querySelectorAll('li')[0]?.textContent).toContain('draining');
  });

  it('offers no drain button to someone who is not an admin', async () => {
    const el = await mount({ self: 'a', nodes: [node({ name: 'a' }), node({ name: 'b' })] }, false);
    expect(el.querySelectorAll('li')).toHaveLength(2);
    expect(el.querySelector('button')).toBeNull();
  });
});
