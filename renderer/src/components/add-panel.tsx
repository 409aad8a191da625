import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AddDownloadsRequest, StreamVariant } from '../../../shared/api.ts';
import { extractLinks } from '../../../shared/links.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useMeta } from '../state/download-store.ts';
import { DuplicateDialog, type Conflicted, type DuplicateChoice } from './duplicate-dialog.tsx';
import { FolderInput } from './folder-input.tsx';
import { QualityPicker, useStreamQualities } from './quality-picker.tsx';
import { TorrentPicker } from './torrent-picker.tsx';
import type { TorrentProbe } from '../../../shared/torrent.ts';
import { fileBase64 } from '../api/file-base64.ts';

/**
 * Where people add downloads: one URL, a pasted list or prose with links in it (see
 * extractLinks); Enter adds, Shift+Enter breaks a line. Links that cannot be downloaded do
 * not stop the others: they stay in the box, each reported with its line. Links dropped on
 * the window (`dropped`, a new `seq` per drop) are added at once with the current options.
 */
export function AddPanel({
  text,
  setText,
  dropped,
  droppedTorrent,
}: {
  text: string;
  setText: (text: string) => void;
  dropped?: { text: string; seq: number } | undefined;
  /** A .torrent file dropped on the window: its files are shown to choose from before it is added. */
  droppedTorrent?: { file: File; seq: number } | undefined;
}) {
  const { api, store } = useServices();
  const i18n = useI18n();
  const settings = useMeta(store, (s) => s.settings);
  const [asking, setAsking] = useState<{ items: Conflicted[]; answer: (choices: DuplicateChoice[] | undefined) => void } | undefined>(undefined);
  const [dir, setDir] = useState('');
  const [filename, setFilename] = useState('');
  const [connections, setConnections] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const variants = useStreamQualities(text);
  // A choice holds for the qualities it was made among: another link starts again from the best.
  const [picked, setPicked] = useState<{ of: StreamVariant[]; value: string } | undefined>(undefined);
  const quality = picked?.of === variants ? picked.value : '';
  const [torrent, setTorrent] = useState<{ base64: string; probe: TorrentProbe; chosen: Set<number> } | undefined>(undefined);

  /** Reads a .torrent (opened or dropped) and shows its files; a damaged one is said at once. */
  async function openTorrent(file: File): Promise<void> {
    setError(null);
    setNotice(null);
    try {
      const base64 = await fileBase64(file);
      const probe = await api.probeTorrent(base64);
      setTorrent({ base64, probe, chosen: new Set(probe.files.map((f) => f.index)) });
    } catch (e) {
      setError(i18n.error(e));
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: each drop (a new seq) is read once
  useEffect(() => {
    if (droppedTorrent !== undefined) void openTorrent(droppedTorrent.file);
  }, [droppedTorrent?.seq]);

  async function addTorrent(): Promise<void> {
    if (torrent === undefined) return;
    setBusy(true);
    try {
      const all = torrent.chosen.size === torrent.probe.files.length;
      const body: AddDownloadsRequest = { torrent: torrent.base64, ...(all ? {} : { files: [...torrent.chosen].sort((a, b) => a - b) }) };
      if (dir.trim() !== '') body.dir = dir.trim();
      const { downloads } = await api.add(body);
      setTorrent(undefined);
      setError(null);
      setNotice(i18n.t('add.added', { count: downloads.length }));
    } catch (e) {
      setError(i18n.error(e));
    } finally {
      setBusy(false);
    }
  }

  async function submit(event?: FormEvent): Promise<void> {
    event?.preventDefault();
    if (torrent !== undefined) await addTorrent();
    if (text.trim() !== '' || torrent === undefined) await add(text, true);
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: each drop (a new seq) is added once, with the options as they are then
  useEffect(() => {
    if (dropped !== undefined) void add(dropped.text, false);
  }, [dropped?.seq]);

  /** Adds the links in `source`: the box's text (which then keeps only the lines that failed), or a drop. */
  async function add(source: string, fromBox: boolean): Promise<void> {
    setNotice(null);
    const { urls, problems } = extractLinks(source);
    const report = problems.map((p) => i18n.t('add.invalid', { line: p.line, message: i18n.error(p) })).join(' ');
    if (urls.length === 0) {
      setError(report);
      return;
    }
    setBusy(true);
    try {
      const chosen = await chooseForDuplicates(urls);
      if (chosen === undefined) return;
      const body: AddDownloadsRequest = { urls: chosen.add };
      if (dir.trim() !== '') body.dir = dir.trim();
      if (filename.trim() !== '' && urls.length === 1) body.filename = filename.trim();
      if (connections !== '') body.connections = Number(connections);
      if (quality !== '' && variants.length > 0 && urls.length === 1) body.quality = quality;
      const { downloads } = chosen.add.length === 0 ? { downloads: [] } : await api.add(body);
      for (const id of chosen.resume) await api.resume(id);
      // What could not be added from the box stays there, to be fixed or removed.
      const lines = source.split('\n');
      if (fromBox) setText([...new Set(problems.map((p) => p.line))].map((line) => lines[line - 1] ?? '').join('\n'));
      setFilename('');
      setError(problems.length === 0 ? null : report);
      setNotice(
        [
          i18n.t('add.added', { count: downloads.length }),
          chosen.resume.length > 0 ? i18n.t('add.resumed', { count: chosen.resume.length }) : '',
          chosen.skipped > 0 ? i18n.t('add.skipped', { count: chosen.skipped }) : '',
        ]
          .filter((s) => s !== '')
          .join(' '),
      );
    } catch (e) {
      setError(i18n.error(e));
    } finally {
      setBusy(false);
    }
  }

  /**
   * Links already in the list, or whose file is already in the folder, are asked about first:
   * skip, download again (a new name), or resume the one in the list. Undefined: cancelled.
   */
  async function chooseForDuplicates(urls: string[]): Promise<{ add: string[]; resume: string[]; skipped: number } | undefined> {
    const { items } = await api.checkLinks(urls, dir.trim() === '' ? undefined : dir.trim());
    const conflicted = items.filter((item): item is Conflicted => item.conflict !== null);
    const fresh = items.filter((item) => item.conflict === null).map((item) => item.url);
    if (conflicted.length === 0) return { add: fresh, resume: [], skipped: 0 };
    const choices = await new Promise<DuplicateChoice[] | undefined>((answer) => setAsking({ items: conflicted, answer }));
    setAsking(undefined);
    if (choices === undefined) return undefined;
    const pick = (choice: DuplicateChoice): Conflicted[] => conflicted.filter((_, i) => choices[i] === choice);
    const resume = pick('resume').flatMap((item) => (item.conflict.kind === 'in-list' ? [item.conflict.id] : []));
    return { add: [...fresh, ...pick('again').map((item) => item.url)], resume, skipped: pick('skip').length };
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  const lines = Math.min(6, Math.max(1, text.split('\n').length));
  return (
    <>
      <form className="add-panel" onSubmit={(e) => void submit(e)}>
        <div className="add-row">
          <textarea
            className="add-input"
            rows={lines}
            value={text}
            placeholder={i18n.t('add.placeholder')}
            aria-label={i18n.t('add.placeholder')}
            aria-invalid={error !== null}
            onChange={(e) => {
              setText(e.target.value);
              if (error !== null) setError(null);
            }}
            onKeyDown={onKeyDown}
            spellCheck={false}
            // biome-ignore lint/a11y/noAutofocus: pasting a link is what the window is opened for
            autoFocus
          />
          <button type="submit" className="primary" disabled={busy}>
            {i18n.t('add.button')}
          </button>
        </div>
        {torrent !== undefined && <TorrentPicker probe={torrent.probe} chosen={torrent.chosen} onChange={(chosen) => setTorrent({ ...torrent, chosen })} onClear={() => setTorrent(undefined)} />}
        {variants.length > 0 && <QualityPicker variants={variants} value={quality} onChange={(value) => setPicked({ of: variants, value })} />}
        <details className="add-options">
          <summary>{i18n.t('add.options')}</summary>
          <div className="options-grid">
            <label>
              <span>{i18n.t('add.torrentFile')}</span>
              <input
                type="file"
                accept=".torrent,application/x-bittorrent"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file !== undefined) void openTorrent(file);
                  e.target.value = '';
                }}
              />
            </label>
            <label htmlFor="add-folder">
              <span>{i18n.t('add.folder')}</span>
              <FolderInput id="add-folder" value={dir} onChange={setDir} placeholder={settings?.downloadDir ?? i18n.t('add.folderHint')} />
            </label>
            <label>
              <span>{i18n.t('add.filename')}</span>
              <input value={filename} onChange={(e) => setFilename(e.target.value)} placeholder={i18n.t('add.filenameHint')} />
            </label>
            <label>
              <span>{i18n.t('add.connections')}</span>
              <input
                type="number"
                min={1}
                max={32}
                value={connections}
                onChange={(e) => setConnections(e.target.value)}
                placeholder={i18n.t('add.connectionsHint', { count: settings?.connectionsPerDownload ?? 8 })}
              />
            </label>
          </div>
        </details>
        {error !== null && (
          <p role="alert" className="add-error">
            {error}
          </p>
        )}
        {notice !== null && (
          <p role="status" className="add-notice">
            {notice}
          </p>
        )}
      </form>
      {/* Outside the form: a dialog's own form must not be nested in this one. */}
      {asking !== undefined && <DuplicateDialog items={asking.items} onDone={asking.answer} />}
    </>
  );
}
