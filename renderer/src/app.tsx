import { useState, type DragEvent } from 'react';
import { AddPanel } from './components/add-panel.tsx';
import { ConnectionBanner } from './components/connection-banner.tsx';
import { DownloadList } from './components/download-list.tsx';
import { Header } from './components/header.tsx';
import { SettingsDialog } from './components/settings-dialog.tsx';
import { Toolbar } from './components/toolbar.tsx';
import { useServices } from './app-context.tsx';
import { useI18n } from './i18n/i18n.tsx';
import { useMeta } from './state/download-store.ts';
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
  const { store } = useServices();
  const i18n = useI18n();
  const settings = useMeta(store, (s) => s.settings);
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [text, setText] = useState('');
  const [showSettings, setShowSettings] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dropped, setDropped] = useState<{ text: string; seq: number } | undefined>(undefined);
  const onError = (error: unknown): void => setError(i18n.t('error.generic', { message: i18n.error(error) }));
  return (
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
        // A dropped link is added at once, with the options set in the add panel.
        const links = droppedText(e).trim();
        if (links !== '') setDropped((last) => ({ text: links, seq: (last?.seq ?? 0) + 1 }));
      }}
    >
      <Header onSettings={() => setShowSettings(true)} />
      <ConnectionBanner />
      <main className="content">
        <AddPanel text={text} setText={setText} {...(dropped === undefined ? {} : { dropped })} />
        {error !== null && (
          <p className="banner danger" role="alert" onClick={() => setError(null)}>
            {error}
          </p>
        )}
        <Toolbar filter={filter} setFilter={setFilter} search={search} setSearch={setSearch} onError={onError} />
        <DownloadList filter={filter} search={search} onError={onError} />
      </main>
      {dragging && <div className="drop-hint">{i18n.t('add.dropHint')}</div>}
      {showSettings && settings !== null && <SettingsDialog settings={settings} onClose={() => setShowSettings(false)} />}
    </div>
  );
}
