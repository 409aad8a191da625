import { useCallback, useEffect, useMemo, useState, type CSSProperties, type DragEvent } from 'react';
import { opensHere, useDownloadActions } from './actions/use-download-actions.ts';
import { useServices } from './app-context.tsx';
import { AddPanel } from './components/add-panel.tsx';
import { ConnectionBanner } from './components/connection-banner.tsx';
import { ContextMenu, type MenuItem } from './components/context-menu.tsx';
import { DetailPanel } from './components/detail-panel.tsx';
import { DialogHost } from './components/dialogs.tsx';
import { DownloadTable } from './components/download-table.tsx';
import { Header } from './components/header.tsx';
import { PairingPrompt } from './components/pairing-prompt.tsx';
import { WhenDonePrompt } from './components/when-done-prompt.tsx';
import { CategoryChips } from './components/category-chips.tsx';
import { PANEL_MAX, PANEL_MIN, PanelResizer } from './components/panel-resizer.tsx';
import { rowMenu } from './components/row-menu.ts';
import { SettingsDialog } from './components/settings-dialog.tsx';
import { Toolbar } from './components/toolbar.tsx';
import { useI18n } from './i18n/i18n.tsx';
import { useMeta } from './state/download-store.ts';
import { notificationsWanted, watchCompletions } from './state/notifications.ts';
import { EMPTY_SELECTION, type Selection } from './state/selection.ts';
import { DEFAULT_SORT, type Sort } from './state/sort.ts';
import type { Filter } from './state/status-view.ts';

/** Links dropped onto the window: text/uri-list first (one per line, # comments), else plain text. */
function droppedText(event: DragEvent): string {
  const list = event.dataTransfer.getData('text/uri-list');
  if (list !== '')
    return list
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n');
  return event.dataTransfer.getData('text/plain');
}

export function App() {
  return (
    <DialogHost>
      <Window />
    </DialogHost>
  );
}

function Window() {
  const services = useServices();
  const { store, desktop } = services;
  const i18n = useI18n();
  const settings = useMeta(store, (s) => s.settings);
  const [filter, setFilter] = useState<Filter>('all');
  const [category, setCategory] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [menu, setMenu] = useState<{ x: number; y: number; items: MenuItem[] } | undefined>(undefined);
  const [detailOpen, setDetailOpen] = useState(true);
  const [detailWidth, setDetailWidth] = useStoredWidth();
  const [text, setText] = useState('');
  const [showSettings, setShowSettings] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dropped, setDropped] = useState<{ text: string; seq: number } | undefined>(undefined);
  const [droppedTorrent, setDroppedTorrent] = useState<{ file: File; seq: number } | undefined>(undefined);
  const onError = useCallback((e: unknown): void => setError(i18n.t('error.generic', { message: i18n.error(e) })), [i18n]);
  const actions = useDownloadActions(onError);
  const where = useMemo(() => ({ local: opensHere(services), desktop: desktop !== undefined }), [services, desktop]);
  const openMenu = useCallback(
    (ids: string[], x: number, y: number) => {
      const chosen = ids.map((id) => store.get(id)).filter((d) => d !== undefined);
      if (chosen.length > 0) setMenu({ x, y, items: rowMenu(chosen, actions, i18n, where) });
    },
    [store, actions, i18n, where],
  );
  useEffect(
    () =>
      watchCompletions(store, (d) => {
        if (notificationsWanted()) new Notification(i18n.t('notify.done'), { body: d.filename, tag: d.id });
      }),
    [store, i18n],
  );
  const single = selection.ids.size === 1 ? [...selection.ids][0] : undefined;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the whole window is a drop target for links; adding by keyboard is the paste box
    // biome-ignore lint/a11y/noNoninteractiveElementInteractions: as above
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        // A dropped .torrent shows its files to choose from; a dropped link is added at once, with the options set in the add panel.
        const torrentFile = [...e.dataTransfer.files].find((f) => /\.torrent$/iu.test(f.name));
        if (torrentFile !== undefined) {
          setDroppedTorrent((last) => ({ file: torrentFile, seq: (last?.seq ?? 0) + 1 }));
          return;
        }
        const links = droppedText(e).trim();
        if (links !== '') setDropped((last) => ({ text: links, seq: (last?.seq ?? 0) + 1 }));
      }}
    >
      <Header onSettings={() => setShowSettings(true)} />
      <ConnectionBanner />
      <PairingPrompt onError={onError} />
      <WhenDonePrompt onError={onError} />
      <main className="content">
        <AddPanel text={text} setText={setText} dropped={dropped} droppedTorrent={droppedTorrent} />
        {error !== null && (
          <p className="banner danger" role="alert">
            {error}{' '}
            <button type="button" className="link-button" onClick={() => setError(null)}>
              {i18n.t('error.dismiss')}
            </button>
          </p>
        )}
        <Toolbar filter={filter} setFilter={setFilter} search={search} setSearch={setSearch} onError={onError} detailOpen={detailOpen} setDetailOpen={setDetailOpen} />
        <CategoryChips value={category} onChange={setCategory} />
        <div
          className={`workspace${single !== undefined && detailOpen ? ' with-detail' : ''}`}
          style={single !== undefined && detailOpen ? ({ '--detail-width': `${detailWidth}px` } as CSSProperties) : undefined}
        >
          <DownloadTable
            filter={filter}
            category={category}
            search={search}
            sort={sort}
            setSort={setSort}
            selection={selection}
            setSelection={setSelection}
            actions={actions}
            onContextMenu={openMenu}
          />
          {single !== undefined && detailOpen && <PanelResizer width={detailWidth} onWidth={setDetailWidth} />}
          {single !== undefined && detailOpen && <DetailPanel key={single} id={single} actions={actions} onClose={() => setDetailOpen(false)} onError={onError} />}
        </div>
      </main>
      {menu !== undefined && <ContextMenu x={menu.x} y={menu.y} items={menu.items} label={i18n.t('menu.label')} onClose={() => setMenu(undefined)} />}
      {dragging && <div className="drop-hint">{i18n.t('add.dropHint')}</div>}
      {showSettings && settings !== null && <SettingsDialog settings={settings} onClose={() => setShowSettings(false)} />}
    </div>
  );
}

const WIDTH_KEY = 'haul.detailWidth';

/** The detail panel's width, as the user last left it on this device. */
function useStoredWidth(): [number, (width: number) => void] {
  const [width, setWidth] = useState(() => {
    const stored = Number(localStorage.getItem(WIDTH_KEY));
    return Number.isFinite(stored) && stored >= PANEL_MIN && stored <= PANEL_MAX ? stored : 320;
  });
  const set = useCallback((next: number) => {
    localStorage.setItem(WIDTH_KEY, String(next));
    setWidth(next);
  }, []);
  return [width, set];
}
